//! The Secured/Unsecured Performance report: per report day, team, agent and campaign, the
//! agent's connects and attached hours (`report_agent_campaign_day`) beside the sales by category
//! (`report_sales_day`); a line for every agent-day-campaign with a connect or a sale, read from
//! `report_sales_line`, which [`super::stale::settle`] keeps with each line's team and place.

use sqlx::postgres::{PgRow, Postgres};
use sqlx::{QueryBuilder, Row};
use types::report::{ChartKind, ChartUnit};

use super::{known_agent, known_campaign, organization, ReportDays, SUMMARY_DAYS};
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
        super::stale::settle(pool, zone).await?;
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
            "select line_no as row_no, report_day::text as report_day, team, agent_id, campaign, \
                    currency, connects, agent_seconds, secured_sales, secured_amount, \
                    unsecured_sales, unsecured_amount \
               from report_sales_line where true",
        );
        push_filters(f, sql);
        if let Some(team) = &f.team {
            sql.push(" and team = ").push_bind(team.clone());
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

    /// Lines are numbered larger first in the report's order (later days first).
    fn descending(_: &Scoped) -> bool {
        true
    }
}

/// Not worked out once: a page reads its 50 lines off the `line_no` index, and the total, totals
/// and chart are one pass each over the lines (a copy of every line would cost more than all
/// three).
impl Summarised for Sales {
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
