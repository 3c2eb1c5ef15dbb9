//! The call-data reports (`docs/reports.md`): each a [`crate::report::Report`] over OCM's own
//! call-data tables, with its totals and chart ([`crate::report::Summarised`]); and the filter
//! pieces they share: report days in the report time zone, the organization a caller may read,
//! and names checked against the call data so a typing mistake is said, not shown as no rows.

pub mod agent_time;
pub mod call_attempts;
pub mod code_lists;
pub mod compliance;
pub mod compliance_overview;
pub mod inbound_abandoned;
pub mod job_summary;
pub mod not_attempted;
pub mod not_listed;
pub mod nuisance;
pub mod recalls;
pub mod sales;
pub mod stale;

use sqlx::{PgPool, Postgres, QueryBuilder};
use time::{Date, OffsetDateTime};

use crate::access::Ctx;
use crate::dates::instant_in_zone;
use crate::error::AppError;
use types::report::PAGE_ONLY_FIELD;

/// The abandon-rate limit both regulators use, in percent.
pub const LIMIT_PERCENT: f64 = 3.0;

/// A report's days, inclusive, as the report time zone counts them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ReportDays {
    pub from: Option<Date>,
    pub to: Option<Date>,
}

fn day(field: &str, value: Option<&str>) -> Result<Option<Date>, AppError> {
    let Some(value) = value.map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    let format = time::macros::format_description!("[year]-[month]-[day]");
    // Years outside 1–9999 parse (a signed year) but no report day lies there, and arithmetic
    // on them could overflow.
    Date::parse(value, format)
        .ok()
        .filter(|d| (1..=9999).contains(&d.year()))
        .map(Some)
        .ok_or_else(|| {
            AppError::validation(field, format!("“{value}” is not a date; use YYYY-MM-DD."))
        })
}

/// Days a summary report may span (a detail report's page: [`PAGE_DAYS`]).
pub const SUMMARY_DAYS: i64 = 400;

impl ReportDays {
    /// Reads both ends (`YYYY-MM-DD`); a bad date names its field, an end before the start `to`.
    pub fn parse(from: Option<&str>, to: Option<&str>) -> Result<Self, AppError> {
        let days = ReportDays {
            from: day("from", from)?,
            to: day("to", to)?,
        };
        if let (Some(from), Some(to)) = (days.from, days.to) {
            if to < from {
                return Err(AppError::validation("to", "The end is before the start."));
            }
        }
        Ok(days)
    }

    /// Pushes ` and column >= from and column <= to` on a `date` column of report days.
    pub fn push(&self, column: &str, sql: &mut QueryBuilder<'static, Postgres>) {
        if let Some(from) = self.from {
            sql.push(format_args!(" and {column} >= ")).push_bind(from);
        }
        if let Some(to) = self.to {
            sql.push(format_args!(" and {column} <= ")).push_bind(to);
        }
    }

    /// The instants the days span in `zone`: from the first day's midnight to the midnight after
    /// the last.
    pub fn instants(&self, zone: &str) -> (Option<OffsetDateTime>, Option<OffsetDateTime>) {
        let midnight = |d: Date| instant_in_zone(zone, d.midnight());
        (
            self.from.and_then(midnight),
            self.to.and_then(|d| d.next_day()).and_then(midnight),
        )
    }

    /// The range with its missing ends filled: no end is today in `zone`, no start the end less
    /// `days_back` days (a report's first visit shows its most recent days).
    pub fn or_recent(self, zone: &str, days_back: i64) -> Self {
        let to = self.to.unwrap_or_else(|| today(zone));
        let from = self.from.unwrap_or_else(|| {
            to.checked_sub(time::Duration::days(days_back))
                .unwrap_or(to)
        });
        ReportDays {
            from: Some(from.min(to)),
            to: Some(to),
        }
    }

    /// Refuses a range longer than `days` (summaries read a row per day and campaign or agent;
    /// longer ranges are exported a year at a time), naming `from`.
    pub fn within(self, days: i64) -> Result<Self, AppError> {
        if self.span().is_some_and(|d| d > days) {
            return Err(AppError::validation(
                "from",
                format!("This report spans at most {days} days: choose a shorter range."),
            ));
        }
        Ok(self)
    }

