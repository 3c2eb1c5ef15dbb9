//! The Predictive and Preview Agent Time Summaries: per agent per report day under the team the
//! agent → team mapping gives for that day ("(no team)" without one), then a total per team, from
//! `report_agent_time_day`: one line per agent, day and campaign type that
//! [`super::stale::settle`] works out from the summary tables (`report_agent_day`,
//! `report_agent_login_day`, `report_agent_reason_day`, `report_agent_campaign_day`,
//! `report_sales_day`) for the days ingestion marked stale. An agent's day counts when the agent
//! spent time on campaigns of the chosen type; time not attached to any job that day counts with it.

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

/// `agents`: the type's lines of the chosen days, each under the team the agent was in that day
/// (joined here, not kept: a mapping may be corrected afterwards).
fn push_agent_days(f: &Scoped, sql: &mut QueryBuilder<'static, Postgres>) {
    sql.push(
        "with agents as (select a.organization, a.report_day, a.agent_id, \
                a.ready_seconds as ready, a.preview_seconds as preview, a.talking_seconds as talk, \
                a.wrap_up_seconds as wrap, a.not_ready_seconds as not_ready, \
                a.pending_not_ready_seconds as pending, coalesce(tm.name, '(no team)') as team, \
                coalesce(to_char(a.first_login at time zone ",
    );
    sql.push_bind(f.zone.clone()).push(
        ", 'YYYY-MM-DD HH24:MI:SS'), '') as first_login, \
         coalesce(to_char(a.last_logout at time zone ",
    );
    sql.push_bind(f.zone.clone()).push(
        ", 'YYYY-MM-DD HH24:MI:SS'), '') as last_logout, \
         a.staffed_seconds as staffed, a.calls, a.nuisance_caused, a.previews_cancelled, a.sales, \
         a.not_ready_reasons as reasons \
         from report_agent_time_day a",
    );
    sql.push(agent_team_join("a"));
    sql.push(" where a.campaign_type = ")
        .push_bind(f.campaign_type.clone());
    push_filters(f, "a", sql);
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
        super::stale::settle(&ctx.state.pool, &zone).await?;
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
