//! The Predictive and Preview Agent Time Summaries: per agent per report day under the team the
//! agent → team mapping gives for that day ("(no team)" without one), then a total per team, from
//! the summaries only (`report_agent_day`, `report_agent_login_day`, `report_agent_reason_day`,
//! `report_agent_campaign_day`, `report_sales_day`). An agent's day counts when the agent spent
//! time on campaigns of the chosen type; time not attached to any job that day counts with it.

use sqlx::postgres::{PgRow, Postgres};
use sqlx::{QueryBuilder, Row};
use types::report::{ChartKind, ChartUnit};

use super::{agent_team_join, known_agent, organization, ReportDays, SUMMARY_DAYS};
use crate::access::Ctx;
use crate::error::AppError;
use crate::model::{AgentTimeFilters, AgentTimeRow, AuditAction, CampaignType, Role};
use crate::report::{ChartQuery, Key, Report, Summarised};

/// Days shown when the filter names none: the last seven.
pub const RECENT_DAYS: i64 = 6;

/// The checked filters.
pub struct Scoped {
    zone: String,
    organization: Option<String>,
    days: ReportDays,
    campaign_type: String,
    team: Option<String>,
    agent: Option<String>,
}

/// The agent time summaries (the type is a filter).
pub struct AgentTime;

/// Pushes the organization, days and agent filters on a `report_*` table aliased `alias`.
fn push_filters(f: &Scoped, alias: &str, sql: &mut QueryBuilder<'static, Postgres>) {
    if let Some(organization) = &f.organization {
        sql.push(format_args!(" and {alias}.organization = "))
            .push_bind(organization.clone());
    }
    f.days.push(&format!("{alias}.report_day"), sql);
    if let Some(agent) = &f.agent {
        sql.push(format_args!(" and {alias}.agent_id = "))
            .push_bind(agent.clone());
    }
}

