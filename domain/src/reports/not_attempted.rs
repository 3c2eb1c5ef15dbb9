//! The List Accounts Not Attempted report: every contact a job passed over (`contact_skip`),
//! newest first on its `(organization, occurred_at, row_id)` index, why, and its latest attempt
//! before then on the
//! `(organization, list_name, user_contact_id, attempt_at)` index; the counts by list × reason
//! as stacked bars.

use sqlx::postgres::{PgRow, Postgres};
use sqlx::{QueryBuilder, Row};
use types::report::{ChartKind, ChartUnit};

use super::{job_number, known_campaign, local_time, organization, DetailDays, PAGE_DAYS};
use crate::access::Ctx;
use crate::error::AppError;
use crate::model::{AuditAction, NotAttemptedFilters, NotAttemptedRow, Role, SkipReason};
use crate::report::{self, ChartQuery, Key, Report, Summarised};

/// The checked filters.
pub struct Scoped {
    zone: String,
    organization: Option<String>,
    days: DetailDays,
    campaign: Option<String>,
    job: Option<i64>,
    list: Option<String>,
    reason: Option<String>,
}

/// The List Accounts Not Attempted report.
pub struct NotAttempted;

impl Report for NotAttempted {
    type Filters = NotAttemptedFilters;
    type Scoped = Scoped;
    type Row = NotAttemptedRow;
    type Line = NotAttemptedRow;

    const ROLES: &'static [Role] = &Role::ALL;
    const ACCESS_KEY: Option<&'static str> = Some("not_attempted");
    const READ_ACTION: AuditAction = AuditAction::NotAttemptedReport;
    const EXPORT_ACTION: AuditAction = AuditAction::NotAttemptedExport;
    const PAGE_SIZE: u32 = 50;
    const FILE_STEM: &'static str = "not-attempted";
    const SHEET: &'static str = "Not attempted";
    const XLSX_NUMBERS: bool = false;
    const KEY: Key = Key {
        at: Some("occurred_at"),
        id: "row_id",
    };

    async fn scope(ctx: &Ctx, q: &NotAttemptedFilters) -> Result<Scoped, AppError> {
        let zone = ctx.state.settings.call_data.time_zone.clone();
        let job = job_number(q.job.as_deref())?;
        let recent = Some(if job.is_some() { PAGE_DAYS - 1 } else { 6 });
        let days = DetailDays::parse(&zone, q.from.as_deref(), q.to.as_deref(), recent)?;
        let organization = organization(ctx, q.organization.as_deref())?;
        known_campaign(
            &ctx.state.pool,
            organization.as_deref(),
            q.campaign.as_deref(),
        )
        .await?;
        let reason = match &q.reason {
            Some(SkipReason::Other(text)) => {
                return Err(AppError::validation(
                    "reason",
                    format!("“{text}” is not a reason."),
                ))
            }
            other => other.as_ref().map(|r| r.as_str().to_string()),
        };
        Ok(Scoped {
            zone,
            organization,
            days,
            campaign: q.campaign.clone(),
            job,
            list: q.list.clone(),
            reason,
        })
    }

    fn select(f: &Scoped, sql: &mut QueryBuilder<'static, Postgres>) {
        // The last attempt is a scalar subquery, not a lateral join: the total's count(*) leaves
        // it out, and a page computes it for its own rows only.
        sql.push(format_args!(
            "select s.occurred_at, s.row_id, {as_of} as as_of_local, s.organization, s.list_name, \
                    s.campaign, s.job_id, s.user_contact_id, \
                    coalesce(s.contact->>'ACCOUNT_NO', '') as account, \
                    coalesce(s.contact->>'phoneNumber1', s.contact->>'phoneNumber2', '') as phone, \
                    s.reason, \
                    (select array[{last}, a.result] from call_attempt a \
                      where a.organization = s.organization and a.list_name = s.list_name \
                        and a.user_contact_id = s.user_contact_id and a.attempt_at <= s.occurred_at \
                      order by a.attempt_at desc limit 1) as last_attempt \
               from contact_skip s cross join (select ",
            as_of = local_time("s.occurred_at"),
            last = local_time("a.attempt_at"),
        ));
        sql.push_bind(f.zone.clone())
            .push("::text as tz) z where true");
        if let Some(organization) = &f.organization {
            sql.push(" and s.organization = ")
                .push_bind(organization.clone());
        }
        if let Some(from) = f.days.from {
            sql.push(" and s.occurred_at >= ").push_bind(from);
        }
        if let Some(to) = f.days.to {
            sql.push(" and s.occurred_at < ").push_bind(to);
        }
        for (column, value) in [("s.campaign", &f.campaign), ("s.reason", &f.reason)] {
            if let Some(value) = value {
                sql.push(format_args!(" and {column} = "))
                    .push_bind(value.clone());
            }
        }
        if let Some(job) = f.job {
            sql.push(" and s.job_id = ").push_bind(job);
        }
        report::push_contains(sql, "s.list_name", &f.list);
    }

    fn decode(r: &PgRow) -> Result<NotAttemptedRow, sqlx::Error> {
        let last: Vec<String> = r
            .try_get::<Option<Vec<String>>, _>("last_attempt")?
            .unwrap_or_default();
        Ok(NotAttemptedRow {
            row_id: r.try_get("row_id")?,
            as_of: r.try_get("as_of_local")?,
            organization: r.try_get("organization")?,
            list: r.try_get("list_name")?,
            campaign: r.try_get("campaign")?,
            job_id: r.try_get("job_id")?,
            contact_id: r.try_get("user_contact_id")?,
            account: r.try_get("account")?,
            phone: r.try_get("phone")?,
            reason: r.try_get::<String, _>("reason")?.into(),
            last_attempt_at: last.first().cloned().unwrap_or_default(),
            last_result: last.get(1).cloned().unwrap_or_default(),
        })
    }

    fn lines(row: NotAttemptedRow) -> Vec<NotAttemptedRow> {
        vec![row]
    }

    fn page_check(f: &Scoped) -> Result<(), AppError> {
        f.days.page_check()
    }
}

impl Summarised for NotAttempted {
    fn chart(_: &Scoped) -> Option<ChartQuery> {
        let reasons = SkipReason::all();
        let counts: Vec<String> = reasons
            .iter()
            .map(|r| format!("count(*) filter (where reason = '{}')", r.as_str()))
            .collect();
        Some(ChartQuery {
            title: "Contacts passed over per list, by reason".into(),
            kind: ChartKind::StackedBars,
            unit: ChartUnit::Count,
            series: reasons.iter().map(|r| r.label().to_string()).collect(),
            limit: None,
            sql: format!(
                "select list_name as label, array[{}]::float8[] as values from matching \
                 group by list_name order by list_name limit 40",
                counts.join(", ")
            ),
        })
    }
}
