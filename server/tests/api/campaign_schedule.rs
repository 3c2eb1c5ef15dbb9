//! Scheduled starts: the time and zone are checked (each error names its field), POM receives its
//! format and keeps the schedule, OCM lists it and audits it.

use serde_json::json;

use super::campaign_calls::{act, board, call_form, campaigns_setup, message, start, wait_state};
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

/// `2026-12-05T10:00:02`: UTC wall time `seconds` from now, as the start field sends it.
fn utc_in(seconds: i64) -> String {
    let at = time::OffsetDateTime::now_utc() + time::Duration::seconds(seconds);
    let format = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]");
    at.format(&format).unwrap()
}

#[sqlx::test]
async fn the_job_pom_starts_for_a_schedule_is_attributed_and_linked(pool: sqlx::PgPool) {
    let sim = PomSim::start().await;
    campaigns_setup(&sim).await;
    let app = spawn_with_pom(pool, &sim, &[("OCM_CAMPAIGN_POLL_MS", "200")]).await;
    let sup = app.signed_in("sup.a").await;
    let (_, before) = board(&app, &sup, "Sales").await;
    let body = json!({ "organization": "Sales", "campaign": "Sales_Evening", "start": utc_in(1), "time_zone": "UTC" });
    let (status, body) = call_form(&app, &sup, "campaigns/schedule", body).await;
    assert_eq!(status, 200, "{body}");
    // The board is read again once its interval has passed; its mark then names the action.
    let mut heard = false;
    for _ in 0..50 {
        let (_, after) = board(&app, &sup, "Sales").await;
        if after["actions_mark"] != before["actions_mark"] {
            heard = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(heard, "open boards hear of the new action");

    let row = wait_state(&app, &sup, "Sales", "Sales_Evening", "JOB_ACTIVE").await;
    let job_id = row["job"]["job_id"].as_i64().expect("POM started a job");
    assert_eq!(row["job"]["started"]["username"], "sup.a", "{row}");
    assert_eq!(row["job"]["started"]["scheduled"], true, "{row}");
    let (_, listed) = call_form(
        &app,
        &sup,
        "campaigns/scheduled",
        json!({ "organization": "Sales" }),
    )
    .await;
    assert_eq!(listed[0]["job_id"], job_id, "{listed}");
    assert_eq!(listed[0]["due"], true);

    // The next job, started through OCM, is its starter's: the schedule is used up.
    let (status, body) = act(&app, &sup, ("Sales", "Sales_Evening", job_id), "stop").await;
    assert_eq!(status, 200, "{body}");
    wait_state(&app, &sup, "Sales", "Sales_Evening", "JOB_STOPPED").await;
    let (status, _) = start(&app, &sup, "Sales", "Sales_Evening").await;
    assert_eq!(status, 200);
    let row = wait_state(&app, &sup, "Sales", "Sales_Evening", "JOB_ACTIVE").await;
    assert_ne!(row["job"]["job_id"], job_id);
    assert_eq!(row["job"]["started"]["scheduled"], false, "{row}");
}