/// `agents`: one line per agent-day of the type with its team. Each source table is summed per
/// agent-day in one pass and joined on (rather than looked up row by row): 90 days of 180
/// agents are 16,200 lines, and a lookup per line per table cost four times as much.
fn push_agent_days(f: &Scoped, sql: &mut QueryBuilder<'static, Postgres>) {
    sql.push("with params as (select ");
    sql.push_bind(f.campaign_type.clone())
        .push("::text as kind, ")
        .push_bind(f.zone.clone())
        .push(
            "::text as tz), \
             agent_days as (select d.organization, d.report_day, d.agent_id, \
                    sum(d.ready_seconds) filter (where d.campaign_type in (p.kind, ''))::bigint as ready, \
                    sum(d.preview_seconds) filter (where d.campaign_type in (p.kind, ''))::bigint as preview, \
                    sum(d.talking_seconds) filter (where d.campaign_type in (p.kind, ''))::bigint as talk, \
                    sum(d.wrap_up_seconds) filter (where d.campaign_type in (p.kind, ''))::bigint as wrap, \
                    sum(d.not_ready_seconds) filter (where d.campaign_type in (p.kind, ''))::bigint as not_ready, \
                    sum(d.pending_not_ready_seconds) filter (where d.campaign_type in (p.kind, ''))::bigint as pending, \
                    sum(d.ready_seconds + d.preview_seconds + d.talking_seconds + d.wrap_up_seconds \
                        + d.pending_not_ready_seconds + d.not_ready_seconds)::bigint as attached \
               from report_agent_day d cross join params p where true",
        );
    push_filters(f, "d", sql);
    sql.push(
        " group by 1, 2, 3, p.kind having bool_or(d.campaign_type = p.kind)), \
         calls as (select x.organization, x.report_day, x.agent_id, sum(x.calls)::bigint as calls, \
                          sum(x.nuisance_caused)::bigint as nuisance_caused, \
                          sum(x.previews_cancelled)::bigint as previews_cancelled \
                     from report_agent_campaign_day x cross join params p \
                    where x.campaign_type = p.kind",
    );
    push_filters(f, "x", sql);
    sql.push(
        " group by 1, 2, 3), \
         sold as (select x.organization, x.report_day, x.agent_id, sum(x.sales)::bigint as sales \
                    from report_sales_day x \
                   where (x.organization, x.campaign) in \
                         (select k.organization, k.campaign from report_campaign_day k cross join params p \
                           where k.campaign_type = p.kind)",
    );
    push_filters(f, "x", sql);
    sql.push(
        " group by 1, 2, 3), \
         reasons as (select organization, report_day, agent_id, \
                            string_agg(reason || '=' || seconds, '; ' order by seconds desc, reason) as reasons \
                       from (select y.organization, y.report_day, y.agent_id, y.reason, \
                                    sum(y.seconds)::bigint as seconds \
                               from report_agent_reason_day y cross join params p \
                              where y.campaign_type in (p.kind, '')",
    );
    push_filters(f, "y", sql);
    sql.push(
        " group by 1, 2, 3, 4) r group by 1, 2, 3), \
         agents as (select a.organization, a.report_day, a.agent_id, a.ready, a.preview, a.talk, \
                a.wrap, a.not_ready, a.pending, coalesce(tm.name, '(no team)') as team, \
                coalesce(to_char(coalesce(l.first_login, \
                    (select min(s.login_at) from agent_session s \
                      where s.organization = a.organization and s.agent_id = a.agent_id \
                        and s.event = 'login' \
                        and s.occurred_at >= a.report_day::timestamp at time zone p.tz \
                        and s.occurred_at < (a.report_day + 1)::timestamp at time zone p.tz)) \
                    at time zone p.tz, 'YYYY-MM-DD HH24:MI:SS'), '') as first_login, \
                coalesce(to_char(l.last_logout at time zone p.tz, 'YYYY-MM-DD HH24:MI:SS'), '') as last_logout, \
                greatest(coalesce(l.staffed_seconds, 0), a.attached) as staffed, \
                coalesce(c.calls, 0) as calls, coalesce(c.nuisance_caused, 0) as nuisance_caused, \
                coalesce(c.previews_cancelled, 0) as previews_cancelled, coalesce(s.sales, 0) as sales, \
                coalesce(r.reasons, '') as reasons \
           from agent_days a cross join params p \
           left join report_agent_login_day l using (organization, report_day, agent_id) \
           left join calls c using (organization, report_day, agent_id) \
           left join sold s using (organization, report_day, agent_id) \
           left join reasons r using (organization, report_day, agent_id)",
    );
    sql.push(agent_team_join("a"));
    sql.push(" where true");
    if let Some(team) = &f.team {
        sql.push(" and coalesce(tm.name, '(no team)') = ")
            .push_bind(team.clone());
    }
    sql.push(")");
}

impl Report for AgentTime {
    type Filters = AgentTimeFilters;
    type Scoped = Scoped;
    type Row = AgentTimeRow;
    type Line = AgentTimeRow;

    const ROLES: &'static [Role] = &Role::ALL;
    const ACCESS_KEY: Option<&'static str> = Some("agent_time");
    const READ_ACTION: AuditAction = AuditAction::AgentTimeReport;
    const EXPORT_ACTION: AuditAction = AuditAction::AgentTimeExport;
    const PAGE_SIZE: u32 = 50;
    const FILE_STEM: &'static str = "agent-time-summary";
    const SHEET: &'static str = "Agent time";
    const KEY: Key = Key {
        at: None,
        id: "row_no",
    };

    async fn scope(ctx: &Ctx, q: &AgentTimeFilters) -> Result<Scoped, AppError> {
        let zone = ctx.state.settings.call_data.time_zone.clone();
        let days = ReportDays::parse(q.from.as_deref(), q.to.as_deref())?
            .or_recent(&zone, RECENT_DAYS)
            .within(SUMMARY_DAYS)?;
        let organization = organization(ctx, q.organization.as_deref())?;
        known_agent(&ctx.state.pool, organization.as_deref(), q.agent.as_deref()).await?;
        let campaign_type = match &q.campaign_type {
            None => CampaignType::Predictive,
            Some(CampaignType::Other(text)) => {
                return Err(AppError::validation(
                    "type",
                    format!("“{text}” is not a campaign type: predictive or preview."),
                ))
            }
            Some(known) => known.clone(),
        };
        Ok(Scoped {
            zone,
            organization,
            days,
            campaign_type: campaign_type.as_str().to_string(),
            team: q.team.clone(),
            agent: q.agent.clone(),
        })
    }

