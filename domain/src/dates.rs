//! Dates as the pages send them (`YYYY-MM-DD` whole-day filters) and instants as they receive them.

use time::Date;

use crate::error::AppError;

/// An optional day; a value that is not a date is refused naming `field`.
pub fn day(field: &str, value: &Option<String>) -> Result<Option<Date>, AppError> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    match value.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => Date::parse(v, &format).map(Some).map_err(|_| {
            AppError::validation(field, format!("“{v}” is not a date; use YYYY-MM-DD."))
        }),
    }
}

/// An instant as RFC 3339 (what the browser receives).
pub fn rfc3339(at: time::OffsetDateTime) -> String {
    at.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
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
