//! Sources behind on the live dashboards, made true in the simulator: POM's job list unreadable
//! (every POM call failing) and the call-data feed lagging (POM's clock, and so its records,
//! twenty minutes behind). The floor and the callback dashboard say which source is behind and
//! since when, in the report time zone, mark the figures leaning on it as not current, and stop
//! saying so once the source catches up.

use std::time::Duration;

use serde_json::{json, Value};

use super::call_data_expected::TZ;
use super::campaign_calls::call_form;
use super::helpers::TestApp;
use super::pom_sim::PomSim;
use super::why_idle::{dial_for, started, started_on, Setup};

/// The floor's figures as the page's server function answers them.
async fn floor(app: &TestApp, client: &reqwest::Client) -> Value {
    let (status, body) = call_form(app, client, "campaigns/floor", json!({})).await;
    assert_eq!(status, 200, "{body}");
    body
}

/// The callback dashboard's counts.
async fn callbacks(app: &TestApp, client: &reqwest::Client) -> Value {
    let (status, body) = call_form(app, client, "callbacks/counts", json!({})).await;
    assert_eq!(status, 200, "{body}");
    body
}

/// `source`'s entry among the floor's sources behind, if it is there.
fn behind<'a>(figures: &'a Value, source: &str) -> Option<&'a Value> {
    figures["stale"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["source"] == source)
}