    /// Days from the first to the last, when both are set.
    pub fn span(&self) -> Option<i64> {
        Some((self.to? - self.from?).whole_days() + 1)
    }
}

/// Days a page of a detail report may span; its export takes any range.
pub const PAGE_DAYS: i64 = 31;

/// A detail report's checked days and the instants they span in the report zone.
pub struct DetailDays {
    pub days: ReportDays,
    pub from: Option<OffsetDateTime>,
    pub to: Option<OffsetDateTime>,
}

impl DetailDays {
    /// Reads the days; missing ends are filled with the most recent `recent` days (today and
    /// the days before), or left open with `None` (a job filter reads every day).
    pub fn parse(
        zone: &str,
        from: Option<&str>,
        to: Option<&str>,
        recent: Option<i64>,
    ) -> Result<Self, AppError> {
        let mut days = ReportDays::parse(from, to)?;
        if let Some(back) = recent {
            days = days.or_recent(zone, back);
        }
        let (from, to) = days.instants(zone);
        Ok(DetailDays { days, from, to })
    }

    /// Pushes the instants on a raw table's time column, with the partition key (`occurred_at`,
    /// the end of the record's span, never before its start nor a day after) bounded too so
    /// Postgres reads only the partitions of those days.
    pub fn push(&self, column: &str, partition: &str, sql: &mut QueryBuilder<'static, Postgres>) {
        if let Some(from) = self.from {
            sql.push(format_args!(" and {column} >= ")).push_bind(from);
            sql.push(format_args!(" and {partition} >= "))
                .push_bind(from);
        }
        if let Some(to) = self.to {
            sql.push(format_args!(" and {column} < ")).push_bind(to);
            sql.push(format_args!(" and {partition} < "))
                .push_bind(to + time::Duration::days(1));
        }
    }

    /// Refuses a page spanning more than [`PAGE_DAYS`] (the export stays offered).
    pub fn page_check(&self) -> Result<(), AppError> {
        if self.days.span().is_some_and(|d| d > PAGE_DAYS) {
            return Err(AppError::validation(
                PAGE_ONLY_FIELD,
                format!(
                    "A page of this report spans at most {PAGE_DAYS} days: choose a shorter \
                     range, or export the whole range (CSV or Excel)."
                ),
            ));
        }
        Ok(())
    }
}

/// `to_char(column at time zone tz, …)`: a wall time in the report zone, empty for none (`tz`
/// a text column in scope).
pub(crate) fn local_time(column: &str) -> String {
    format!("coalesce(to_char({column} at time zone tz, 'YYYY-MM-DD HH24:MI:SS'), '')")
}

/// A job number from the filter, naming the `job` field when it is not one.
pub(crate) fn job_number(job: Option<&str>) -> Result<Option<i64>, AppError> {
    job.map(|j| {
        j.trim()
            .parse::<i64>()
            .map_err(|_| AppError::validation("job", format!("“{j}” is not a job number.")))
    })
    .transpose()
}

/// `left join (…) tm` giving `tm.name`, the team the agent → team mapping gives the agent on the
/// day (`alias` has `organization`, `report_day` and `agent_id`). A join on the periods, not a
/// lookup per row: an agent's periods never overlap (`mappings::agents` checks under a lock), so
/// at most one matches a day, and a summary of 60,000 agent-days joins them in one pass.
pub(crate) fn agent_team_join(alias: &str) -> String {
    format!(
        " left join (select at.agent_id, o.name as organization, t.name, at.valid_from, at.valid_to \
                       from agent_team at join team t using (team_id) \
                       join organization o using (organization_id)) tm \
                 on tm.agent_id = {alias}.agent_id and tm.organization = {alias}.organization \
                and tm.valid_from <= {alias}.report_day \
                and (tm.valid_to is null or {alias}.report_day < tm.valid_to) "
    )
}

/// Today in `zone` (UTC's today for a zone jiff does not know).
pub fn today(zone: &str) -> Date {
    local_clock(OffsetDateTime::now_utc(), zone).0
}

