//! The emergency stop across two organizations (phrase, scope, per-job outcomes, one audit event,
//! the banner) and the shared poller: many open browsers, one POM read per interval.

use std::time::Duration;

use serde_json::{json, Value};

use super::campaign_calls::{act, add_campaign, call_form, campaigns_setup, start, wait_state};
use super::pom_sim::{spawn_with_pom, PomSim};

const PHRASE: &str = "STOP ALL DIALLING";

#[sqlx::test]
async fn an_emergency_stop_stops_one_organization_or_all_and_is_announced(pool: sqlx::PgPool) {
    let sim = PomSim::start().await;
    campaigns_setup(&sim).await;
    add_campaign(&sim, "Sales_Weekend", "Sales", "progressive", false).await;
    let app = spawn_with_pom(pool, &sim, &[]).await;
    let sales = app.signed_in("sup.a").await;
    let collections = app.signed_in("sup.b").await;
    let admin = app.signed_in("admin").await;
    let mut jobs = Vec::new();
    for (client, org, name) in [
        (&sales, "Sales", "Sales_Evening"),
        (&sales, "Sales", "Sales_Weekend"),
        (&collections, "Collections", "Coll_Early"),
    ] {
        let (status, body) = start(&app, client, org, name).await;
        assert_eq!(status, 200, "{body}");
        jobs.push(body["job_id"].as_i64().unwrap());
        wait_state(&app, client, org, name, "JOB_ACTIVE").await;
    }
    assert_eq!(
        act(&app, &sales, ("Sales", "Sales_Weekend", jobs[1]), "pause")
            .await
            .0,
        200
    );

    // Supervisors may not; a wrong phrase stops nothing.
    let stop = |org: Value, phrase: &str| json!({ "organization": org, "phrase": phrase });
    let (status, _) = call_form(
        &app,
        &sales,
        "campaigns/emergency_stop",
        stop(json!("Sales"), PHRASE),
    )
    .await;
    assert_eq!(status, 403);
    let (status, body) = call_form(
        &app,
        &admin,
        "campaigns/emergency_stop",
        stop(json!("Sales"), "stop"),
    )
    .await;
    assert_eq!(status, 400);
    assert!(body.to_string().contains("phrase"), "{body}");
    wait_state(&app, &sales, "Sales", "Sales_Evening", "JOB_ACTIVE").await;

    let (status, report) = call_form(
        &app,
        &admin,
        "campaigns/emergency_stop",
        stop(json!("Sales"), PHRASE),
    )
    .await;
    assert_eq!(status, 200, "{report}");
    let mut outcomes: Vec<(i64, String, String)> = report["jobs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|j| {
            (
                j["job_id"].as_i64().unwrap(),
                j["state_before"].as_str().unwrap().into(),
                j["outcome"].as_str().unwrap().into(),
            )
        })
        .collect();
    outcomes.sort();
    assert_eq!(
        outcomes,
        [
            (jobs[0], "JOB_ACTIVE".into(), "ok".into()),
            (jobs[1], "JOB_PAUSED".into(), "ok".into()),
        ]
    );
    wait_state(&app, &sales, "Sales", "Sales_Evening", "JOB_STOPPED").await;
    wait_state(&app, &sales, "Sales", "Sales_Weekend", "JOB_STOPPED").await;
    wait_state(
        &app,
        &collections,
        "Collections",
        "Coll_Early",
        "JOB_ACTIVE",
    )
    .await;

    // One audit event names every job; the banner reaches Sales users only.
    let events: Vec<(Value, Option<String>)> = sqlx::query_as(
        "select parameters, organization from audit_event where action = 'campaign.emergency_stop'",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].0["jobs"].as_array().unwrap().len(), 2);
    assert_eq!(events[0].1.as_deref(), Some("Sales"));
    let (_, banner) = call_form(&app, &sales, "campaigns/emergency_banner", json!({})).await;
    assert_eq!(banner["stop"]["by"], "admin");
    assert_eq!(banner["stop"]["jobs_stopped"], 2);
    assert_eq!(banner["modes"], json!([]), "a stop alone leaves no mode");
    let (_, banner) = call_form(&app, &collections, "campaigns/emergency_banner", json!({})).await;
    assert!(banner["stop"].is_null(), "{banner}");

    // Every organization: Collections' job stops too.
    let (status, report) = call_form(
        &app,
        &admin,
        "campaigns/emergency_stop",
        stop(Value::Null, PHRASE),
    )
    .await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["jobs"][0]["job_id"], jobs[2]);
    assert_eq!(report["jobs"].as_array().unwrap().len(), 1);
    wait_state(
        &app,
        &collections,
        "Collections",
        "Coll_Early",
        "JOB_STOPPED",
    )
    .await;
    let (_, banner) = call_form(&app, &collections, "campaigns/emergency_banner", json!({})).await;
    assert!(banner["organization"].is_null(), "{banner}");
    let stops: i64 = sqlx::query_scalar("select count(*) from campaign_action where emergency_stop_id is not null and outcome = 'ok'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(stops, 3);
    // Recent actions name them as what they were.
    let (_, actions) = call_form(
        &app,
        &collections,
        "campaigns/actions",
        json!({ "organization": "Collections" }),
    )
    .await;
    assert_eq!(actions[0]["action"], "emergency_stop", "{actions}");
}

