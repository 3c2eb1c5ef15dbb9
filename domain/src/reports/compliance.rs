//! The compliance view's day table: per campaign and report day, the UK (Ofcom) abandoned-call
//! rate with the AMD false-positive estimate (`D′ = D − D × AMfp / (AMfp + Live)`,
//! `rate = D′ / (D′ + Live)`), the plain abandoned / answered rate and the share of live answers
//! connected within 2 s; breaches of 3 % flagged. Summaries only (`report_nuisance_hour`,
//! `report_campaign_day`, `report_connect_delay_day`); its export is the evidence file.

use sqlx::postgres::{PgRow, Postgres};
use sqlx::{QueryBuilder, Row};
use types::report::{ChartKind, ChartUnit};

use super::nuisance::{push_filters, scope, Scoped as DayScope};
use super::LIMIT_PERCENT;
use crate::access::Ctx;
use crate::error::AppError;
use crate::model::{AbandonFilters, AuditAction, ComplianceDayRow, Role};
use crate::report::{ChartQuery, Key, Report, Summarised};

/// The checked filters and the AMD false-positive rate in force.
pub struct Scoped {
    days: DayScope,
    amd_false_positive_percent: f64,
}

impl Scoped {
    /// One organization's report day, as the floor dashboard reads it (no caller: the floor's
    /// figures are shared by everyone who may read that organization).
    pub fn day_of(organization: &str, day: time::Date, amd_false_positive_percent: f64) -> Self {
        Scoped {
            days: DayScope {
                organization: Some(organization.to_string()),
                days: super::ReportDays {
                    from: Some(day),
                    to: Some(day),
                },
                campaign: None,
            },
            amd_false_positive_percent,
        }
    }
}

/// The compliance view's day table.
pub struct Compliance;

impl Report for Compliance {
    type Filters = AbandonFilters;
    type Scoped = Scoped;
    type Row = ComplianceDayRow;
    type Line = ComplianceDayRow;

    const ROLES: &'static [Role] = &Role::ALL;
    const ACCESS_KEY: Option<&'static str> = Some("compliance");
    const READ_ACTION: AuditAction = AuditAction::ComplianceReport;
    const EXPORT_ACTION: AuditAction = AuditAction::ComplianceExport;
    const PAGE_SIZE: u32 = 50;
    const FILE_STEM: &'static str = "abandon-rate-evidence";
    const SHEET: &'static str = "Abandon rates";
    const KEY: Key = Key {
        at: None,
        id: "row_no",
    };

    async fn scope(ctx: &Ctx, q: &AbandonFilters) -> Result<Scoped, AppError> {
        Ok(Scoped {
            days: scope(ctx, q).await?,
            amd_false_positive_percent: ctx.state.settings.call_data.amd_false_positive_percent,
        })
    }

    fn select(f: &Scoped, sql: &mut QueryBuilder<'static, Postgres>) {
        sql.push(
            "select row_number() over (order by report_day desc, organization, campaign) as row_no, \
             report_day::text as report_day, organization, campaign, answered, live, abandoned, \
             machine_answers, amd_false_positives, adjusted_abandoned, \
             round((100 * adjusted_abandoned / nullif(adjusted_abandoned + live, 0))::numeric, 2)::float8 as uk_rate, \
             round(100.0 * abandoned / nullif(answered, 0), 2)::float8 as plain_rate, \
             round(100.0 * fast / nullif(live, 0), 2)::float8 as within_two_seconds, \
             coalesce(100 * adjusted_abandoned / nullif(adjusted_abandoned + live, 0) > ",
        );
        sql.push(LIMIT_PERCENT.to_string()).push(
            ", false) as breach \
             from (select b.*, case when amd_false_positives + live > 0 \
                     then abandoned - abandoned * amd_false_positives / (amd_false_positives + live) \
                     else abandoned end as adjusted_abandoned \
               from (select n.organization, n.report_day, n.campaign, n.answered, n.abandoned, \
                            n.answered - n.abandoned as live, coalesce(m.machine, 0) as machine_answers, \
                            coalesce(m.machine, 0) * ",
        );
        sql.push_bind(f.amd_false_positive_percent).push(
            "::float8 / 100 as amd_false_positives, coalesce(c.fast, 0) as fast \
               from (select organization, report_day, campaign, sum(answered)::bigint as answered, \
                            sum(nuisance_no_agent + nuisance_agent_aux)::bigint as abandoned \
                       from report_nuisance_hour where true",
        );
        push_filters(&f.days, sql);
        sql.push(
            " group by 1, 2, 3) n \
             left join (select organization, report_day, campaign, sum(answer_machine)::bigint as machine \
                          from report_campaign_day where true",
        );
        push_filters(&f.days, sql);
        sql.push(
            " group by 1, 2, 3) m using (organization, report_day, campaign) \
             left join (select organization, report_day, campaign, \
                               (sum(answers) filter (where bucket between 0 and 3))::bigint as fast \
                          from report_connect_delay_day where true",
        );
        push_filters(&f.days, sql);
        sql.push(" group by 1, 2, 3) c using (organization, report_day, campaign)) b) d");
    }

    fn decode(r: &PgRow) -> Result<ComplianceDayRow, sqlx::Error> {
        Ok(ComplianceDayRow {
            row_no: r.try_get("row_no")?,
            report_day: r.try_get("report_day")?,
            organization: r.try_get("organization")?,
            campaign: r.try_get("campaign")?,
            answered: r.try_get("answered")?,
            live: r.try_get("live")?,
            abandoned: r.try_get("abandoned")?,
            machine_answers: r.try_get("machine_answers")?,
            amd_false_positives: r.try_get("amd_false_positives")?,
            adjusted_abandoned: r.try_get("adjusted_abandoned")?,
            uk_rate: r.try_get("uk_rate")?,
            plain_rate: r.try_get("plain_rate")?,
            within_two_seconds: r.try_get("within_two_seconds")?,
            breach: r.try_get("breach")?,
        })
    }

    fn lines(row: ComplianceDayRow) -> Vec<ComplianceDayRow> {
        vec![row]
    }

    fn descending(_: &Scoped) -> bool {
        false
    }
}

impl Summarised for Compliance {
    const ONCE: bool = true;

    fn chart(_: &Scoped) -> Option<ChartQuery> {
        Some(ChartQuery {
            title: "Highest UK rate of any campaign, per day".into(),
            kind: ChartKind::Lines,
            unit: ChartUnit::Percent,
            series: vec!["Highest campaign rate %".into()],
            limit: Some((LIMIT_PERCENT, "3 % limit".into())),
            sql: "select report_day as label, array[coalesce(max(uk_rate), 0)::float8] as values \
                  from matching group by report_day order by report_day"
                .into(),
        })
    }
}
