//! "Why isn't it dialling?" against the simulator: each reason made true there (no agents,
//! agents logged in but all on a break, everybody outside the calling window, everybody on DNC,
//! the list done, a pause by a named user, emergency mode), the feed ingested, and the dashboard
//! naming it (the simulator and OCM set up in `setup`, the figures' sharing and stream in
//! `why_idle_live`).

mod setup;

use std::time::Duration;

use serde_json::{json, Value};

use domain::model::EMERGENCY_PHRASE;

use super::campaign_calls::{act, call_form, wait_state};
use super::helpers::TestApp;
pub(super) use setup::{dial_for, on_break, started, started_on, why_idle, Setup, CAMPAIGN};

/// The campaign's reasons once `cause` is among them (the figures are reused for two seconds).
async fn wait_cause(app: &TestApp, client: &reqwest::Client, cause: &str) -> Vec<Value> {
    let mut last = Value::Null;
    for _ in 0..40 {
        let (status, body) = why_idle(app, client, json!({})).await;
        assert_eq!(status, 200, "{body}");
        let reasons = body["idle"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["campaign"] == CAMPAIGN)
            .map(|c| c["reasons"].as_array().unwrap().clone())
            .unwrap_or_default();
        if reasons.iter().any(|r| r["cause"] == cause) {
            return reasons;
        }
        last = body;
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    panic!("{cause} never named: {last}");
}

fn find<'a>(reasons: &'a [Value], cause: &str) -> &'a Value {
    reasons.iter().find(|r| r["cause"] == cause).unwrap()
}

#[sqlx::test]
async fn no_agents_logged_in(pool: sqlx::PgPool) {
    let setup = Setup {
        agents: 0,
        ..Setup::default()
    };
    let (sim, app, sup, _) = started(pool, setup, &[]).await;
    dial_for(&sim, &app, 120_000).await;
    let reasons = wait_cause(&app, &sup, "no_agents_logged_in").await;
    assert_eq!(reasons[0]["cause"], "no_agents_logged_in", "{reasons:?}");
}

