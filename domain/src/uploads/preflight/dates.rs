//! Dates as POM takes them (`yyyy-MM-dd`): day, month and year in the order the user chose,
//! separated by `/`, `-` or `.`, a four-digit year, and a date that exists. A year written first
//! is unambiguous and read whatever the chosen order (spreadsheet date cells arrive as ISO).

use time::{Date, Month};

use super::DateFormat;

/// Why a value is not a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum DateProblem {
    /// Not laid out as the format says.
    Form,
    /// Laid out right, but no such day (`30/02/2026`).
    NoSuchDate,
}

/// `31/03/2026` (for day-month-year) → `2026-03-31`, appended to `out`.
pub(super) fn normalise_date(
    raw: &str,
    format: DateFormat,
    out: &mut String,
) -> Result<(), DateProblem> {
    let date = without_time(raw.trim()).ok_or(DateProblem::Form)?;
    let separator = date
        .chars()
        .find(|c| matches!(c, '/' | '-' | '.'))
        .ok_or(DateProblem::Form)?;
    let mut parts = date.split(separator);
    let (Some(first), Some(second), Some(third), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(DateProblem::Form);
    };
    let (year, month, day) = if first.len() == 4 {
        (first, second, third)
    } else {
        match format {
            DateFormat::YearMonthDay => return Err(DateProblem::Form),
            DateFormat::DayMonthYear => (third, second, first),
            DateFormat::MonthDayYear => (third, first, second),
        }
    };
    let digits = |text: &str, lengths: std::ops::RangeInclusive<usize>| {
        lengths.contains(&text.len()) && text.bytes().all(|b| b.is_ascii_digit())
    };
    if !digits(year, 4..=4) || !digits(month, 1..=2) || !digits(day, 1..=2) {
        return Err(DateProblem::Form);
    }
    // One to four ASCII digits: the numbers fit.
    let number = |text: &str| text.bytes().fold(0u16, |n, b| n * 10 + u16::from(b - b'0'));
    let month_number = u8::try_from(number(month)).map_err(|_| DateProblem::NoSuchDate)?;
    let day_number = u8::try_from(number(day)).map_err(|_| DateProblem::NoSuchDate)?;
    let month_name = Month::try_from(month_number).map_err(|_| DateProblem::NoSuchDate)?;
    Date::from_calendar_date(i32::from(number(year)), month_name, day_number)
        .map_err(|_| DateProblem::NoSuchDate)?;
    out.push_str(year);
    for part in [month, day] {
        out.push('-');
        if part.len() == 1 {
            out.push('0');
        }
        out.push_str(part);
    }
    Ok(())
}

/// Whether the value reads as a date in any of the formats (for telling a header from data).
pub(super) fn looks_like_date(raw: &str) -> bool {
    DateFormat::ALL
        .into_iter()
        .any(|format| normalise_date(raw, format, &mut String::new()).is_ok())
}

/// The date part of `2026-03-31T14:30:00` or `31/03/2026 00:00`; `None` when what follows the
/// date is not a time of day.
fn without_time(value: &str) -> Option<&str> {
    let Some(at) = value.find([' ', 'T']) else {
        return Some(value);
    };
    let time = value[at + 1..].trim();
    let clock = time
        .split_once(' ')
        .map_or(time, |(clock, suffix)| match suffix {
            "AM" | "PM" | "am" | "pm" => clock,
            _ => time,
        })
        .trim_end_matches('Z');
    let fine = clock.contains(':')
        && clock.starts_with(|c: char| c.is_ascii_digit())
        && clock
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ':' | '.'));
    fine.then_some(&value[..at])
}

#[cfg(test)]
mod tests {
    use super::*;

    const YMD: DateFormat = DateFormat::YearMonthDay;
    const DMY: DateFormat = DateFormat::DayMonthYear;
    const MDY: DateFormat = DateFormat::MonthDayYear;

    fn normalise(raw: &str, format: DateFormat) -> Result<String, DateProblem> {
        let mut out = String::new();
        normalise_date(raw, format, &mut out).map(|()| out)
    }

    #[test]
    fn each_format_reads_its_order() {
        assert_eq!(normalise("2026-03-31", YMD), Ok("2026-03-31".into()));
        assert_eq!(normalise("2026/3/1", YMD), Ok("2026-03-01".into()));
        assert_eq!(normalise("31/03/2026", DMY), Ok("2026-03-31".into()));
        assert_eq!(normalise("31-03-2026", DMY), Ok("2026-03-31".into()));
        assert_eq!(normalise(" 1.3.2026 ", DMY), Ok("2026-03-01".into()));
        assert_eq!(normalise("03/31/2026", MDY), Ok("2026-03-31".into()));
        assert_eq!(normalise("31/03/2026", YMD), Err(DateProblem::Form));
        assert_eq!(normalise("03/31/2026", DMY), Err(DateProblem::NoSuchDate));
    }

    #[test]
    fn a_year_first_is_read_whatever_the_format_and_times_are_dropped() {
        assert_eq!(normalise("2026-03-31", DMY), Ok("2026-03-31".into()));
        assert_eq!(
            normalise("2026-03-31T14:30:00", MDY),
            Ok("2026-03-31".into())
        );
        assert_eq!(normalise("31/03/2026 00:00", DMY), Ok("2026-03-31".into()));
        assert_eq!(normalise("3/31/2026 2:05 PM", MDY), Ok("2026-03-31".into()));
        assert_eq!(normalise("31/03/2026 soon", DMY), Err(DateProblem::Form));
    }

    #[test]
    fn only_real_dates_in_full_form_pass() {
        assert_eq!(normalise("2026-02-30", YMD), Err(DateProblem::NoSuchDate));
        assert_eq!(normalise("2024-02-29", YMD), Ok("2024-02-29".into()));
        assert_eq!(normalise("2026-13-01", YMD), Err(DateProblem::NoSuchDate));
        assert_eq!(normalise("00/01/2026", DMY), Err(DateProblem::NoSuchDate));
        for bad in [
            "",
            "31/03/26",
            "31/03",
            "31/03-2026",
            "2026-003-01",
            "31 March 2026",
            "46112",
            "1/2/3/4",
            "2026--01",
        ] {
            assert_eq!(normalise(bad, DMY), Err(DateProblem::Form), "{bad:?}");
        }
        assert!(looks_like_date("12/31/2026") && !looks_like_date("Expiry"));
    }
}
