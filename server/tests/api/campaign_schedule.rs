//! Scheduled starts: the time and zone are checked (each error names its field), POM receives its
//! format and keeps the schedule, OCM lists it and audits it.

use serde_json::json;

use super::campaign_calls::{call_form, campaigns_setup, message};
use super::pom_sim::{spawn_with_pom, PomSim};

#[sqlx::test]
async fn schedules_are_checked_sent_and_listed(pool: sqlx::PgPool) {
    let sim = PomSim::start().await;
    campaigns_setup(&sim).await;
    let app = spawn_with_pom(pool, &sim, &[]).await;
    let sup = app.signed_in("sup.a").await;
    let schedule = |start: &str, zone: &str| json!({ "organization": "Sales", "campaign": "Sales_Callbacks", "start": start, "time_zone": zone });
    let (status, body) = call_form(
        &app,
        &sup,
        "campaigns/schedule",
        schedule("2030-01-15T09:00", "Mars/Olympus"),
    )
    .await;
    assert_eq!(status, 400);
    assert!(message(&body).contains("time_zone"), "{body}");
    let (status, body) = call_form(
        &app,
        &sup,
        "campaigns/schedule",
        schedule("2030-02-30T09:00", "UTC"),
    )
    .await;
    assert_eq!(status, 400);
    assert!(message(&body).contains("start"), "{body}");
    let (status, body) = call_form(
        &app,
        &sup,
        "campaigns/schedule",
        schedule("2020-01-15T09:00", "UTC"),
    )
    .await;
    assert_eq!(status, 400);
    assert!(message(&body).contains("already passed"), "{body}");

    let (status, body) = call_form(
        &app,
        &sup,
        "campaigns/schedule",
        schedule("2030-01-15T09:00", "Asia/Kolkata"),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["start_local"], "2030/01/15 09:00:00");
    assert_eq!(body["starts_at"], "2030-01-15T03:30:00Z");
    let pending: usize = sim
        .sim
        .with_world(|w, _| w.campaigns.values().map(|c| c.schedules.len()).sum());
    assert_eq!(pending, 1, "POM holds the schedule");
    let (status, listed) = call_form(
        &app,
        &sup,
        "campaigns/scheduled",
        json!({ "organization": "Sales" }),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(listed[0]["campaign"], "Sales_Callbacks");
    assert_eq!(listed[0]["due"], false);
    assert_eq!(app.audit_count("campaign.schedule").await, 1);
}