/// Requests the simulator counted for `endpoint`.
async fn pom_requests(sim: &PomSim, endpoint: &str) -> u64 {
    let counters: Value = reqwest::get(format!("{}/__sim/requests", sim.origin))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    counters[endpoint].as_u64().unwrap_or(0)
}

#[sqlx::test]
async fn many_open_browsers_share_one_poll_per_interval(pool: sqlx::PgPool) {
    let sim = PomSim::start().await;
    campaigns_setup(&sim).await;
    let app = spawn_with_pom(pool, &sim, &[("OCM_CAMPAIGN_POLL_MS", "500")]).await;
    let sales = app.signed_in("sup.a").await;
    let collections = app.signed_in("sup.b").await;
    // 200 event streams, half per organization.
    let mut streams = Vec::new();
    for i in 0..200 {
        let (client, org) = if i % 2 == 0 {
            (&sales, "Sales")
        } else {
            (&collections, "Collections")
        };
        let response = client
            .get(app.url(&format!("/campaigns/events?organization={org}")))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        streams.push(response);
    }
    tokio::time::sleep(Duration::from_millis(600)).await;
    sim.http
        .delete(format!("{}/__sim/requests", sim.origin))
        .send()
        .await
        .unwrap();
    let watched = Duration::from_secs(3);
    tokio::time::sleep(watched).await;
    let polls = pom_requests(&sim, "campaigns.joblist").await;
    // Two organizations, 500 ms: at most 2 × 6 reads (+2 for the interval edges). One shared
    // read serves both, so the count is about 6.
    assert!((1..=14).contains(&polls), "{polls} job-list reads in 3 s");

    // A state change reaches every stream.
    let (status, started) = start(&app, &sales, "Sales", "Sales_Evening").await;
    assert_eq!(status, 200, "{started}");
    let job = started["job_id"].as_i64().unwrap().to_string();
    let mut reached = 0;
    for (i, stream) in streams.iter_mut().enumerate().filter(|(i, _)| i % 2 == 0) {
        let mut seen = String::new();
        let found = tokio::time::timeout(Duration::from_secs(10), async {
            while let Some(chunk) = stream.chunk().await.unwrap() {
                seen.push_str(&String::from_utf8_lossy(&chunk));
                if seen.contains(&format!("\"job_id\":{job}")) && seen.contains("JOB_ACTIVE") {
                    return true;
                }
            }
            false
        })
        .await
        .unwrap_or(false);
        assert!(found, "stream {i} never saw job {job} active");
        reached += 1;
    }
    assert_eq!(reached, 100);
}

#[sqlx::test]
async fn a_queued_job_is_waited_for_and_stopped_and_the_request_is_audited_first(
    pool: sqlx::PgPool,
) {
    let sim = PomSim::start().await;
    campaigns_setup(&sim).await;
    let app = spawn_with_pom(pool, &sim, &[]).await;
    let sales = app.signed_in("sup.a").await;
    let admin = app.signed_in("admin").await;
    // Started and stopped at once: the job is still queued when the stop begins.
    let (status, started) = start(&app, &sales, "Sales", "Sales_Evening").await;
    assert_eq!(status, 200, "{started}");
    let body = json!({ "organization": "Sales", "phrase": PHRASE });
    let (status, report) = call_form(&app, &admin, "campaigns/emergency_stop", body).await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["jobs"][0]["job_id"], started["job_id"]);
    assert_eq!(report["jobs"][0]["outcome"], "ok", "{report}");
    wait_state(&app, &sales, "Sales", "Sales_Evening", "JOB_STOPPED").await;
    let actions: Vec<String> = sqlx::query_scalar(
        "select action from audit_event where action like 'campaign.emergency%' order by audit_event_id",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert_eq!(
        actions,
        [
            "campaign.emergency_stop.requested",
            "campaign.emergency_stop"
        ]
    );
}
