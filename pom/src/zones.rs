//! Time zones for POM schedules: common IANA names with fixed standard offsets, and `UTC±hh:mm`.
//! The simulator schedules with these offsets (daylight saving is ignored on purpose: a fixed
//! offset keeps demos and tests predictable, docs/pom.md); OCM offers the same names and uses
//! the offsets only to refuse start times clearly in the past.

const NAMED: [(&str, i32); 24] = [
    ("UTC", 0),
    ("GMT", 0),
    ("Etc/UTC", 0),
    ("Europe/London", 0),
    ("Europe/Dublin", 0),
    ("Europe/Lisbon", 0),
    ("Europe/Berlin", 60),
    ("Europe/Paris", 60),
    ("Europe/Madrid", 60),
    ("Europe/Rome", 60),
    ("Europe/Athens", 120),
    ("Africa/Johannesburg", 120),
    ("Asia/Dubai", 240),
    ("Asia/Kolkata", 330),
    ("Asia/Calcutta", 330),
    ("Asia/Singapore", 480),
    ("Asia/Tokyo", 540),
    ("Australia/Sydney", 600),
    ("America/Sao_Paulo", -180),
    ("America/New_York", -300),
    ("America/Chicago", -360),
    ("America/Denver", -420),
    ("America/Los_Angeles", -480),
    ("Pacific/Auckland", 720),
];

/// The zone names offered to people, in the order listed above.
pub fn names() -> impl Iterator<Item = &'static str> {
    NAMED
        .iter()
        .map(|(name, _)| *name)
        .filter(|name| !matches!(*name, "GMT" | "Etc/UTC" | "Asia/Calcutta"))
}

/// Minutes east of UTC for a zone name (case-insensitive) or `UTC+hh:mm` / `+hh:mm`.
pub fn offset_minutes(zone: &str) -> Option<i32> {
    let zone = zone.trim();
    if let Some((_, offset)) = NAMED.iter().find(|(n, _)| n.eq_ignore_ascii_case(zone)) {
        return Some(*offset);
    }
    let rest = zone
        .strip_prefix("UTC")
        .or_else(|| zone.strip_prefix("GMT"))
        .unwrap_or(zone);
    let (sign, digits) = match rest.as_bytes().first()? {
        b'+' => (1, &rest[1..]),
        b'-' => (-1, &rest[1..]),
        _ => return None,
    };
    let (hours, minutes) = digits.split_once(':').unwrap_or((digits, "0"));
    let (hours, minutes): (i32, i32) = (hours.parse().ok()?, minutes.parse().ok()?);
    (hours <= 14 && minutes < 60).then_some(sign * (hours * 60 + minutes))
}

/// The local minute of the day (0..1440) at `utc_ms` for a zone `offset` minutes east of UTC.
pub fn local_minute_of_day(utc_ms: i64, offset: i32) -> i64 {
    (utc_ms.div_euclid(60_000) + i64::from(offset)).rem_euclid(1440)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_offsets_are_understood() {
        assert_eq!(offset_minutes("europe/london"), Some(0));
        assert_eq!(offset_minutes("Asia/Kolkata"), Some(330));
        assert_eq!(offset_minutes("UTC-05:00"), Some(-300));
        assert_eq!(offset_minutes("+10"), Some(600));
        assert_eq!(offset_minutes("Mars/Olympus"), None);
        assert_eq!(offset_minutes("UTC+25:00"), None);
    }

    #[test]
    fn local_time_wraps_around_midnight() {
        assert_eq!(local_minute_of_day(0, -60), 23 * 60);
        assert_eq!(local_minute_of_day(90 * 60_000, 330), 7 * 60);
    }
}
