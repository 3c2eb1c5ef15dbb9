//! Emergency mode against the simulator: turned on through the API it stops the organization's
//! jobs and refuses starts, resumes and schedules from the pages and the API until an admin
//! lifts it on the page; other organizations go on; a job POM starts on its own meanwhile is
//! stopped by the campaign monitor.

use serde_json::{json, Value};

use super::api_v1_calls::{get, post, post_json, problem_code, register, token};
use super::campaign_calls::{call_form, campaigns_setup, message, start, wait_state};
use super::pom_sim::{spawn_with_pom, PomSim};

#[sqlx::test]
async fn emergency_mode_refuses_starts_from_the_pages_and_the_api_until_lifted(pool: sqlx::PgPool) {
    let sim = PomSim::start().await;
    campaigns_setup(&sim).await;
    let app = spawn_with_pom(pool, &sim, &[]).await;
    let scopes = ["emergency", "campaigns:control", "campaigns:read"];
    let ops = token(&app, &register(&app, "ops", "Sales", &scopes).await).await;
    let sup = app.signed_in("sup.a").await;
    let other = app.signed_in("sup.b").await;

    let started = post(&app, &ops, "/campaigns/Sales_Evening/start").await;
    assert_eq!(started.status, 202, "{}", started.body);
    wait_state(&app, &sup, "Sales", "Sales_Evening", "JOB_ACTIVE").await;

    // On: the running job is stopped and the mode is in force.
    let body = json!({ "reason": "fire drill" });
    let on = post_json(&app, &ops, "/emergency/enable", Some("e-1"), &body).await;
    assert_eq!(on.status, 200, "{}", on.body);
    let jobs = on.body["jobs"].as_array().unwrap();
    assert_eq!(jobs.len(), 1, "{}", on.body);
    assert_eq!(
        (jobs[0]["campaign"].as_str(), jobs[0]["outcome"].as_str()),
        (Some("Sales_Evening"), Some("ok"))
    );
    assert_eq!(on.body["mode"]["enabled_by"], "api:ops");
    let state = get(&app, &ops, "/emergency").await;
    assert_eq!(state.body["active"], true, "{}", state.body);

    // Refused from the API and from the pages: start, schedule.
    let refused = post(&app, &ops, "/campaigns/Sales_Callbacks/start").await;
    assert_eq!(
        (refused.status, problem_code(&refused)),
        (409, "emergency_mode")
    );
    assert!(refused.body["detail"]
        .as_str()
        .unwrap()
        .contains("fire drill"));
    let (status, body) = start(&app, &sup, "Sales", "Sales_Callbacks").await;
    assert_eq!(status, 409, "{body}");
    assert!(
        message(&body).contains("Emergency mode is on for Sales"),
        "{body}"
    );
    let schedule = json!({ "organization": "Sales", "campaign": "Sales_Callbacks",
                           "start": "2030-01-15T09:00", "time_zone": "UTC" });
    let (status, _) = call_form(&app, &sup, "campaigns/schedule", schedule).await;
    assert_eq!(status, 409);
    // Another organization dials on.
    let (status, body) = start(&app, &other, "Collections", "Coll_Early").await;
    assert_eq!(status, 200, "{body}");
    // Every signed-in page of the organization shows it.
    let (_, notices) = call_form(&app, &sup, "campaigns/emergency_banner", json!({})).await;
    assert_eq!(notices["modes"][0]["reason"], "fire drill", "{notices}");
    let (_, elsewhere) = call_form(&app, &other, "campaigns/emergency_banner", json!({})).await;
    assert_eq!(elsewhere["modes"], json!([]), "{elsewhere}");
    // A client of one organization cannot act on all.
    let all = json!({ "all_organizations": true });
    let wide = post_json(&app, &ops, "/emergency/enable", None, &all).await;
    assert_eq!((wide.status, problem_code(&wide)), (403, "forbidden"));

    // A job POM starts on its own (a schedule made before) is stopped when the monitor sees it.
    wait_state(&app, &sup, "Sales", "Sales_Evening", "JOB_STOPPED").await;
    let pom = app.state.pom().unwrap();
    let catalogue = app.state.campaigns.catalogue("Sales", true).await.unwrap();
    let evening = catalogue
        .iter()
        .find(|c| c.campaign_name == "Sales_Evening")
        .unwrap();
    let own = pom.start_job(evening.campaign_id).await.unwrap();
    let sales = ["Sales".to_string()];
    for _ in 0..50 {
        app.state.campaigns.refresh(&sales, true).await.unwrap();
        if app.audit_count("campaign.emergency_mode.enforced").await >= 2 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(
        app.audit_count("campaign.emergency_mode.enforced").await,
        2,
        "requested, then POM's answer"
    );
    let board: Value = wait_state(&app, &sup, "Sales", "Sales_Evening", "JOB_STOPPED").await;
    assert_eq!(board["job"]["job_id"].as_i64(), own.job_id, "{board}");

    // Releasing the brake is for admins: a client of one organization may not.
    let off = post(&app, &ops, "/emergency/disable").await;
    assert_eq!((off.status, problem_code(&off)), (403, "forbidden"));

    // Lifted by an admin on the page: starts are allowed again.
    let admin = app.signed_in("admin").await;
    let lift = json!({ "organization": "Sales" });
    let (status, body) = call_form(&app, &sup, "campaigns/emergency_mode_lift", lift.clone()).await;
    assert_eq!(status, 403, "supervisors cannot lift it: {body}");
    let (status, body) = call_form(&app, &admin, "campaigns/emergency_mode_lift", lift).await;
    assert_eq!(status, 200, "{body}");
    let again = post(&app, &ops, "/campaigns/Sales_Evening/start").await;
    assert_eq!(again.status, 202, "{}", again.body);
    let everyone = token(&app, &register(&app, "hq", "", &["emergency"]).await).await;
    let off = post(&app, &everyone, "/emergency/disable?organization=Sales").await;
    assert_eq!(
        (off.status, problem_code(&off)),
        (404, "emergency_mode_not_found")
    );
    for action in ["campaign.emergency_mode.on", "campaign.emergency_mode.off"] {
        assert_eq!(app.audit_count(action).await, 1, "{action}");
    }
}
