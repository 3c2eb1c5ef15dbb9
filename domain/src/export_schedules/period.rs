//! Which days a run covers: its period worked out from the run's local date in the schedule's
//! zone (a run at 00:30 on a Monday in Europe/London covers the week before that Monday, whatever
//! the date is in UTC). Pure; calendar arithmetic is jiff's.

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};

use crate::error::AppError;
use crate::model::{Period, PeriodDays};

/// Whole days a "last N days" period may cover at most.
pub const MAX_DAYS: u16 = 366;

/// Checks a period's own values.
pub fn check(period: Period) -> Result<Period, AppError> {
    match period {
        Period::LastDays { days } if !(1..=MAX_DAYS).contains(&days) => Err(AppError::validation(
            "period",
            format!("The number of days is 1 to {MAX_DAYS}."),
        )),
        period => Ok(period),
    }
}

fn days(from: Date, to: Date) -> PeriodDays {
    PeriodDays {
        from: from.to_string(),
        to: to.to_string(),
    }
}

fn before(date: Date, span: jiff::Span) -> Result<Date, AppError> {
    date.checked_sub(span)
        .map_err(|e| crate::error::internal(&e))
}

/// The days `period` covers for a run at `run` in `zone`.
pub fn covered(period: Period, run: Timestamp, zone: &TimeZone) -> Result<PeriodDays, AppError> {
    let today = run.to_zoned(zone.clone()).date();
    Ok(match check(period)? {
        Period::PreviousDay => {
            let yesterday = before(today, 1.day())?;
            days(yesterday, yesterday)
        }
        Period::PreviousWeek => {
            let into_week = today.weekday().to_monday_zero_offset();
            let this_monday = before(today, i64::from(into_week).days())?;
            days(
                before(this_monday, 7.days())?,
                before(this_monday, 1.day())?,
            )
        }
        Period::PreviousMonth => {
            let first = today.first_of_month();
            let last_month = before(first, 1.day())?;
            days(last_month.first_of_month(), last_month)
        }
        Period::MonthToDate => days(today.first_of_month(), today),
        Period::LastDays { days: count } => days(
            before(today, i64::from(count).days())?,
            before(today, 1.day())?,
        ),
        Period::TodaySoFar => days(today, today),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn covered_at(period: Period, run: &str, zone: &str) -> (String, String) {
        let zone = TimeZone::get(zone).unwrap();
        let days = covered(period, run.parse().unwrap(), &zone).unwrap();
        (days.from, days.to)
    }

    fn pair(from: &str, to: &str) -> (String, String) {
        (from.to_string(), to.to_string())
    }

    #[test]
    fn periods_follow_the_runs_local_date() {
        // Monday 7 December 2026 at 07:00 in London.
        let run = "2026-12-07T07:00:00Z";
        let london = "Europe/London";
        assert_eq!(
            covered_at(Period::PreviousDay, run, london),
            pair("2026-12-06", "2026-12-06")
        );
        assert_eq!(
            covered_at(Period::PreviousWeek, run, london),
            pair("2026-11-30", "2026-12-06")
        );
        assert_eq!(
            covered_at(Period::PreviousMonth, run, london),
            pair("2026-11-01", "2026-11-30")
        );
        assert_eq!(
            covered_at(Period::MonthToDate, run, london),
            pair("2026-12-01", "2026-12-07")
        );
        assert_eq!(
            covered_at(Period::LastDays { days: 7 }, run, london),
            pair("2026-11-30", "2026-12-06")
        );
        assert_eq!(
            covered_at(Period::TodaySoFar, run, london),
            pair("2026-12-07", "2026-12-07")
        );
        // Monday noon in London is already Tuesday 01:00 in Auckland: its previous day is Monday.
        let noon = "2026-12-07T12:00:00Z";
        assert_eq!(
            covered_at(Period::PreviousDay, noon, london),
            pair("2026-12-06", "2026-12-06")
        );
        let auckland = "Pacific/Auckland";
        assert_eq!(
            covered_at(Period::PreviousDay, noon, auckland),
            pair("2026-12-07", "2026-12-07")
        );
        // A run on a Sunday still covers the week before the one it is in.
        let sunday = "2026-12-13T22:00:00Z";
        assert_eq!(
            covered_at(Period::PreviousWeek, sunday, london),
            pair("2026-11-30", "2026-12-06")
        );
        // Previous month across a year and into February of a leap year.
        assert_eq!(
            covered_at(Period::PreviousMonth, "2027-01-01T06:00:00Z", london),
            pair("2026-12-01", "2026-12-31")
        );
        assert_eq!(
            covered_at(Period::PreviousMonth, "2028-03-01T06:00:00Z", london),
            pair("2028-02-01", "2028-02-29")
        );
    }

    #[test]
    fn the_number_of_days_is_bounded() {
        for days in [0, MAX_DAYS + 1] {
            assert!(matches!(
                check(Period::LastDays { days }),
                Err(AppError::Validation { field, .. }) if field == "period"
            ));
        }
        assert!(check(Period::LastDays { days: MAX_DAYS }).is_ok());
    }
}
