//! The calling window OCM assumes POM keeps (`OCM_CALLING_WINDOW`, the contact's local time) and
//! when it next opens in a zone (pure). POM's web services do not expose a campaign's window, so
//! the setting must match the campaign strategies; it only dates a reason, it never holds a call.
//! Zones are read by the IANA rules (daylight saving included), as POM reads them.

use jiff::tz::{Offset, TimeZone};
use jiff::Timestamp;
use time::OffsetDateTime;

/// Minutes after local midnight: calls from `start` until before `end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CallingWindow {
    pub start_minute: i64,
    pub end_minute: i64,
}

impl Default for CallingWindow {
    /// 08:00–21:00, Ofcom's and the TCPA's usual hours (and the simulator's default).
    fn default() -> Self {
        CallingWindow {
            start_minute: 8 * 60,
            end_minute: 21 * 60,
        }
    }
}

fn minute_of(text: &str) -> Option<i64> {
    let (hours, minutes) = text.trim().split_once(':')?;
    let (hours, minutes): (i64, i64) = (hours.parse().ok()?, minutes.parse().ok()?);
    ((0..=24).contains(&hours) && (0..60).contains(&minutes) && hours * 60 + minutes <= 1440)
        .then_some(hours * 60 + minutes)
}

impl std::fmt::Display for CallingWindow {
    /// `08:00–21:00`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (start, end) = (self.start_minute, self.end_minute);
        write!(
            f,
            "{:02}:{:02}–{:02}:{:02}",
            start / 60,
            start % 60,
            end / 60,
            end % 60
        )
    }
}

impl CallingWindow {
    /// Reads `HH:MM-HH:MM` (start before end, within one day).
    pub fn parse(text: &str) -> Option<Self> {
        let (start, end) = text.split_once('-')?;
        let (start_minute, end_minute) = (minute_of(start)?, minute_of(end)?);
        (start_minute < end_minute).then_some(CallingWindow {
            start_minute,
            end_minute,
        })
    }

    /// When the window next opens in `zone` after `now` (`now` itself while it is open), by the
    /// zone's rules (daylight saving included); `UTC±hh:mm` as a fixed offset; none for a zone
    /// nobody knows.
    pub fn next_opening(&self, zone: &str, now: OffsetDateTime) -> Option<OffsetDateTime> {
        let tz = TimeZone::get(zone).ok().or_else(|| {
            let minutes = pom::zones::offset_minutes(zone)?;
            Some(TimeZone::fixed(Offset::from_seconds(minutes * 60).ok()?))
        })?;
        let here = Timestamp::from_second(now.unix_timestamp())
            .ok()?
            .to_zoned(tz.clone());
        let minute = i64::from(here.hour()) * 60 + i64::from(here.minute());
        if (self.start_minute..self.end_minute).contains(&minute) {
            return Some(now);
        }
        let day = if minute < self.start_minute {
            here.date()
        } else {
            here.date().tomorrow().ok()?
        };
        let (hour, minute) = (self.start_minute / 60, self.start_minute % 60);
        let opens = day
            .at(i8::try_from(hour).ok()?, i8::try_from(minute).ok()?, 0, 0)
            .to_zoned(tz)
            .ok()?;
        OffsetDateTime::from_unix_timestamp(opens.timestamp().as_second()).ok()
    }
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;

    #[test]
    fn reads_the_setting_and_refuses_what_it_cannot_use() {
        assert_eq!(
            CallingWindow::parse("08:00-21:00"),
            Some(CallingWindow::default())
        );
        assert_eq!(
            CallingWindow::parse(" 9:30 - 24:00 "),
            Some(CallingWindow {
                start_minute: 570,
                end_minute: 1440
            })
        );
        for bad in [
            "",
            "08:00",
            "21:00-08:00",
            "08:00-08:00",
            "25:00-26:00",
            "8-21",
            "08:61-09:00",
        ] {
            assert_eq!(CallingWindow::parse(bad), None, "{bad}");
        }
        assert_eq!(CallingWindow::default().to_string(), "08:00–21:00");
    }

    #[test]
    fn the_next_opening_is_local_to_the_zone() {
        let window = CallingWindow::default();
        let evening = datetime!(2026-12-07 22:30:15 UTC);
        assert_eq!(
            window.next_opening("UTC", evening),
            Some(datetime!(2026-12-08 08:00 UTC))
        );
        // 22:30 UTC is 17:30 in New York (UTC-5): open now.
        assert_eq!(
            window.next_opening("America/New_York", evening),
            Some(evening)
        );
        let early = datetime!(2026-12-07 06:10 UTC);
        assert_eq!(
            window.next_opening("UTC", early),
            Some(datetime!(2026-12-07 08:00 UTC))
        );
        assert_eq!(window.next_opening("Mars/Olympus", early), None);
        assert_eq!(
            window.next_opening("UTC+05:30", early),
            Some(datetime!(2026-12-07 06:10 UTC)),
            "11:40 there: open"
        );
    }

    #[test]
    fn daylight_saving_moves_the_opening() {
        let window = CallingWindow::default();
        // London keeps summer time (UTC+1) in July: 08:00 there is 07:00 UTC.
        assert_eq!(
            CallingWindow::default().next_opening("Europe/London", datetime!(2026-07-01 05:00 UTC)),
            Some(datetime!(2026-07-01 07:00 UTC))
        );
        // The night the clocks go back (25 October 2026), the next morning opens at 08:00 UTC.
        assert_eq!(
            window.next_opening("Europe/London", datetime!(2026-10-24 22:00 UTC)),
            Some(datetime!(2026-10-25 08:00 UTC))
        );
    }
}