/// Reads until `done` holds of the answer (figures are reused for a second), within 15 s.
async fn until<F, Fut>(read: F, done: impl Fn(&Value) -> bool, what: &str) -> Value
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = Value>,
{
    let mut last = Value::Null;
    for _ in 0..60 {
        last = read().await;
        if done(&last) {
            return last;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    panic!("{what}: {last}");
}

/// An RFC 3339 instant as a wall time in the report zone, as the pages write it.
fn local(at: &Value) -> String {
    let zone = jiff::tz::TimeZone::get(TZ).unwrap();
    at.as_str()
        .unwrap()
        .parse::<jiff::Timestamp>()
        .unwrap()
        .to_zoned(zone)
        .strftime("%Y-%m-%d %H:%M:%S")
        .to_string()
}

/// The page at `path` as the server renders it (what a browser without JavaScript reads).
async fn page(app: &TestApp, client: &reqwest::Client, path: &str) -> String {
    let response = client.get(app.url(path)).send().await.unwrap();
    assert_eq!(response.status(), 200, "{path}");
    response.text().await.unwrap()
}

#[sqlx::test]
async fn pom_unreachable_the_floor_says_since_when_and_recovers(pool: sqlx::PgPool) {
    let report_zone = [("OCM_REPORT_TIME_ZONE", TZ)];
    let (sim, app, sup, _) = started(pool, Setup::default(), &report_zone).await;
    dial_for(&sim, &app, 60_000).await;
    let fresh = floor(&app, &sup).await;
    assert_eq!(fresh["stale"], json!([]), "every source read: {fresh}");

    sim.faults(json!([{ "endpoint": "*", "error_rate": 1.0, "kind": { "status": 503 } }]))
        .await;
    let failed_from = time::OffsetDateTime::now_utc();
    let figures = until(
        || floor(&app, &sup),
        |f| behind(f, "pom_jobs").is_some(),
        "POM never named behind",
    )
    .await;
    let pom = behind(&figures, "pom_jobs").unwrap();
    // Since the last read that succeeded: the job states shown are that read's.
    assert_eq!(pom["since"], figures["jobs_read_at"], "{figures}");
    let since = time::OffsetDateTime::parse(
        pom["since"].as_str().unwrap(),
        &time::format_description::well_known::Rfc3339,
    )
    .unwrap();
    assert!(since <= failed_from + time::Duration::seconds(2), "{pom}");
    let since_local = local(&pom["since"]);
    assert_eq!(pom["since_local"], since_local.as_str());
    assert_eq!(pom["time_zone"], TZ);
    let words = pom["words"].as_str().unwrap();
    assert!(
        words.starts_with(&format!(
            "POM's job list has not been read since {since_local} ({TZ})."
        )),
        "{words}"
    );
    assert!(words.ends_with("are as of then, not current."), "{words}");
    assert!(
        behind(&figures, "call_data").is_none(),
        "the call data is not POM's job list: {figures}"
    );
    // The page says it too, and marks the parts leaning on POM's job list.
    let html = page(&app, &sup, "/").await;
    // (The apostrophe of "POM's" is left out: the page may escape it.)
    let mark = format!("job list as of {since_local} ({TZ})");
    let marked = html.matches(&mark).count();
    assert!(
        html.contains("data-source=\"pom_jobs\"") && marked >= 2,
        "campaigns now and the reasons are marked ({marked}): {mark}"
    );

    sim.faults(json!([])).await;
    let recovered = until(
        || floor(&app, &sup),
        |f| f["stale"] == json!([]),
        "POM still named behind after it answered again",
    )
    .await;
    assert_ne!(recovered["jobs_read_at"], figures["jobs_read_at"]);
}

#[sqlx::test]
async fn lagging_call_data_is_named_on_the_floor_and_the_callbacks_until_it_catches_up(
    pool: sqlx::PgPool,
) {
    // POM's clock, and with it every record of its feed, twenty minutes behind OCM's.
    let sim = PomSim::start().await;
    let lag_ms = 20 * 60_000;
    let at_ms = time::OffsetDateTime::now_utc().unix_timestamp() * 1000 - lag_ms;
    let set = sim
        .http
        .post(format!("{}/__sim/clock", sim.origin))
        .json(&json!({ "at_ms": at_ms }))
        .send()
        .await
        .unwrap();
    assert!(set.status().is_success());
    let report_zone = [("OCM_REPORT_TIME_ZONE", TZ)];
    // Enough contacts that the job dials all along: records keep coming once POM catches up.
    let setup = Setup {
        contacts: 200,
        ..Setup::default()
    };
    let (sim, app, sup, _) = started_on(sim, pool, setup, &report_zone).await;
    dial_for(&sim, &app, 60_000).await;

    let figures = until(
        || floor(&app, &sup),
        |f| behind(f, "call_data").is_some(),
        "the call data never named behind",
    )
    .await;
    let call_data = behind(&figures, "call_data").unwrap();
    // Since its newest record, a job being open.
    assert_eq!(call_data["since"], figures["call_data_newest"], "{figures}");
    let since_local = local(&call_data["since"]);
    assert_eq!(call_data["since_local"], since_local.as_str());
    let words = call_data["words"].as_str().unwrap();
    assert!(
        words.starts_with(&format!(
            "The call data is behind: its newest record is from {since_local} ({TZ}),"
        )) && words.contains("while a job is dialling"),
        "{words}"
    );
    assert!(behind(&figures, "pom_jobs").is_none(), "{figures}");
    let counts = until(
        || callbacks(&app, &sup),
        |c| c["stale"]["source"] == "call_data",
        "the callbacks never said the call data is behind",
    )
    .await;
    assert_eq!(counts["stale"]["since"], call_data["since"], "{counts}");
    assert_eq!(counts["stale"]["words"], call_data["words"]);
    // Both pages say so and mark what leans on the call data as not current.
    let mark = format!("the call data as of {since_local} ({TZ})");
    let home = page(&app, &sup, "/").await;
    for part in ["today", "agents", "jobs", "why_idle"] {
        assert!(
            home.contains(&format!("data-part=\"{part}\"")),
            "{part} marked"
        );
    }
    assert_eq!(home.matches(&mark).count(), 4, "{mark}");
    let dashboard = page(&app, &sup, "/callbacks").await;
    assert!(
        dashboard.contains("data-source=\"call_data\"") && dashboard.contains(&mark),
        "{mark}"
    );

    // POM catches up: its records are current again, and nothing is named behind.
    dial_for(&sim, &app, lag_ms).await;
    until(
        || floor(&app, &sup),
        |f| f["stale"] == json!([]),
        "the call data still named behind after it caught up",
    )
    .await;
    let counts = until(
        || callbacks(&app, &sup),
        |c| c["stale"].is_null(),
        "the callbacks still say the call data is behind",
    )
    .await;
    assert!(counts["newest_record_at"].is_string(), "{counts}");
    assert!(!page(&app, &sup, "/callbacks")
        .await
        .contains("data-testid=\"stale-mark\""));
}
