//! Campaign changes through the automation API against the simulator: a scheduled start with
//! its bad input named, a contact list added to the running job with POM's faults, and what POM
//! cannot do answered 501.

use reqwest::Method;
use serde_json::json;

use super::api_v1_calls::{call, get, post, post_json, problem_code, register, token};
use super::campaign_calls::{campaigns_setup, wait_state};
use super::pom_sim::{spawn_with_pom, PomSim};

#[sqlx::test]
async fn schedules_lists_for_running_jobs_and_what_pom_cannot_do(pool: sqlx::PgPool) {
    let sim = PomSim::start().await;
    campaigns_setup(&sim).await;
    sim.add_list("Sales_Extra", "Sales", &[]).await;
    sim.add_list("Coll_Extra", "Collections", &[]).await;
    let app = spawn_with_pom(pool, &sim, &[]).await;
    let scopes = ["campaigns:control", "campaigns:read"];
    let ops = token(&app, &register(&app, "ops", "Sales", &scopes).await).await;
    let sup = app.signed_in("sup.a").await;

    // A scheduled start, and its bad input named.
    let at = json!({ "at": "2030-01-15T09:00", "time_zone": "Europe/London" });
    let scheduled = post_json(&app, &ops, "/campaigns/Sales_Callbacks/schedule", None, &at).await;
    assert_eq!(scheduled.status, 201, "{}", scheduled.body);
    assert_eq!(scheduled.body["start_local"], "2030/01/15 09:00:00");
    for (body, field) in [
        (
            json!({ "at": "2030-01-15T09:00", "time_zone": "Mars/Olympus" }),
            "time_zone",
        ),
        (json!({ "at": "soon", "time_zone": "UTC" }), "at"),
        (json!({ "at": "2030-01-15T09:00" }), "time_zone"),
    ] {
        let refused = post_json(
            &app,
            &ops,
            "/campaigns/Sales_Callbacks/schedule",
            None,
            &body,
        )
        .await;
        assert_eq!(
            (refused.status, refused.body["field"].as_str()),
            (400, Some(field)),
            "{body}"
        );
    }
    let elsewhere = post_json(&app, &ops, "/campaigns/Coll_Early/schedule", None, &at).await;
    assert_eq!(
        (elsewhere.status, problem_code(&elsewhere)),
        (404, "campaign_not_found")
    );

    // A list for the running job: none running yet is POM's -27.
    let extra = json!({ "list": "Sales_Extra", "priority": "high" });
    let early = post_json(&app, &ops, "/campaigns/Sales_Evening/lists", None, &extra).await;
    assert_eq!(
        (early.status, problem_code(&early)),
        (409, "pom_refused"),
        "{}",
        early.body
    );
    assert_eq!(early.body["pom_fault"], -27);
    assert_eq!(
        post(&app, &ops, "/campaigns/Sales_Evening/start")
            .await
            .status,
        202
    );
    wait_state(&app, &sup, "Sales", "Sales_Evening", "JOB_ACTIVE").await;
    let added = post_json(
        &app,
        &ops,
        "/campaigns/Sales_Evening/lists",
        Some("l-1"),
        &extra,
    )
    .await;
    assert_eq!(added.status, 200, "{}", added.body);
    // The board shows the list once the monitor has read POM again.
    let mut lists = json!([]);
    for _ in 0..50 {
        lists = get(&app, &ops, "/campaigns/Sales_Evening").await.body["lists"].clone();
        if lists.as_array().unwrap().contains(&json!("Sales_Extra")) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(lists, json!(["Sales_Extra"]));
    let again = post_json(&app, &ops, "/campaigns/Sales_Evening/lists", None, &extra).await;
    assert_eq!(
        (again.status, again.body["pom_fault"].as_i64()),
        (409, Some(-35))
    );
    let theirs = json!({ "list": "Coll_Extra" });
    let other = post_json(&app, &ops, "/campaigns/Sales_Evening/lists", None, &theirs).await;
    assert_eq!(
        (other.status, problem_code(&other)),
        (404, "list_not_found")
    );
    let urgent = json!({ "list": "Sales_Extra", "priority": "urgent" });
    let bad = post_json(&app, &ops, "/campaigns/Sales_Evening/lists", None, &urgent).await;
    assert_eq!(
        (bad.status, bad.body["field"].as_str()),
        (400, Some("priority"))
    );
    sim.faults(json!([{ "endpoint": "AddContactListToJob", "error_rate": 1.0, "kind": { "status": 503 } }]))
        .await;
    sim.add_list("Sales_More", "Sales", &[]).await;
    let more = json!({ "list": "Sales_More" });
    let down = post_json(&app, &ops, "/campaigns/Sales_Evening/lists", None, &more).await;
    assert_eq!(
        (down.status, problem_code(&down)),
        (502, "pom_unavailable"),
        "{}",
        down.body
    );
    sim.faults(json!([])).await;
    let recorded: Vec<(String, String)> = sqlx::query_as(
        "select outcome, requested_by_name from campaign_action where action = 'add_list' order by campaign_action_id",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    let outcomes: Vec<&str> = recorded.iter().map(|r| r.0.as_str()).collect();
    assert_eq!(outcomes, ["refused", "ok", "refused", "failed"]);
    assert!(recorded.iter().all(|r| r.1 == "api:ops"));

    // What POM cannot do.
    let create = post(&app, &ops, "/campaigns").await;
    assert_eq!(
        (create.status, problem_code(&create)),
        (501, "not_supported_by_pom")
    );
    let change = call(&app, &ops, Method::PATCH, "/campaigns/Sales_Evening", None).await;
    assert_eq!(
        (change.status, problem_code(&change)),
        (501, "not_supported_by_pom")
    );
    let reader = token(
        &app,
        &register(&app, "reader", "Sales", &["campaigns:read"]).await,
    )
    .await;
    let denied = post(&app, &reader, "/campaigns").await;
    assert_eq!(denied.status, 403);
}