    fn select(f: &Scoped, sql: &mut QueryBuilder<'static, Postgres>) {
        push_agent_days(f, sql);
        sql.push(
            " select row_number() over (order by team, team_total, report_day desc, organization, agent_id) as row_no, l.* \
              from (select team, false as team_total, report_day::text as report_day, organization, agent_id, \
                           first_login, last_logout, staffed, ready, preview, talk, wrap, not_ready, \
                           pending, reasons, calls, sales, nuisance_caused, previews_cancelled \
                      from agents \
                    union all \
                    select team, true, '', '', '', '', '', sum(staffed)::bigint, sum(ready)::bigint, \
                           sum(preview)::bigint, sum(talk)::bigint, sum(wrap)::bigint, \
                           sum(not_ready)::bigint, sum(pending)::bigint, '', sum(calls)::bigint, \
                           sum(sales)::bigint, sum(nuisance_caused)::bigint, \
                           sum(previews_cancelled)::bigint \
                      from agents group by team) l",
        );
    }

    fn decode(r: &PgRow) -> Result<AgentTimeRow, sqlx::Error> {
        Ok(AgentTimeRow {
            row_no: r.try_get("row_no")?,
            team_total: r.try_get("team_total")?,
            team: r.try_get("team")?,
            report_day: r.try_get("report_day")?,
            agent: r.try_get("agent_id")?,
            first_login: r.try_get("first_login")?,
            last_logout: r.try_get("last_logout")?,
            staffed_seconds: r.try_get("staffed")?,
            ready_seconds: r.try_get("ready")?,
            preview_seconds: r.try_get("preview")?,
            talk_seconds: r.try_get("talk")?,
            wrap_up_seconds: r.try_get("wrap")?,
            not_ready_seconds: r.try_get("not_ready")?,
            pending_not_ready_seconds: r.try_get("pending")?,
            not_ready_reasons: r.try_get("reasons")?,
            calls: r.try_get("calls")?,
            sales: r.try_get("sales")?,
            nuisance_caused: r.try_get("nuisance_caused")?,
            previews_cancelled: r.try_get("previews_cancelled")?,
        })
    }

    fn lines(row: AgentTimeRow) -> Vec<AgentTimeRow> {
        vec![row]
    }

    fn descending(_: &Scoped) -> bool {
        false
    }
}

impl Summarised for AgentTime {
    const ONCE: bool = true;

    fn totals(_: &Scoped) -> Option<&'static str> {
        Some(
            "select 0::bigint as row_no, false as team_total, 'All teams' as team, '' as report_day, \
             '' as agent_id, '' as first_login, '' as last_logout, \
             coalesce(sum(staffed), 0)::bigint as staffed, coalesce(sum(ready), 0)::bigint as ready, \
             coalesce(sum(preview), 0)::bigint as preview, coalesce(sum(talk), 0)::bigint as talk, \
             coalesce(sum(wrap), 0)::bigint as wrap, coalesce(sum(not_ready), 0)::bigint as not_ready, \
             coalesce(sum(pending), 0)::bigint as pending, '' as reasons, \
             coalesce(sum(calls), 0)::bigint as calls, coalesce(sum(sales), 0)::bigint as sales, \
             coalesce(sum(nuisance_caused), 0)::bigint as nuisance_caused, \
             coalesce(sum(previews_cancelled), 0)::bigint as previews_cancelled \
             from matching where not team_total",
        )
    }

    fn chart(_: &Scoped) -> Option<ChartQuery> {
        Some(ChartQuery {
            title: "Hours per agent over the days shown".into(),
            kind: ChartKind::StackedBars,
            unit: ChartUnit::Hours,
            series: ["Ready", "Preview", "Talk", "Wrap-up", "Not ready"]
                .map(String::from)
                .to_vec(),
            limit: None,
            sql: "select agent_id as label, array[sum(ready) / 3600.0, sum(preview) / 3600.0, \
                  sum(talk) / 3600.0, sum(wrap) / 3600.0, sum(not_ready + pending) / 3600.0]::float8[] \
                    as values \
                  from matching where not team_total group by agent_id order by agent_id limit 40"
                .into(),
        })
    }
}
