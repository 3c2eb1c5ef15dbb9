//! A POM job state as a word on a tinted background, and the clock arithmetic the campaign views
//! need: RFC 3339 times to seconds, "12 min" ages and UTC wall-clock times.

use leptos::prelude::*;

use crate::model::job_state_label;

/// Badge for a POM job state (`JOB_ACTIVE`, …); the word carries the meaning, not the colour.
#[component]
pub fn CampaignStateBadge(state: String) -> impl IntoView {
    let class = format!(
        "campaign-state {}",
        state
            .strip_prefix("JOB_")
            .unwrap_or(&state)
            .to_ascii_lowercase()
    );
    let word = job_state_label(&state).to_string();
    view! { <span class=class>{word}</span> }
}

/// Days since 1970-01-01 of a proleptic Gregorian date.
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = if year >= 0 { year } else { year - 399 } / 400;
    let year_of_era = year - era * 400;
    let day_of_year = (153 * (month + if month > 2 { -3 } else { 9 }) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// Seconds since the Unix epoch of an RFC 3339 time (`2026-11-20T22:46:47.123Z`,
/// `…+01:00`); a time without a zone is taken as UTC.
pub fn epoch_seconds(value: &str) -> Option<i64> {
    let bytes = value.as_bytes();
    let separators = [(4, b'-'), (7, b'-'), (13, b':'), (16, b':')];
    if bytes.len() < 19
        || separators.iter().any(|&(i, c)| bytes[i] != c)
        || !matches!(bytes[10], b'T' | b't' | b' ')
    {
        return None;
    }
    let number = |range: std::ops::Range<usize>| value.get(range)?.parse::<i64>().ok();
    let (year, month, day) = (number(0..4)?, number(5..7)?, number(8..10)?);
    let (hour, minute, second) = (number(11..13)?, number(14..16)?, number(17..19)?);
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || hour > 23 || minute > 59 {
        return None;
    }
    let mut rest = &value[19..];
    if let Some(fraction) = rest.strip_prefix('.') {
        rest = fraction.trim_start_matches(|c: char| c.is_ascii_digit());
    }
    let offset = match rest {
        "" | "Z" | "z" => 0,
        zone => {
            let sign = match zone.as_bytes()[0] {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            let (hours, minutes) = zone[1..].split_once(':')?;
            sign * (hours.parse::<i64>().ok()? * 3600 + minutes.parse::<i64>().ok()? * 60)
        }
    };
    let days = days_from_civil(year, month, day);
    Some(days * 86_400 + hour * 3600 + minute * 60 + second - offset)
}

/// `42 s` → `<1 min`, `12 min`, `2 h 05 min`, `3 d 4 h`.
pub fn format_age(seconds: i64) -> String {
    let seconds = seconds.max(0);
    match seconds {
        0..=59 => "<1 min".into(),
        60..=3599 => format!("{} min", seconds / 60),
        3600..=86_399 => format!("{} h {:02} min", seconds / 3600, seconds % 3600 / 60),
        _ => format!("{} d {} h", seconds / 86_400, seconds % 86_400 / 3600),
    }
}

/// How long before `until` (seconds since the epoch) the RFC 3339 time `since` was.
pub fn age_at(since: &str, until: i64) -> Option<String> {
    epoch_seconds(since).map(|since| format_age(until - since))
}

/// The UTC wall-clock time (`HH:MM:SS`) of an RFC 3339 time.
pub fn utc_clock(value: &str) -> Option<String> {
    let seconds = epoch_seconds(value)?.rem_euclid(86_400);
    Some(format!(
        "{:02}:{:02}:{:02}",
        seconds / 3600,
        seconds % 3600 / 60,
        seconds % 60
    ))
}

/// Seconds since the epoch now: the browser's clock in the browser, the system's on the server.
pub fn now_seconds() -> i64 {
    #[cfg(feature = "hydrate")]
    {
        (web_sys::js_sys::Date::now() / 1000.0) as i64
    }
    #[cfg(not(feature = "hydrate"))]
    {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |elapsed| elapsed.as_secs() as i64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_times_become_epoch_seconds() {
        assert_eq!(epoch_seconds("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(epoch_seconds("2000-03-01T00:00:00Z"), Some(951_868_800));
        assert_eq!(
            epoch_seconds("2026-11-20T22:46:47.123456Z"),
            epoch_seconds("2026-11-20T23:46:47+01:00")
        );
        assert_eq!(
            epoch_seconds("2026-11-20T22:46:47"),
            epoch_seconds("2026-11-20T22:46:47Z")
        );
        assert_eq!(epoch_seconds("2026-11-20"), None);
        assert_eq!(epoch_seconds("2026-13-20T22:46:47Z"), None);
        assert_eq!(epoch_seconds("2026-11-20T22:46:47 CET"), None);
    }

    #[test]
    fn ages_read_naturally() {
        assert_eq!(format_age(42), "<1 min");
        assert_eq!(format_age(125), "2 min");
        assert_eq!(format_age(7500), "2 h 05 min");
        assert_eq!(format_age(3 * 86_400 + 4 * 3600), "3 d 4 h");
        assert_eq!(format_age(-5), "<1 min");
        let until = epoch_seconds("2026-11-20T10:12:30Z").unwrap();
        assert_eq!(
            age_at("2026-11-20T10:00:00Z", until).as_deref(),
            Some("12 min")
        );
    }

    #[test]
    fn clock_times_are_utc() {
        assert_eq!(
            utc_clock("2026-11-20T23:46:47+01:00").as_deref(),
            Some("22:46:47")
        );
        assert_eq!(utc_clock("not a time"), None);
    }
}
