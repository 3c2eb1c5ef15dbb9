//! When a schedule runs: its recurrence checked and turned into `croner` patterns, one per local
//! time (croner keeps a fixed-time pattern to its daylight-saving rules only when the hour and
//! minute are single values), and the next runs after an instant, found in the schedule's zone.
//! Daylight saving is croner's (the Open Cron Pattern Specification): a time in the hour the
//! clocks skip runs once, at the first instant after the gap; a time in the hour they repeat
//! runs once, in its first pass. Pure: the clock is always given.

use std::str::FromStr;

use croner::Cron;
use jiff::tz::TimeZone;
use jiff::Timestamp;

use crate::error::AppError;
use crate::model::{MonthDay, Recurrence, Repeat};

/// Local times a day at most.
pub const MAX_TIMES: usize = 24;
const WEEKDAYS: [&str; 7] = ["MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"];
/// Months shorter than 29, 30 and 31 days (February counts as 28: a leap year's 29 February
/// matches both patterns at one instant, and runs once).
const SHORTER_THAN: [(u8, &str); 3] = [(29, "2"), (30, "2"), (31, "2,4,6,9,11")];

/// A checked recurrence, ready to give run times.
#[derive(Debug, Clone)]
pub struct Plan {
    patterns: Vec<Cron>,
    zone: TimeZone,
}

fn invalid(field: &str, message: impl Into<String>) -> AppError {
    AppError::validation(field, message)
}

/// Reads `HH:MM` (00:00 to 23:59).
pub fn local_time(text: &str) -> Option<(u8, u8)> {
    let (hour, minute) = text.trim().split_once(':')?;
    if hour.len() != 2 || minute.len() != 2 {
        return None;
    }
    let (hour, minute): (u8, u8) = (hour.parse().ok()?, minute.parse().ok()?);
    (hour < 24 && minute < 60).then_some((hour, minute))
}

/// The day-of-month and day-of-week fields of each pattern.
fn day_fields(repeat: &Repeat) -> Result<Vec<(String, String)>, AppError> {
    let every_day = || ("*".to_string(), "*".to_string());
    Ok(match repeat {
        Repeat::Daily => vec![every_day()],
        Repeat::Weekly { weekdays } => {
            if weekdays.is_empty() {
                return Err(invalid("weekdays", "Choose at least one weekday."));
            }
            let mut days = weekdays.clone();
            days.sort_unstable();
            days.dedup();
            let names = days
                .iter()
                .map(|d| match d {
                    1..=7 => Ok(WEEKDAYS[usize::from(d - 1)]),
                    _ => Err(invalid(
                        "weekdays",
                        format!("{d} is not a weekday (1 to 7)."),
                    )),
                })
                .collect::<Result<Vec<_>, _>>()?;
            vec![("*".to_string(), names.join(","))]
        }
        Repeat::Monthly {
            day: MonthDay::Last,
        } => vec![("L".to_string(), "*".to_string())],
        Repeat::Monthly {
            day: MonthDay::Day(day),
        } => {
            if !(1..=31).contains(day) {
                return Err(invalid(
                    "day",
                    format!("{day} is not a day of the month (1 to 31)."),
                ));
            }
            let mut fields = vec![(day.to_string(), "*".to_string())];
            if let Some((_, months)) = SHORTER_THAN.iter().find(|(d, _)| d == day) {
                fields.push((format!("L {months}"), "*".to_string()));
            }
            fields
        }
    })
}

/// Checks a recurrence, naming the field at fault.
pub fn plan(recurrence: &Recurrence) -> Result<Plan, AppError> {
    let zone_name = recurrence.time_zone.trim();
    let zone = TimeZone::get(zone_name).map_err(|_| {
        invalid(
            "time_zone",
            format!(
                "“{}” is not an IANA time zone (such as Europe/London).",
                super::checks::shown(zone_name)
            ),
        )
    })?;
    if recurrence.times.is_empty() {
        return Err(invalid("times", "Give at least one time."));
    }
    if recurrence.times.len() > MAX_TIMES {
        return Err(invalid(
            "times",
            format!("At most {MAX_TIMES} times a day."),
        ));
    }
    let mut times = recurrence
        .times
        .iter()
        .map(|t| {
            local_time(t).ok_or_else(|| {
                invalid(
                    "times",
                    format!(
                        "{:?} is not a time of day (HH:MM, 00:00 to 23:59).",
                        super::checks::shown(t)
                    ),
                )
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    times.sort_unstable();
    times.dedup();
    let days = day_fields(&recurrence.repeat)?;
    let mut patterns = Vec::with_capacity(times.len() * days.len());
    for (hour, minute) in times {
        for (day_of_month, rest) in &days {
            // "L 2" is the last day in February: the month field rides along with the day.
            let (day_of_month, month) = day_of_month.split_once(' ').unwrap_or((day_of_month, "*"));
            let text = format!("{minute} {hour} {day_of_month} {month} {rest}");
            let pattern = Cron::from_str(&text).map_err(|e| crate::error::internal(&e))?;
            patterns.push(pattern);
        }
    }
    Ok(Plan { patterns, zone })
}

impl Plan {
    /// The first run strictly after `after` (none only for a recurrence croner cannot place
    /// within its search limit, which `plan` does not produce).
    pub fn next_after(&self, after: Timestamp) -> Option<Timestamp> {
        let from = after.to_zoned(self.zone.clone());
        self.patterns
            .iter()
            .filter_map(|p| p.find_next_occurrence(&from, false).ok())
            .map(|z| z.timestamp())
            .min()
    }

    /// The next `count` runs after `after`.
    pub fn next_runs(&self, after: Timestamp, count: usize) -> Vec<Timestamp> {
        let mut runs = Vec::with_capacity(count);
        let mut at = after;
        while runs.len() < count {
            let Some(next) = self.next_after(at) else {
                break;
            };
            runs.push(next);
            at = next;
        }
        runs
    }

    /// The runs after `after` up to and including `until`, at most `limit` (a catch-up after
    /// OCM was down).
    pub fn runs_between(&self, after: Timestamp, until: Timestamp, limit: usize) -> Vec<Timestamp> {
        let mut runs = Vec::new();
        let mut at = after;
        while runs.len() < limit {
            match self.next_after(at) {
                Some(next) if next <= until => {
                    runs.push(next);
                    at = next;
                }
                _ => break,
            }
        }
        runs
    }

    /// The zone the times are in.
    pub fn zone(&self) -> &TimeZone {
        &self.zone
    }
}

#[cfg(test)]
mod tests;
