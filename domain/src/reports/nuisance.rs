//! The Outbound Nuisance report (seed 001: a predictive call dialled by POM that connects to an
//! agent who goes AUX is a nuisance call; OCM also counts the calls no free agent could take):
//! live answers and nuisance calls per campaign and report day, from `report_nuisance_hour`
//! only, with totals and the daily nuisance % against the 3 % line.

use sqlx::postgres::{PgRow, Postgres};
use sqlx::{QueryBuilder, Row};
use types::report::{ChartKind, ChartUnit};

use super::{known_campaign, organization, ReportDays, LIMIT_PERCENT, SUMMARY_DAYS};
use crate::access::Ctx;
use crate::error::AppError;
use crate::model::{AbandonFilters, AuditAction, NuisanceDayRow, Role};
use crate::report::{ChartQuery, Key, Report, Summarised};

/// Days shown when the filter names none: the last thirty.
pub const RECENT_DAYS: i64 = 29;

/// The checked filters (shared with the compliance view's day table).
pub struct Scoped {
    pub(super) organization: Option<String>,
    pub(super) days: ReportDays,
    pub(super) campaign: Option<String>,
}

/// Checks the filters both abandon reports take.
pub(super) async fn scope(ctx: &Ctx, q: &AbandonFilters) -> Result<Scoped, AppError> {
    let zone = &ctx.state.settings.call_data.time_zone;
    let days = ReportDays::parse(q.from.as_deref(), q.to.as_deref())?
        .or_recent(zone, RECENT_DAYS)
        .within(SUMMARY_DAYS)?;
    let organization = organization(ctx, q.organization.as_deref())?;
    known_campaign(
        &ctx.state.pool,
        organization.as_deref(),
        q.campaign.as_deref(),
    )
    .await?;
    Ok(Scoped {
        organization,
        days,
        campaign: q.campaign.clone(),
    })
}

/// Pushes ` and …` for the organization, days and campaign of a `report_*` table.
pub(super) fn push_filters(f: &Scoped, sql: &mut QueryBuilder<'static, Postgres>) {
    if let Some(organization) = &f.organization {
        sql.push(" and organization = ")
            .push_bind(organization.clone());
    }
    f.days.push("report_day", sql);
    if let Some(campaign) = &f.campaign {
        sql.push(" and campaign = ").push_bind(campaign.clone());
    }
}

/// The Outbound Nuisance report.
pub struct Nuisance;

impl Report for Nuisance {
    type Filters = AbandonFilters;
    type Scoped = Scoped;
    type Row = NuisanceDayRow;
    type Line = NuisanceDayRow;

    const ROLES: &'static [Role] = &Role::ALL;
    const ACCESS_KEY: Option<&'static str> = Some("nuisance");
    const READ_ACTION: AuditAction = AuditAction::NuisanceReport;
    const EXPORT_ACTION: AuditAction = AuditAction::NuisanceExport;
    const PAGE_SIZE: u32 = 50;
    const FILE_STEM: &'static str = "outbound-nuisance";
    const SHEET: &'static str = "Outbound nuisance";
    const KEY: Key = Key {
        at: None,
        id: "row_no",
    };

    async fn scope(ctx: &Ctx, q: &AbandonFilters) -> Result<Scoped, AppError> {
        scope(ctx, q).await
    }

    fn select(f: &Scoped, sql: &mut QueryBuilder<'static, Postgres>) {
        sql.push(
            "select row_number() over (order by report_day desc, organization, campaign) as row_no, \
             report_day::text as report_day, organization, campaign, live_answers, \
             nuisance_agent_aux, nuisance_no_agent, nuisance_agent_aux + nuisance_no_agent as nuisance, \
             round(100.0 * (nuisance_agent_aux + nuisance_no_agent) / nullif(live_answers, 0), 2)::float8 \
               as nuisance_percent \
             from (select organization, report_day, campaign, sum(answered)::bigint as live_answers, \
                          sum(nuisance_agent_aux)::bigint as nuisance_agent_aux, \
                          sum(nuisance_no_agent)::bigint as nuisance_no_agent \
                     from report_nuisance_hour where true",
        );
        push_filters(f, sql);
        sql.push(" group by organization, report_day, campaign) d");
    }

    fn decode(r: &PgRow) -> Result<NuisanceDayRow, sqlx::Error> {
        Ok(NuisanceDayRow {
            row_no: r.try_get("row_no")?,
            report_day: r.try_get("report_day")?,
            organization: r.try_get("organization")?,
            campaign: r.try_get("campaign")?,
            live_answers: r.try_get("live_answers")?,
            nuisance_agent_aux: r.try_get("nuisance_agent_aux")?,
            nuisance_no_agent: r.try_get("nuisance_no_agent")?,
            nuisance: r.try_get("nuisance")?,
            nuisance_percent: r.try_get("nuisance_percent")?,
        })
    }

    fn lines(row: NuisanceDayRow) -> Vec<NuisanceDayRow> {
        vec![row]
    }

    fn descending(_: &Scoped) -> bool {
        false
    }
}

impl Summarised for Nuisance {
    const ONCE: bool = true;

    fn totals(_: &Scoped) -> Option<&'static str> {
        Some(
            "select 0::bigint as row_no, 'All days' as report_day, '' as organization, \
             'All campaigns' as campaign, coalesce(sum(live_answers), 0)::bigint as live_answers, \
             coalesce(sum(nuisance_agent_aux), 0)::bigint as nuisance_agent_aux, \
             coalesce(sum(nuisance_no_agent), 0)::bigint as nuisance_no_agent, \
             coalesce(sum(nuisance), 0)::bigint as nuisance, \
             round(100.0 * sum(nuisance) / nullif(sum(live_answers), 0), 2)::float8 as nuisance_percent \
             from matching",
        )
    }

    fn chart(_: &Scoped) -> Option<ChartQuery> {
        Some(ChartQuery {
            title: "Nuisance % of live answers per day".into(),
            kind: ChartKind::Lines,
            unit: ChartUnit::Percent,
            series: vec!["Nuisance %".into()],
            limit: Some((LIMIT_PERCENT, "3 % limit".into())),
            sql: "select report_day as label, \
                  array[coalesce(round(100.0 * sum(nuisance) / nullif(sum(live_answers), 0), 2), 0)::float8] \
                    as values \
                  from matching group by report_day order by report_day"
                .into(),
        })
    }
}
