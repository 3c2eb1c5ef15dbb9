//! The export scheduler's contract (seed 001 "OCM Export Scheduler"): when a scheduled report
//! runs (a recurrence at local times in an IANA zone) and which days it covers (a period
//! relative to the run).

use serde::{Deserialize, Serialize};

/// How often a schedule runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "every", rename_all = "snake_case")]
pub enum Repeat {
    Daily,
    /// On these ISO weekdays (1 = Monday … 7 = Sunday).
    Weekly {
        weekdays: Vec<u8>,
    },
    Monthly {
        day: MonthDay,
    },
}

/// Which day of the month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MonthDay {
    /// 1 to 31; in a month without it, the month's last day.
    Day(u8),
    Last,
}

/// When a schedule runs: a repeat, one or more local times (`HH:MM`) and the zone they are in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recurrence {
    pub repeat: Repeat,
    pub times: Vec<String>,
    /// An IANA zone name (`Europe/London`).
    pub time_zone: String,
}

/// The days a run covers, relative to the run's local date in the schedule's zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "period", rename_all = "snake_case")]
pub enum Period {
    PreviousDay,
    /// Monday to Sunday of the week before the run's.
    PreviousWeek,
    PreviousMonth,
    /// From the 1st of the run's month to the run's day.
    MonthToDate,
    /// The `days` whole days before the run's day (1 to 366).
    LastDays {
        days: u16,
    },
    /// The run's day up to the run.
    TodaySoFar,
}

/// The first and last day (inclusive, `YYYY-MM-DD`) a run covers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeriodDays {
    pub from: String,
    pub to: String,
}

const WEEKDAY_NAMES: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// "a, b and c".
fn listed(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// "1st", "2nd", "23rd", "31st".
fn ordinal(day: u8) -> String {
    let suffix = match (day % 10, day % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{day}{suffix}")
}

impl Recurrence {
    /// In plain words: "Every Monday and Friday at 07:00 and 13:00 Europe/London".
    pub fn in_words(&self) -> String {
        let mut times: Vec<String> = self.times.iter().map(|t| t.trim().to_string()).collect();
        times.sort();
        times.dedup();
        let when = match &self.repeat {
            Repeat::Daily => "Every day".to_string(),
            Repeat::Weekly { weekdays } => {
                let mut days = weekdays.clone();
                days.sort_unstable();
                days.dedup();
                let names: Vec<String> = days
                    .iter()
                    .filter_map(|d| WEEKDAY_NAMES.get(usize::from(*d).checked_sub(1)?))
                    .map(|n| n.to_string())
                    .collect();
                format!("Every {}", listed(&names))
            }
            Repeat::Monthly {
                day: MonthDay::Last,
            } => "On the last day of every month".to_string(),
            Repeat::Monthly {
                day: MonthDay::Day(day),
            } if *day >= 29 => format!(
                "On the {} of every month (the last day in shorter months)",
                ordinal(*day)
            ),
            Repeat::Monthly {
                day: MonthDay::Day(day),
            } => format!("On the {} of every month", ordinal(*day)),
        };
        // Many times a day read as a span: "at 00:00 … 23:00 (24 times)".
        let at = match times.as_slice() {
            [first, .., last] if times.len() > 4 => {
                format!("{first} … {last} ({} times)", times.len())
            }
            _ => listed(&times),
        };
        format!("{when} at {at} {}", self.time_zone.trim())
    }
}

impl Period {
    /// Whose data, in plain words: "last week's", "the last 7 days'".
    pub fn in_words(&self) -> String {
        match self {
            Period::PreviousDay => "yesterday's".to_string(),
            Period::PreviousWeek => "last week's".to_string(),
            Period::PreviousMonth => "last month's".to_string(),
            Period::MonthToDate => "this month's (to date)".to_string(),
            Period::LastDays { days: 1 } => "the last day's".to_string(),
            Period::LastDays { days } => format!("the last {days} days'"),
            Period::TodaySoFar => "today's (so far)".to_string(),
        }
    }
}

/// A schedule in one sentence: "Every Monday at 07:00 Europe/London, last week's Call Attempt
/// report as Excel".
pub fn schedule_in_words(
    recurrence: &Recurrence,
    period: Period,
    report: &str,
    format: &str,
) -> String {
    format!(
        "{}, {} {report} report as {format}",
        recurrence.in_words(),
        period.in_words()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn recurrence(repeat: Repeat, times: &[&str]) -> Recurrence {
        Recurrence {
            repeat,
            times: times.iter().map(|t| t.to_string()).collect(),
            time_zone: "Europe/London".into(),
        }
    }

    #[test]
    fn schedules_read_as_plain_words() {
        let monday = recurrence(Repeat::Weekly { weekdays: vec![1] }, &["07:00"]);
        assert_eq!(
            schedule_in_words(&monday, Period::PreviousWeek, "Call Attempt", "Excel"),
            "Every Monday at 07:00 Europe/London, last week's Call Attempt report as Excel"
        );
        let days = recurrence(
            Repeat::Weekly {
                weekdays: vec![5, 1, 3, 1],
            },
            &["13:00", "07:00"],
        );
        assert_eq!(
            days.in_words(),
            "Every Monday, Wednesday and Friday at 07:00 and 13:00 Europe/London"
        );
        let daily = recurrence(Repeat::Daily, &["06:30"]);
        assert_eq!(daily.in_words(), "Every day at 06:30 Europe/London");
        let hours: Vec<String> = (0..24).map(|h| format!("{h:02}:00")).collect();
        let hourly = recurrence(
            Repeat::Daily,
            &hours.iter().map(String::as_str).collect::<Vec<_>>(),
        );
        assert_eq!(
            hourly.in_words(),
            "Every day at 00:00 … 23:00 (24 times) Europe/London"
        );
        let on = |day| recurrence(Repeat::Monthly { day }, &["09:00"]).in_words();
        assert_eq!(
            on(MonthDay::Day(1)),
            "On the 1st of every month at 09:00 Europe/London"
        );
        assert_eq!(
            on(MonthDay::Day(22)),
            "On the 22nd of every month at 09:00 Europe/London"
        );
        assert_eq!(
            on(MonthDay::Day(13)),
            "On the 13th of every month at 09:00 Europe/London"
        );
        assert_eq!(
            on(MonthDay::Day(31)),
            "On the 31st of every month (the last day in shorter months) at 09:00 Europe/London"
        );
        assert_eq!(
            on(MonthDay::Last),
            "On the last day of every month at 09:00 Europe/London"
        );
        assert_eq!(Period::LastDays { days: 7 }.in_words(), "the last 7 days'");
    }
}