/// The date, hour and minute `at` shows on a clock in `zone` (UTC's for a zone jiff does not know).
pub fn local_clock(at: OffsetDateTime, zone: &str) -> (Date, u8, u8) {
    let utc = (at.date(), at.hour(), at.minute());
    let Ok(tz) = jiff::tz::TimeZone::get(zone) else {
        return utc;
    };
    let Ok(stamp) = jiff::Timestamp::from_second(at.unix_timestamp()) else {
        return utc;
    };
    let zoned = stamp.to_zoned(tz);
    time::Month::try_from(zoned.month() as u8)
        .ok()
        .and_then(|month| {
            Date::from_calendar_date(i32::from(zoned.year()), month, zoned.day() as u8).ok()
        })
        .map_or(utc, |date| (date, zoned.hour() as u8, zoned.minute() as u8))
}

/// The organization the caller reads: admins any (or all), everyone else their own; asking for
/// another names the field.
pub fn organization(ctx: &Ctx, requested: Option<&str>) -> Result<Option<String>, AppError> {
    crate::report::organization(&ctx.user, requested).map_err(|_| {
        AppError::validation(
            "organization",
            "You can read only your own organization's reports.",
        )
    })
}

/// Checks that `campaign` has call data in the caller's organization (any, for `None`), so a
/// misspelt or foreign campaign is said rather than shown as an empty report.
pub async fn known_campaign(
    pool: &PgPool,
    organization: Option<&str>,
    campaign: Option<&str>,
) -> Result<(), AppError> {
    let Some(campaign) = campaign else {
        return Ok(());
    };
    let known = sqlx::query_scalar!(
        r#"select exists (select 1 from report_campaign_day
                           where campaign = $1 and ($2::text is null or organization = $2)) as "known!""#,
        campaign,
        organization
    )
    .fetch_one(pool)
    .await?;
    if known {
        Ok(())
    } else {
        Err(AppError::validation(
            "campaign",
            format!("No campaign “{campaign}” has call data you can read."),
        ))
    }
}

/// Checks that `agent` has agent time in the caller's organization.
pub async fn known_agent(
    pool: &PgPool,
    organization: Option<&str>,
    agent: Option<&str>,
) -> Result<(), AppError> {
    let Some(agent) = agent else {
        return Ok(());
    };
    let known = sqlx::query_scalar!(
        r#"select exists (select 1 from report_agent_day
                           where agent_id = $1 and ($2::text is null or organization = $2)) as "known!""#,
        agent,
        organization
    )
    .fetch_one(pool)
    .await?;
    if known {
        Ok(())
    } else {
        Err(AppError::validation(
            "agent",
            format!("No agent “{agent}” has call data you can read."),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn report_days_are_whole_days_of_the_report_zone() {
        let days = ReportDays::parse(Some("2026-07-01"), Some("2026-07-02")).unwrap();
        assert_eq!(days.span(), Some(2));
        let (from, to) = days.instants("Europe/London");
        // British Summer Time: midnight is 23:00 UTC the day before.
        assert_eq!(from, Some(time::macros::datetime!(2026-06-30 23:00 UTC)));
        assert_eq!(to, Some(time::macros::datetime!(2026-07-02 23:00 UTC)));
        let long = ReportDays::parse(Some("2025-01-01"), Some("2026-07-01")).unwrap();
        assert!(
            matches!(long.within(SUMMARY_DAYS), Err(AppError::Validation { field, .. }) if field == "from")
        );
        // A signed year parses with `time` but is no report day (and would overflow arithmetic).
        let crafted = ReportDays::parse(None, Some("-9999-01-01"));
        assert!(matches!(crafted, Err(AppError::Validation { field, .. }) if field == "to"));
        let far = ReportDays::parse(None, Some("0001-01-01")).unwrap();
        assert!(
            far.or_recent("UTC", 29).from < far.to,
            "counting back from year 1 does not panic"
        );
        for (from, to, field) in [
            ("2026-02-30", "", "from"),
            ("", "yesterday", "to"),
            ("2026-07-02", "2026-07-01", "to"),
        ] {
            let error = ReportDays::parse(Some(from), Some(to)).unwrap_err();
            assert!(
                matches!(error, AppError::Validation { field: ref f, .. } if f == field),
                "{error:?}"
            );
        }
    }
}
