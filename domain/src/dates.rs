//! Dates as the pages send them (report date ranges: `YYYY-MM-DD` whole UTC days or RFC 3339
//! instants) and instants as they receive them.

use sqlx::{Postgres, QueryBuilder};
use time::format_description::well_known::Rfc3339;
use time::{Date, OffsetDateTime, Time};

use crate::error::AppError;

/// A report's `from`/`to` filter: `to` is inclusive (a bare day reaches its end), kept here as
/// the exclusive instant after it, so every report compares instants the same way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DateRange {
    pub from: Option<OffsetDateTime>,
    pub to_exclusive: Option<OffsetDateTime>,
}

impl DateRange {
    /// Reads both ends; a bad date names its field, an end before the start names `to`.
    pub fn parse(from: Option<&str>, to: Option<&str>) -> Result<Self, AppError> {
        let from = from
            .map(|v| instant("from", v, false))
            .transpose()?
            .flatten();
        let to_exclusive = to.map(|v| instant("to", v, true)).transpose()?.flatten();
        if let (Some(from), Some(to)) = (from, to_exclusive) {
            if to <= from {
                return Err(AppError::validation("to", "The end is before the start."));
            }
        }
        Ok(DateRange { from, to_exclusive })
    }

    /// Pushes ` and column >= from and column < to` for the ends that are set.
    pub fn push(&self, column: &str, sql: &mut QueryBuilder<'static, Postgres>) {
        if let Some(from) = self.from {
            sql.push(format_args!(" and {column} >= ")).push_bind(from);
        }
        if let Some(to) = self.to_exclusive {
            sql.push(format_args!(" and {column} < ")).push_bind(to);
        }
    }
}

/// `YYYY-MM-DD` (a whole UTC day; with `end_of_day` the start of the next one) or an RFC 3339
/// instant; blank is none.
fn instant(field: &str, value: &str, end_of_day: bool) -> Result<Option<OffsetDateTime>, AppError> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(None);
    }
    if let Ok(instant) = OffsetDateTime::parse(value, &Rfc3339) {
        return Ok(Some(instant));
    }
    let refused =
        || AppError::validation(field, format!("“{value}” is not a date; use YYYY-MM-DD."));
    let format = time::macros::format_description!("[year]-[month]-[day]");
    let date = Date::parse(value, format).map_err(|_| refused())?;
    let date = if end_of_day {
        date.next_day().ok_or_else(refused)?
    } else {
        date
    };
    Ok(Some(date.with_time(Time::MIDNIGHT).assume_utc()))
}

/// An instant as RFC 3339 (what the browser receives).
pub fn rfc3339(at: time::OffsetDateTime) -> String {
    at.format(&Rfc3339).unwrap_or_default()
}

/// The wall time at `at` in `zone`, as POM's schedules take it (`yyyy/MM/dd HH:mm:ss`): IANA
/// names with their daylight-saving rules (the tz database is built in), `UTC±hh:mm` as fixed
/// offsets. `None` for a zone neither knows.
pub fn pom_wall_time(zone: &str, at: time::OffsetDateTime) -> Option<String> {
    let offset = match jiff::tz::TimeZone::get(zone.trim()) {
        Ok(tz) => {
            let instant = jiff::Timestamp::from_second(at.unix_timestamp()).ok()?;
            tz.to_offset(instant).seconds()
        }
        Err(_) => pom::zones::offset_minutes(zone)? * 60,
    };
    let local = at.to_offset(time::UtcOffset::from_whole_seconds(offset).ok()?);
    let format = time::macros::format_description!("[year]/[month]/[day] [hour]:[minute]:[second]");
    local.format(&format).ok()
}

/// The instant a wall time in `zone` stands for (daylight saving as in [`pom_wall_time`]).
pub fn instant_in_zone(zone: &str, local: time::PrimitiveDateTime) -> Option<time::OffsetDateTime> {
    match jiff::tz::TimeZone::get(zone.trim()) {
        Ok(tz) => {
            let civil = jiff::civil::DateTime::new(
                local.year() as i16,
                local.month() as i8,
                local.day() as i8,
                local.hour() as i8,
                local.minute() as i8,
                local.second() as i8,
                0,
            )
            .ok()?;
            let seconds = civil.to_zoned(tz).ok()?.timestamp().as_second();
            time::OffsetDateTime::from_unix_timestamp(seconds).ok()
        }
        Err(_) => {
            let offset = pom::zones::offset_minutes(zone)?;
            Some(local.assume_utc() - time::Duration::minutes(i64::from(offset)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_take_whole_days_or_instants_and_refuse_an_end_before_the_start() {
        let day = DateRange::parse(Some("2026-11-01"), Some("2026-11-01")).unwrap();
        assert_eq!(
            day.to_exclusive.unwrap() - day.from.unwrap(),
            time::Duration::days(1)
        );
        let instant = DateRange::parse(Some("2026-11-01T10:00:00Z"), Some(" ")).unwrap();
        assert_eq!(
            instant.from,
            Some(time::macros::datetime!(2026-11-01 10:00 UTC))
        );
        assert_eq!(instant.to_exclusive, None);
        for (from, to, field) in [
            ("2026-13-01", "", "from"),
            ("", "yesterday", "to"),
            ("2026-11-02", "2026-11-01", "to"),
        ] {
            let error = DateRange::parse(Some(from), Some(to)).unwrap_err();
            assert!(
                matches!(error, AppError::Validation { field: ref f, .. } if f == field),
                "{error:?}"
            );
        }
    }

    #[test]
    fn wall_times_follow_daylight_saving() {
        let summer = time::macros::datetime!(2026-07-01 12:00 UTC);
        let winter = time::macros::datetime!(2026-01-15 12:00 UTC);
        assert_eq!(
            pom_wall_time("Europe/London", summer).unwrap(),
            "2026/07/01 13:00:00"
        );
        assert_eq!(
            pom_wall_time("Europe/London", winter).unwrap(),
            "2026/01/15 12:00:00"
        );
        assert_eq!(
            pom_wall_time("UTC+05:30", winter).unwrap(),
            "2026/01/15 17:30:00"
        );
        assert_eq!(pom_wall_time("Mars/Olympus", winter), None);
        let local = time::macros::datetime!(2026-07-01 13:00);
        assert_eq!(instant_in_zone("Europe/London", local).unwrap(), summer);
    }
}
