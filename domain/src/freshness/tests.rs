//! The rules for sources behind, each case from the facts that make it true.

use time::macros::datetime;

use super::*;

const ZONE: &str = "Europe/London";
const NOW: OffsetDateTime = datetime!(2026-07-01 12:00 UTC);

fn fed(newest: OffsetDateTime, expected_until: Option<OffsetDateTime>) -> CallDataFacts {
    CallDataFacts {
        newest_record: Some(newest),
        feed: Some(FeedRead {
            last_success: Some(NOW - Duration::seconds(4)),
            problem: None,
        }),
        expected_until,
    }
}

fn board(read_at: Option<OffsetDateTime>, problem: Option<&str>) -> CampaignBoard {
    CampaignBoard {
        organization: "Sales".into(),
        campaigns: Vec::new(),
        read_at: read_at.map(rfc3339),
        pom_problem: problem.map(str::to_string),
        can_act: false,
        organizations: Vec::new(),
        actions_mark: (0, 0),
    }
}

#[test]
fn times_are_said_in_the_report_zone() {
    assert_eq!(local_time(ZONE, NOW), "2026-07-01 13:00:00");
    assert_eq!(local_time("UTC", NOW), "2026-07-01 12:00:00");
}

#[test]
fn call_data_up_to_now_is_not_behind_and_records_ahead_of_ocms_clock_neither() {
    assert_eq!(
        call_data_behind(&fed(NOW - Duration::seconds(30), Some(NOW)), NOW, ZONE),
        None
    );
    assert_eq!(
        call_data_behind(&fed(NOW + Duration::minutes(20), Some(NOW)), NOW, ZONE),
        None
    );
}

#[test]
fn call_data_lagging_while_a_job_dials_is_behind_since_its_newest_record() {
    let newest = NOW - Duration::minutes(20);
    let found = call_data_behind(&fed(newest, Some(NOW)), NOW, ZONE).unwrap();
    assert_eq!(found.source, FigureSource::CallData);
    assert_eq!(found.since.as_deref(), Some("2026-07-01T11:40:00Z"));
    assert_eq!(found.since_local.as_deref(), Some("2026-07-01 12:40:00"));
    assert_eq!(
        found.words,
        "The call data is behind: its newest record is from 2026-07-01 12:40:00 (Europe/London), 20 minutes ago, while a job is dialling. Figures from the call data are as of then, not current."
    );
    assert_eq!(found.as_of(), "as of 2026-07-01 12:40:00 (Europe/London)");
    // Five minutes is the allowance: a quiet moment between records is not lag.
    let within = fed(NOW - Duration::minutes(5), Some(NOW));
    assert_eq!(call_data_behind(&within, NOW, ZONE), None);
}

#[test]
fn call_data_lagging_behind_a_job_that_stopped_is_behind_though_none_is_open() {
    let stopped = NOW - Duration::minutes(30);
    let found = call_data_behind(&fed(NOW - Duration::minutes(50), Some(stopped)), NOW, ZONE)
        .expect("calls were expected until the job stopped");
    assert!(
        found
            .words
            .contains("20 minutes before the last job stopped dialling at 2026-07-01 12:30:00"),
        "{}",
        found.words
    );
    // Records up to the stop: nothing was expected since, however old they are.
    let caught_up = fed(stopped - Duration::minutes(2), Some(stopped));
    assert_eq!(call_data_behind(&caught_up, NOW, ZONE), None);
    // No job ever dialled: old records are all there is.
    let never = fed(NOW - Duration::days(3), None);
    assert_eq!(call_data_behind(&never, NOW, ZONE), None);
}

#[test]
fn a_feed_not_read_lately_is_behind_since_its_last_read_whether_or_not_calls_are_expected() {
    let read = NOW - Duration::minutes(12);
    let facts = CallDataFacts {
        newest_record: Some(read - Duration::seconds(10)),
        feed: Some(FeedRead {
            last_success: Some(read),
            problem: Some("error sending request: connection refused".into()),
        }),
        expected_until: None,
    };
    let found = call_data_behind(&facts, NOW, ZONE).unwrap();
    assert_eq!(found.since.as_deref(), Some("2026-07-01T11:48:00Z"));
    assert_eq!(
        found.words,
        "The call-data feed has not been read since 2026-07-01 12:48:00 (Europe/London). error sending request: connection refused. Figures from the call data are as of then, not current."
    );
    // Without a feed configured (the import folder only), reads are not judged.
    let folder = CallDataFacts {
        feed: None,
        ..facts.clone()
    };
    assert_eq!(call_data_behind(&folder, NOW, ZONE), None);
    let never = CallDataFacts {
        feed: Some(FeedRead::default()),
        ..facts
    };
    let found = call_data_behind(&never, NOW, ZONE).unwrap();
    assert_eq!(found.as_of(), "no call data yet");
    assert_eq!(found.since, None);
}

#[test]
fn no_call_data_at_all_is_said() {
    let found = call_data_behind(&CallDataFacts::default(), NOW, ZONE).unwrap();
    assert!(
        found.words.starts_with("No call data has arrived yet"),
        "{}",
        found.words
    );
    assert_eq!(found.since_local, None);
}

#[test]
fn pom_is_behind_since_its_last_good_read_when_a_read_fails_or_none_is_answered() {
    let read = NOW - Duration::seconds(40);
    assert_eq!(pom_behind(&board(Some(NOW), None), NOW, ZONE), None);
    assert_eq!(pom_behind(&board(Some(read), None), NOW, ZONE), None);
    let failing = board(Some(read), Some("POM failed with HTTP 503."));
    let found = pom_behind(&failing, NOW, ZONE).unwrap();
    assert_eq!(found.source, FigureSource::PomJobs);
    assert_eq!(found.since_local.as_deref(), Some("2026-07-01 12:59:20"));
    assert_eq!(
        found.words,
        "POM's job list has not been read since 2026-07-01 12:59:20 (Europe/London). POM failed with HTTP 503. Job states, the campaigns' progress and the reasons are as of then, not current."
    );
    let hanging = board(Some(NOW - Duration::minutes(3)), None);
    let found = pom_behind(&hanging, NOW, ZONE).unwrap();
    assert!(
        found.words.contains("Its reads are not answered."),
        "{}",
        found.words
    );
    let never = pom_behind(&board(None, Some("POM could not be reached.")), NOW, ZONE).unwrap();
    assert_eq!(never.since, None);
    assert_eq!(
        never.words,
        "POM's job list has not been read yet. POM could not be reached. Job states are unknown."
    );
}