#[sqlx::test]
async fn agents_logged_in_but_none_ready(pool: sqlx::PgPool) {
    let setup = Setup {
        agents: 3,
        ..Setup::default()
    };
    let (sim, app, sup, _) = started(pool, setup, &[]).await;
    on_break(&sim, &["SAL001", "SAL002"], "Break", 240).await;
    on_break(&sim, &["SAL003"], "Lunch", 240).await;
    // Calls under way end first (and any break taken after one): half an hour covers them.
    dial_for(&sim, &app, 30 * 60_000).await;
    let free = sim
        .sim
        .with_world(|w, now| w.dialer.pools["Sales"].free_count(now));
    assert_eq!(free, 0, "the simulator has nobody ready");
    let reasons = wait_cause(&app, &sup, "no_agents_ready").await;
    assert_eq!(reasons[0]["cause"], "no_agents_ready", "{reasons:?}");
    assert_eq!(reasons[0]["count"], 3);
    assert_eq!(
        reasons[0]["words"],
        "3 agents logged in, none ready: 2 not ready (Break), 1 not ready (Lunch). POM gives calls only to ready agents."
    );
    assert!(
        !reasons.iter().any(|r| r["cause"] == "no_agents_on_job"),
        "{reasons:?}"
    );
    // Back from their breaks, the agents are ready and the reason goes.
    dial_for(&sim, &app, 240 * 60_000).await;
    for _ in 0..40 {
        let (_, body) = why_idle(&app, &sup, json!({})).await;
        let named = body["idle"].as_array().unwrap().iter().any(|c| {
            c["reasons"]
                .as_array()
                .unwrap()
                .iter()
                .any(|r| r["cause"] == "no_agents_ready")
        });
        if !named {
            return;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    panic!("no_agents_ready still named after the breaks ended");
}

#[sqlx::test]
async fn everybody_outside_the_calling_window_with_when_it_opens(pool: sqlx::PgPool) {
    let now_minute = (time::OffsetDateTime::now_utc().unix_timestamp() / 60).rem_euclid(1440);
    // Half an hour that starts at least three hours after now, within one day.
    let start_minute = (now_minute + 240) % 1380;
    let window = format!(
        "{:02}:{:02}-{:02}:{:02}",
        start_minute / 60,
        start_minute % 60,
        (start_minute + 30) / 60,
        (start_minute + 30) % 60
    );
    let rules =
        json!({ "window_start_minute": start_minute, "window_end_minute": start_minute + 30 });
    let setup = Setup {
        rules,
        ..Setup::default()
    };
    let (sim, app, sup, job) = started(pool, setup, &[("OCM_CALLING_WINDOW", &window)]).await;
    dial_for(&sim, &app, 60_000).await;
    let reasons = wait_cause(&app, &sup, "outside_window").await;
    let outside = find(&reasons, "outside_window");
    assert_eq!(outside["count"], 6, "{reasons:?}");
    let opens = time::OffsetDateTime::parse(
        outside["at"].as_str().unwrap(),
        &time::format_description::well_known::Rfc3339,
    )
    .unwrap();
    assert_eq!((opens.unix_timestamp() / 60).rem_euclid(1440), start_minute);
    assert!(opens > time::OffsetDateTime::now_utc());
    assert_eq!(
        outside["link"],
        format!("/reports/not-attempted?job={job}&reason=outside_window")
    );
}

#[sqlx::test]
async fn everybody_on_a_dnc_list(pool: sqlx::PgPool) {
    let setup = Setup {
        on_dnc: true,
        ..Setup::default()
    };
    let (sim, app, sup, _) = started(pool, setup, &[]).await;
    dial_for(&sim, &app, 60_000).await;
    let reasons = wait_cause(&app, &sup, "on_dnc").await;
    assert_eq!(find(&reasons, "on_dnc")["count"], 6, "{reasons:?}");
    assert!(find(&reasons, "on_dnc")["words"]
        .as_str()
        .unwrap()
        .starts_with("So far in this job, 6 contacts passed over"));
    assert!(find(&reasons, "list_walked")["words"]
        .as_str()
        .unwrap()
        .starts_with("All 6 contacts"));
    // The job's progress: every contact of its list dealt with, none remaining.
    let (_, body) = why_idle(&app, &sup, json!({})).await;
    let job = &body["jobs"][0];
    assert_eq!(
        (
            job["campaign"].as_str(),
            job["list_size"].as_i64(),
            job["dealt_with"].as_i64()
        ),
        (Some(CAMPAIGN), Some(6), Some(6)),
        "{body}"
    );
}

#[sqlx::test]
async fn a_finite_job_whose_list_is_done(pool: sqlx::PgPool) {
    let rules = json!({ "window_start_minute": 0, "window_end_minute": 1440, "max_attempts": 1 });
    let setup = Setup {
        finite: true,
        rules,
        contacts: 3,
        ..Setup::default()
    };
    let (sim, app, sup, _) = started(pool, setup, &[]).await;
    dial_for(&sim, &app, 3_600_000).await;
    wait_state(&app, &sup, "Sales", CAMPAIGN, "JOB_COMPLETED").await;
    let reasons = wait_cause(&app, &sup, "lists_done").await;
    assert_eq!(
        reasons.len(),
        1,
        "agents do not matter once it ended: {reasons:?}"
    );
}

#[sqlx::test]
async fn a_job_paused_by_a_named_user(pool: sqlx::PgPool) {
    let (sim, app, sup, job) = started(pool, Setup::default(), &[]).await;
    let (status, body) = act(&app, &sup, ("Sales", CAMPAIGN, job), "pause").await;
    assert_eq!(status, 200, "{body}");
    wait_state(&app, &sup, "Sales", CAMPAIGN, "JOB_PAUSED").await;
    dial_for(&sim, &app, 1_000).await;
    let reasons = wait_cause(&app, &sup, "paused_by").await;
    assert_eq!(reasons[0]["cause"], "paused_by");
    assert_eq!(reasons[0]["words"], "Paused by sup.a through OCM.");
    assert!(reasons[0]["at"].is_string());
}

#[sqlx::test]
async fn emergency_mode_in_force(pool: sqlx::PgPool) {
    let (sim, app, sup, _) = started(pool, Setup::default(), &[]).await;
    let admin = app.signed_in("admin").await;
    let body =
        json!({ "organization": "Sales", "phrase": EMERGENCY_PHRASE, "reason": "fire drill" });
    let (status, answer) = call_form(&app, &admin, "campaigns/emergency_mode", body).await;
    assert_eq!(status, 200, "{answer}");
    wait_state(&app, &sup, "Sales", CAMPAIGN, "JOB_STOPPED").await;
    dial_for(&sim, &app, 1_000).await;
    let reasons = wait_cause(&app, &sup, "emergency_mode").await;
    assert_eq!(reasons[0]["cause"], "emergency_mode", "{reasons:?}");
    let words = reasons[0]["words"].as_str().unwrap();
    assert!(
        words.contains("fire drill") && words.contains("admin"),
        "{words}"
    );
    assert_eq!(
        find(&reasons, "stopped_by")["words"],
        "Stopped by admin's emergency stop through OCM."
    );
}
