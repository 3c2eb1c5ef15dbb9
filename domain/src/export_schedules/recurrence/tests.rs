//! Run times on a fixed clock across both daylight-saving changes of Europe/London and
//! America/New_York, and in a zone without them (Asia/Kolkata).

use jiff::civil::{date, Date, DateTime};
use jiff::tz::{AmbiguousOffset, TimeZone};
use jiff::{Timestamp, ToSpan};

use super::*;

fn recurrence(repeat: Repeat, times: &[&str], zone: &str) -> Recurrence {
    Recurrence {
        repeat,
        times: times.iter().map(|t| t.to_string()).collect(),
        time_zone: zone.to_string(),
    }
}

fn at(text: &str) -> Timestamp {
    text.parse().unwrap()
}

fn field_of(result: Result<Plan, AppError>) -> String {
    match result {
        Err(AppError::Validation { field, .. }) => field,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

/// Where a local time must run on its day: itself when it exists once; the first instant after
/// the gap when the clocks skip it; its first pass when they repeat it.
fn expected(zone: &TimeZone, local: DateTime) -> Timestamp {
    match zone.to_ambiguous_timestamp(local).offset() {
        AmbiguousOffset::Unambiguous { offset } => offset.to_timestamp(local).unwrap(),
        AmbiguousOffset::Gap { before, .. } => {
            // The gap ends where the old offset's clock reaches the local time the gap skips to.
            let skipped_to = before.to_timestamp(local).unwrap();
            let just_after = skipped_to.checked_add(1.second()).unwrap();
            let gap_end = zone.preceding(just_after).next().unwrap().timestamp();
            assert!(gap_end <= skipped_to);
            gap_end
        }
        AmbiguousOffset::Fold { before, .. } => before.to_timestamp(local).unwrap(),
    }
}

/// A year, month and day.
type Ymd = (i16, i8, i8);

/// The days around each change, and a day without one for the zone that has none.
const DAYS: [(&str, [Ymd; 2]); 3] = [
    ("Europe/London", [(2026, 3, 29), (2026, 10, 25)]),
    ("America/New_York", [(2026, 3, 8), (2026, 11, 1)]),
    ("Asia/Kolkata", [(2026, 3, 29), (2026, 10, 25)]),
];

/// Daily, weekly on the change's weekday and monthly on its day of the month: each local time
/// of the day, every quarter of an hour, runs once on each of its days around the change.
#[test]
fn every_time_runs_once_on_each_of_its_days_at_its_instant_across_every_change() {
    for (zone_name, changes) in DAYS {
        let zone = TimeZone::get(zone_name).unwrap();
        for (y, m, d) in changes {
            let change = date(y, m, d);
            let weekday = change.weekday().to_monday_one_offset() as u8;
            let repeats = [
                (Repeat::Daily, 1.day()),
                (
                    Repeat::Weekly {
                        weekdays: vec![weekday],
                    },
                    1.week(),
                ),
                (
                    Repeat::Monthly {
                        day: MonthDay::Day(d as u8),
                    },
                    1.month(),
                ),
            ];
            for (repeat, step) in repeats {
                let days: Vec<Date> = (-1..3).map(|n| change + step * n).collect();
                let start = (days[0] - 1.day()).at(23, 59, 0, 0);
                let start = start.to_zoned(zone.clone()).unwrap().timestamp();
                for quarter in 0..96_i8 {
                    let (hour, minute) = (quarter / 4, (quarter % 4) * 15);
                    let time = format!("{hour:02}:{minute:02}");
                    let plan = plan(&recurrence(repeat.clone(), &[&time], zone_name)).unwrap();
                    let want: Vec<Timestamp> = days
                        .iter()
                        .map(|day| expected(&zone, day.at(hour, minute, 0, 0)))
                        .collect();
                    assert_eq!(
                        plan.next_runs(start, 4),
                        want,
                        "{repeat:?} {time} {zone_name} around {change}"
                    );
                }
            }
        }
    }
}

#[test]
fn the_issues_examples_run_at_their_instants() {
    // Every Monday at 07:00 in London, across the spring change.
    let monday = recurrence(
        Repeat::Weekly { weekdays: vec![1] },
        &["07:00"],
        "Europe/London",
    );
    let runs = plan(&monday)
        .unwrap()
        .next_runs(at("2026-03-20T00:00:00Z"), 3);
    assert_eq!(
        runs,
        [
            at("2026-03-23T07:00:00Z"),
            at("2026-03-30T06:00:00Z"),
            at("2026-04-06T06:00:00Z")
        ]
    );
    // 01:30 in London: the clocks skip it on 29 March (runs at 02:00 BST) and repeat it on
    // 25 October (runs once, in summer time).
    let night = recurrence(Repeat::Daily, &["01:30"], "Europe/London");
    let night = plan(&night).unwrap();
    assert_eq!(
        night.next_runs(at("2026-03-28T12:00:00Z"), 2),
        [at("2026-03-29T01:00:00Z"), at("2026-03-30T00:30:00Z")]
    );
    assert_eq!(
        night.next_runs(at("2026-10-24T12:00:00Z"), 2),
        [at("2026-10-25T00:30:00Z"), at("2026-10-26T01:30:00Z")]
    );
    // Started again inside the repeated hour after its run: no second run that night.
    assert_eq!(
        night.next_after(at("2026-10-25T01:10:00Z")),
        Some(at("2026-10-26T01:30:00Z"))
    );
}

#[test]
fn several_times_a_day_each_run_once_even_where_two_land_on_one_instant() {
    // 01:30 and 02:00 both fall on 02:00 BST on 29 March: one run there.
    let two = recurrence(Repeat::Daily, &["02:00", "01:30", "13:00"], "Europe/London");
    let runs = plan(&two).unwrap().next_runs(at("2026-03-28T12:00:00Z"), 6);
    assert_eq!(
        runs,
        [
            at("2026-03-28T13:00:00Z"),
            at("2026-03-29T01:00:00Z"),
            at("2026-03-29T12:00:00Z"),
            at("2026-03-30T00:30:00Z"),
            at("2026-03-30T01:00:00Z"),
            at("2026-03-30T12:00:00Z"),
        ]
    );
}

#[test]
fn monthly_runs_fall_back_to_the_last_day_of_shorter_months() {
    let on = |day| recurrence(Repeat::Monthly { day }, &["23:00"], "Asia/Kolkata");
    let days = |day| -> Vec<String> {
        plan(&on(day))
            .unwrap()
            .next_runs(at("2027-12-15T00:00:00Z"), 6)
            .into_iter()
            .map(|t| {
                t.to_zoned(TimeZone::get("Asia/Kolkata").unwrap())
                    .date()
                    .to_string()
            })
            .collect()
    };
    let last = [
        "2027-12-31",
        "2028-01-31",
        "2028-02-29",
        "2028-03-31",
        "2028-04-30",
        "2028-05-31",
    ];
    assert_eq!(days(MonthDay::Last), last);
    assert_eq!(days(MonthDay::Day(31)), last);
    assert_eq!(
        days(MonthDay::Day(30)),
        [
            "2027-12-30",
            "2028-01-30",
            "2028-02-29",
            "2028-03-30",
            "2028-04-30",
            "2028-05-30"
        ]
    );
    // 29 February in a leap year matches both patterns: one run.
    assert_eq!(
        days(MonthDay::Day(29)),
        [
            "2027-12-29",
            "2028-01-29",
            "2028-02-29",
            "2028-03-29",
            "2028-04-29",
            "2028-05-29"
        ]
    );
    assert_eq!(days(MonthDay::Day(1))[0], "2028-01-01");
    // At 23:00 in Kolkata the UTC date is the same day, 17:30.
    let first = plan(&on(MonthDay::Day(1)))
        .unwrap()
        .next_after(at("2027-12-15T00:00:00Z"));
    assert_eq!(first, Some(at("2028-01-01T17:30:00Z")));
}

#[test]
fn a_weekly_run_lands_on_its_local_weekday_in_a_far_zone() {
    // Monday 06:00 in Auckland is Sunday evening in UTC.
    let weekly = recurrence(
        Repeat::Weekly {
            weekdays: vec![1, 1, 5],
        },
        &["06:00"],
        "Pacific/Auckland",
    );
    let zone = TimeZone::get("Pacific/Auckland").unwrap();
    let runs = plan(&weekly)
        .unwrap()
        .next_runs(at("2026-12-01T00:00:00Z"), 4);
    let local: Vec<String> = runs
        .iter()
        .map(|t| t.to_zoned(zone.clone()).strftime("%a %H:%M").to_string())
        .collect();
    assert_eq!(local, ["Fri 06:00", "Mon 06:00", "Fri 06:00", "Mon 06:00"]);
    assert_eq!(runs[1], at("2026-12-06T17:00:00Z"));
}

#[test]
fn catch_up_lists_the_missed_runs_in_order_and_bounded() {
    let daily = plan(&recurrence(Repeat::Daily, &["07:00"], "UTC")).unwrap();
    let missed = daily.runs_between(at("2026-12-01T08:00:00Z"), at("2026-12-04T07:00:00Z"), 10);
    assert_eq!(
        missed,
        [
            at("2026-12-02T07:00:00Z"),
            at("2026-12-03T07:00:00Z"),
            at("2026-12-04T07:00:00Z")
        ]
    );
    assert_eq!(
        daily
            .runs_between(at("2026-12-01T08:00:00Z"), at("2027-12-01T08:00:00Z"), 2)
            .len(),
        2
    );
}

#[test]
fn impossible_recurrences_are_refused_naming_the_field() {
    let daily = |times: &[&str], zone: &str| recurrence(Repeat::Daily, times, zone);
    assert_eq!(
        field_of(plan(&daily(&["07:00"], "Mars/Olympus"))),
        "time_zone"
    );
    assert_eq!(field_of(plan(&daily(&[], "UTC"))), "times");
    for bad in ["24:00", "7:00", "07:60", "07-00", "", "07:00:00"] {
        assert_eq!(field_of(plan(&daily(&[bad], "UTC"))), "times", "{bad}");
    }
    let many: Vec<String> = (0..25).map(|m| format!("00:{m:02}")).collect();
    let many: Vec<&str> = many.iter().map(String::as_str).collect();
    assert_eq!(field_of(plan(&daily(&many, "UTC"))), "times");
    let weekly = |weekdays: Vec<u8>| recurrence(Repeat::Weekly { weekdays }, &["07:00"], "UTC");
    assert_eq!(field_of(plan(&weekly(vec![]))), "weekdays");
    assert_eq!(field_of(plan(&weekly(vec![0]))), "weekdays");
    assert_eq!(field_of(plan(&weekly(vec![8]))), "weekdays");
    for day in [0, 32] {
        let monthly = recurrence(
            Repeat::Monthly {
                day: MonthDay::Day(day),
            },
            &["07:00"],
            "UTC",
        );
        assert_eq!(field_of(plan(&monthly)), "day", "{day}");
    }
}

#[test]
fn a_huge_value_is_refused_with_a_short_message() {
    let huge = "9".repeat(1_000_000);
    for recurrence in [
        recurrence(Repeat::Daily, &[huge.as_str()], "UTC"),
        recurrence(Repeat::Daily, &["07:00"], &huge),
    ] {
        let Err(AppError::Validation { message, .. }) = plan(&recurrence) else {
            panic!("refused");
        };
        assert!(
            message.len() < 200,
            "the message echoes at most a little: {}",
            message.len()
        );
    }
}
