//! The Secured/Unsecured Performance report: per report day, team, agent and campaign, the
//! agent's connects and attached hours (`report_agent_campaign_day`) beside the sales by category
//! (`report_sales_day`); a line for every agent-day-campaign with a connect or a sale.

use sqlx::postgres::{PgRow, Postgres};
use sqlx::{QueryBuilder, Row};
use types::report::{ChartKind, ChartUnit};

use super::{agent_team_join, known_agent, known_campaign, organization, ReportDays, SUMMARY_DAYS};
use crate::access::Ctx;
use crate::error::AppError;
use crate::model::{AuditAction, Role, SalesFilters, SalesRow};
use crate::report::{ChartQuery, Key, Report, Summarised};

/// Days shown when the filter names none: the last thirty.
pub const RECENT_DAYS: i64 = 29;

/// The checked filters.
pub struct Scoped {
    organization: Option<String>,
    days: ReportDays,
    campaign: Option<String>,
    team: Option<String>,
    agent: Option<String>,
}

fn push_filters(f: &Scoped, sql: &mut QueryBuilder<'static, Postgres>) {
    if let Some(organization) = &f.organization {
        sql.push(" and organization = ")
            .push_bind(organization.clone());
    }
    f.days.push("report_day", sql);
    for (column, value) in [("campaign", &f.campaign), ("agent_id", &f.agent)] {
        if let Some(value) = value {
            sql.push(format_args!(" and {column} = "))
                .push_bind(value.clone());
        }
    }
}

/// The Secured/Unsecured Performance report.
pub struct Sales;

impl Report for Sales {
    type Filters = SalesFilters;
    type Scoped = Scoped;
    type Row = SalesRow;
    type Line = SalesRow;

