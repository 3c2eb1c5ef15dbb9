//! Each reason from the facts that make it true, and the order they come in.

use time::macros::datetime;

use super::*;

fn active() -> JobFacts {
    JobFacts {
        campaign: "Sales_Evening".into(),
        job_id: 7,
        state: "JOB_ACTIVE".into(),
        agents_on_job: 3,
        ..JobFacts::default()
    }
}

fn agents() -> OrgFacts {
    OrgFacts {
        agents_logged_in: 4,
        ..OrgFacts::default()
    }
}

fn causes(job: &JobFacts, org: &OrgFacts) -> Vec<IdleCause> {
    reasons(job, org).iter().map(|r| r.cause).collect()
}

#[test]
fn a_job_dialling_well_needs_no_reasons_and_one_dialling_little_does() {
    let mut job = active();
    job.attempts_recent = FEW_ATTEMPTS;
    assert!(!needs_reasons(&job));
    job.attempts_recent = FEW_ATTEMPTS - 1;
    assert!(needs_reasons(&job));
    job.state = "JOB_PAUSED".into();
    job.attempts_recent = 100;
    assert!(needs_reasons(&job));
}

#[test]
fn nothing_found_is_said_rather_than_an_empty_list() {
    assert_eq!(causes(&active(), &agents()), [IdleCause::NothingFound]);
}

#[test]
fn a_pause_through_ocm_names_the_user_and_one_in_pom_says_so() {
    let mut job = active();
    job.state = "JOB_PAUSED".into();
    let when = datetime!(2026-12-07 10:15 UTC);
    job.last_action = Some(("pause".into(), "sup.sales".into(), when));
    let found = reasons(&job, &agents());
    assert_eq!(found[0].cause, IdleCause::PausedBy);
    assert!(found[0].words.contains("sup.sales"), "{}", found[0].words);
    assert_eq!(found[0].at.as_deref(), Some("2026-12-07T10:15:00Z"));
    job.last_action = Some(("resume".into(), "sup.sales".into(), when));
    assert_eq!(causes(&job, &agents()), [IdleCause::EndedOutsideOcm]);
}

#[test]
fn emergency_mode_comes_first_and_explains_a_stop_nobody_asked_for() {
    let mut job = active();
    job.state = "JOB_STOPPED".into();
    let org = OrgFacts {
        emergency: vec![EmergencyMode {
            emergency_mode_id: 1,
            organization: Some("Sales".into()),
            reason: "Regulator call".into(),
            by: "admin".into(),
            at: "2026-12-07T09:00:00Z".into(),
        }],
        agents_logged_in: 4,
        ..OrgFacts::default()
    };
    let found = reasons(&job, &org);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].cause, IdleCause::EmergencyMode);
    assert!(found[0].words.contains("Regulator call") && found[0].words.contains("admin"));
}

#[test]
fn agents_missing_or_not_on_the_job() {
    let mut job = active();
    let nobody = OrgFacts::default();
    assert_eq!(causes(&job, &nobody), [IdleCause::NoAgentsLoggedIn]);
    job.agents_on_job = 0;
    let found = reasons(&job, &agents());
    assert_eq!(found[0].cause, IdleCause::NoAgentsOnJob);
    assert_eq!(found[0].count, Some(4));
    assert!(
        found[0].words.starts_with("4 agents are logged in"),
        "{}",
        found[0].words
    );
}

#[test]
fn contacts_passed_over_are_counted_with_a_link_and_the_next_window() {
    let mut job = active();
    job.skips = vec![("outside_window".into(), 40), ("dnc".into(), 2)];
    job.next_window = Some(datetime!(2026-12-08 08:00 UTC));
    let found = reasons(&job, &agents());
    assert_eq!(found[0].cause, IdleCause::OutsideWindow);
    assert_eq!(found[0].count, Some(40));
    assert_eq!(found[0].at.as_deref(), Some("2026-12-08T08:00:00Z"));
    assert_eq!(
        found[0].link.as_deref(),
        Some("/reports/not-attempted?job=7&reason=outside_window")
    );
    assert_eq!(found[1].cause, IdleCause::OnDnc);
    assert_eq!(
        found[1].words,
        "So far in this job, 2 contacts passed over: on a DNC list."
    );
}