    const ROLES: &'static [Role] = &Role::ALL;
    const ACCESS_KEY: Option<&'static str> = Some("sales");
    const READ_ACTION: AuditAction = AuditAction::SalesReport;
    const EXPORT_ACTION: AuditAction = AuditAction::SalesExport;
    const PAGE_SIZE: u32 = 50;
    const FILE_STEM: &'static str = "secured-unsecured";
    const SHEET: &'static str = "Secured and unsecured";
    const KEY: Key = Key {
        at: None,
        id: "row_no",
    };
    const SORT_SQL: &'static [(&'static str, &'static str)] = &[
        ("agent", "agent_id"),
        (
            "secured_conversion",
            "secured_sales::float8 / nullif(connects, 0)",
        ),
        (
            "unsecured_conversion",
            "unsecured_sales::float8 / nullif(connects, 0)",
        ),
        ("agent_hours", "agent_seconds"),
        (
            "sales_per_agent_hour",
            "(secured_sales + unsecured_sales)::float8 / nullif(agent_seconds, 0)",
        ),
    ];

    async fn scope(ctx: &Ctx, q: &SalesFilters) -> Result<Scoped, AppError> {
        let zone = &ctx.state.settings.call_data.time_zone;
        let days = ReportDays::parse(q.from.as_deref(), q.to.as_deref())?
            .or_recent(zone, RECENT_DAYS)
            .within(SUMMARY_DAYS)?;
        let organization = organization(ctx, q.organization.as_deref())?;
        let pool = &ctx.state.pool;
        known_campaign(pool, organization.as_deref(), q.campaign.as_deref()).await?;
        known_agent(pool, organization.as_deref(), q.agent.as_deref()).await?;
        Ok(Scoped {
            organization,
            days,
            campaign: q.campaign.clone(),
            team: q.team.clone(),
            agent: q.agent.clone(),
        })
    }

    fn select(f: &Scoped, sql: &mut QueryBuilder<'static, Postgres>) {
        sql.push(
            "select row_number() over (order by x.report_day desc, coalesce(tm.name, '(no team)'), x.organization, \
                                              x.agent_id, x.campaign, x.currency) as row_no, \
                    x.report_day::text as report_day, coalesce(tm.name, '(no team)') as team, \
                    x.agent_id, x.campaign, x.currency, x.connects, x.agent_seconds, \
                    x.secured_sales, x.secured_amount, x.unsecured_sales, x.unsecured_amount \
               from (select organization, report_day, agent_id, campaign, \
                            coalesce(s.currency, '') as currency, coalesce(a.calls, 0) as connects, \
                            coalesce(a.attached_seconds, 0) as agent_seconds, \
                            coalesce(s.secured_sales, 0) as secured_sales, \
                            coalesce(s.secured_amount, 0) as secured_amount, \
                            coalesce(s.unsecured_sales, 0) as unsecured_sales, \
                            coalesce(s.unsecured_amount, 0) as unsecured_amount \
                       from (select organization, report_day, agent_id, campaign, calls, attached_seconds \
                               from report_agent_campaign_day where calls > 0",
        );
        push_filters(f, sql);
        sql.push(
            ") a full join (select organization, report_day, agent_id, campaign, \
                    currency, \
                    (sum(sales) filter (where category = 'secured'))::bigint as secured_sales, \
                    (sum(amount_minor) filter (where category = 'secured'))::bigint as secured_amount, \
                    (sum(sales) filter (where category = 'unsecured'))::bigint as unsecured_sales, \
                    (sum(amount_minor) filter (where category = 'unsecured'))::bigint as unsecured_amount \
               from report_sales_day where true",
        );
        push_filters(f, sql);
        // A line per currency: amounts in two currencies are never added together (the agent's
        // connects and hours then repeat on each of that day's lines).
        sql.push(
            " group by 1, 2, 3, 4, 5) s using (organization, report_day, agent_id, campaign)) x",
        );
        sql.push(agent_team_join("x"));
        sql.push(" where true");
        if let Some(team) = &f.team {
            sql.push(" and coalesce(tm.name, '(no team)') = ")
                .push_bind(team.clone());
        }
    }

    fn decode(r: &PgRow) -> Result<SalesRow, sqlx::Error> {
        Ok(SalesRow {
            row_no: r.try_get("row_no")?,
            report_day: r.try_get("report_day")?,
            team: r.try_get("team")?,
            agent: r.try_get("agent_id")?,
            campaign: r.try_get("campaign")?,
            currency: r.try_get("currency")?,
            connects: r.try_get("connects")?,
            agent_seconds: r.try_get("agent_seconds")?,
            secured_sales: r.try_get("secured_sales")?,
            secured_amount_minor: r.try_get("secured_amount")?,
            unsecured_sales: r.try_get("unsecured_sales")?,
            unsecured_amount_minor: r.try_get("unsecured_amount")?,
        })
    }

    fn lines(row: SalesRow) -> Vec<SalesRow> {
        vec![row]
    }

    fn descending(_: &Scoped) -> bool {
        false
    }
}

impl Summarised for Sales {
    const ONCE: bool = true;

    fn totals(_: &Scoped) -> Option<&'static str> {
        Some(
            "select 0::bigint as row_no, 'All days' as report_day, '' as team, '' as agent_id, \
             'All campaigns' as campaign, coalesce(string_agg(distinct currency, ' '), '') as currency, \
             coalesce(sum(connects), 0)::bigint as connects, \
             coalesce(sum(agent_seconds), 0)::bigint as agent_seconds, \
             coalesce(sum(secured_sales), 0)::bigint as secured_sales, \
             case when count(distinct nullif(currency, '')) <= 1 \
                  then coalesce(sum(secured_amount), 0) else 0 end::bigint as secured_amount, \
             coalesce(sum(unsecured_sales), 0)::bigint as unsecured_sales, \
             case when count(distinct nullif(currency, '')) <= 1 \
                  then coalesce(sum(unsecured_amount), 0) else 0 end::bigint as unsecured_amount \
             from matching",
        )
    }

    fn chart(_: &Scoped) -> Option<ChartQuery> {
        Some(ChartQuery {
            title: "Sales per day by category".into(),
            kind: ChartKind::StackedBars,
            unit: ChartUnit::Count,
            series: vec!["Secured".into(), "Unsecured".into()],
            limit: None,
            sql: "select report_day as label, \
                  array[sum(secured_sales), sum(unsecured_sales)]::float8[] as values \
                  from matching group by report_day order by report_day"
                .into(),
        })
    }
}