#[test]
fn a_walked_list_and_retries_waiting() {
    let mut job = active();
    job.list_size = Some(10);
    job.contacts_tried = 8;
    job.skips = vec![("dnc".into(), 2)];
    job.retry_waiting = 3;
    job.retry_oldest = Some(datetime!(2026-12-07 11:00 UTC));
    assert_eq!(
        causes(&job, &agents()),
        [
            IdleCause::OnDnc,
            IdleCause::WaitingForRetry,
            IdleCause::ListWalked
        ]
    );
    job.contacts_tried = 7;
    assert!(!causes(&job, &agents()).contains(&IdleCause::ListWalked));
}

#[test]
fn contacts_waiting_for_their_window_still_remain() {
    let mut job = active();
    job.list_size = Some(10);
    job.contacts_tried = 4;
    job.skips = vec![
        ("outside_window".into(), 5),
        ("dnc".into(), 1),
        ("job_ended_first".into(), 3),
    ];
    assert_eq!(job.dealt_with(), 5);
    assert!(!causes(&job, &agents()).contains(&IdleCause::ListWalked));
}

#[test]
fn a_pause_long_before_the_state_was_seen_is_not_credited_to_ocm() {
    let mut job = active();
    job.state = "JOB_PAUSED".into();
    let paused = datetime!(2026-12-07 10:15 UTC);
    job.last_action = Some(("pause".into(), "sup.sales".into(), paused));
    job.state_since = Some(paused + time::Duration::seconds(2));
    assert_eq!(causes(&job, &agents()), [IdleCause::PausedBy]);
    // Resumed in POM and paused there again an hour later.
    job.state_since = Some(paused + time::Duration::hours(1));
    assert_eq!(causes(&job, &agents()), [IdleCause::EndedOutsideOcm]);
}

#[test]
fn a_completed_job_says_its_lists_are_done() {
    let mut job = active();
    job.state = "JOB_COMPLETED".into();
    job.finish_reason = Some("lists_done".into());
    let found = reasons(&job, &OrgFacts::default());
    assert_eq!(
        found.len(),
        1,
        "agents do not matter once it ended: {found:?}"
    );
    assert_eq!(found[0].cause, IdleCause::ListsDone);
}

fn in_state(team: &str, state: &str, reason: Option<&str>, agents: i64) -> AgentsInState {
    AgentsInState {
        team: team.into(),
        state: state.into(),
        reason: reason.map(str::to_string),
        agents,
        longest_agent: "SAL001".into(),
        longest_since: "2026-12-07T10:00:00Z".into(),
        longest_minutes: 12,
    }
}

#[test]
fn agents_logged_in_but_none_ready_are_counted_by_state() {
    let job = JobFacts {
        agents_on_job: 0,
        ..active()
    };
    let org = OrgFacts {
        agents_logged_in: 3,
        agents_now: vec![
            in_state("Sales Team A", "not_ready", Some("Break"), 1),
            in_state("Sales Team A", "wrap_up", None, 1),
            in_state("Sales Team B", "not_ready", Some("Break"), 1),
        ],
        ..OrgFacts::default()
    };
    let found = reasons(&job, &org);
    assert_eq!(found[0].cause, IdleCause::NoAgentsReady, "{found:?}");
    assert_eq!(found[0].count, Some(3));
    assert_eq!(
        found[0].words,
        "3 agents logged in, none ready: 1 in wrap-up, 2 not ready (Break). POM gives calls only to ready agents."
    );
    assert_eq!(found[0].link.as_deref(), Some("#agents-now-title"));
    assert!(
        !causes(&job, &org).contains(&IdleCause::NoAgentsOnJob),
        "nobody ready says more than nobody on the job"
    );
    // One agent ready (or talking) is someone POM can give calls to: not this reason.
    let mut one_ready = org.clone();
    one_ready
        .agents_now
        .push(in_state("Sales Team B", "ready", None, 1));
    assert_eq!(causes(&job, &one_ready), [IdleCause::NoAgentsOnJob]);
    // A feed without agent states is not guessed at.
    let unknown = OrgFacts {
        agents_now: Vec::new(),
        ..org
    };
    assert_eq!(causes(&job, &unknown), [IdleCause::NoAgentsOnJob]);
    // Nobody logged in stays the first thing to say.
    assert_eq!(
        causes(&job, &OrgFacts::default()),
        [IdleCause::NoAgentsLoggedIn]
    );
}
