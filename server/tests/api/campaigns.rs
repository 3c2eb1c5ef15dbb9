//! Campaign control against the simulator: start → queued → active, pause, resume, stop, who
//! started it, POM's refusals as plain messages (recorded and audited), and that one
//! organization can neither see nor touch another's campaigns.

use serde_json::{json, Value};

use super::campaign_calls::{
    act, board, call_form, campaigns_setup, message, row, start, wait_state,
};
use super::pom_sim::{spawn_with_pom, PomSim};

#[sqlx::test]
async fn a_job_is_started_followed_to_active_paused_resumed_and_stopped(pool: sqlx::PgPool) {
    let sim = PomSim::start().await;
    campaigns_setup(&sim).await;
    let app = spawn_with_pom(pool, &sim, &[]).await;
    let sup = app.signed_in("sup.a").await;

    let (status, board_body) = board(&app, &sup, "Sales").await;
    assert_eq!(status, 200, "{board_body}");
    assert_eq!(board_body["can_act"], true);
    let names: Vec<&str> = board_body["campaigns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["Sales_Callbacks", "Sales_Evening"],
        "only Sales, in name order"
    );
    let evening = row(&app, &sup, "Sales", "Sales_Evening").await;
    assert_eq!(evening["kind"], "predictive");
    assert_eq!(evening["finite"], false);
    assert!(evening["job"].is_null());

    let (status, started) = start(&app, &sup, "Sales", "Sales_Evening").await;
    assert_eq!(status, 200, "{started}");
    let job = started["job_id"].as_i64().unwrap();
    assert!(
        started["message"].as_str().unwrap().contains("queued"),
        "{started}"
    );
    let active = wait_state(&app, &sup, "Sales", "Sales_Evening", "JOB_ACTIVE").await;
    assert_eq!(active["job"]["job_id"], job);
    assert_eq!(active["job"]["started"]["username"], "sup.a");
    assert!(active["job"]["state_since"].is_string());

    let target = ("Sales", "Sales_Evening", job);
    let (status, paused) = act(&app, &sup, target, "pause").await;
    assert_eq!(status, 200, "{paused}");
    wait_state(&app, &sup, "Sales", "Sales_Evening", "JOB_PAUSED").await;
    assert_eq!(act(&app, &sup, target, "resume").await.0, 200);
    wait_state(&app, &sup, "Sales", "Sales_Evening", "JOB_ACTIVE").await;
    let (status, stopped) = act(&app, &sup, target, "stop").await;
    assert_eq!(status, 200, "{stopped}");
    wait_state(&app, &sup, "Sales", "Sales_Evening", "JOB_STOPPED").await;

    let actions: Vec<(String, String, Option<String>, Option<i64>)> = sqlx::query_as(
        "select action, outcome, pom_answer, job_id from campaign_action order by campaign_action_id",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    let kinds: Vec<(&str, &str)> = actions
        .iter()
        .map(|a| (a.0.as_str(), a.1.as_str()))
        .collect();
    assert_eq!(
        kinds,
        [
            ("start", "ok"),
            ("pause", "ok"),
            ("resume", "ok"),
            ("stop", "ok")
        ]
    );
    assert!(actions.iter().all(|a| a.3 == Some(job)));
    assert_eq!(
        actions[0].2.as_deref(),
        Some(format!("isQueued=true jobId=Some({job})").as_str())
    );
    for audit in [
        "campaign.start",
        "campaign.pause",
        "campaign.resume",
        "campaign.stop",
    ] {
        assert_eq!(app.audit_count(audit).await, 1, "{audit}");
    }
    let (parameters,): (Value,) =
        sqlx::query_as("select parameters from audit_event where action = 'campaign.stop'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(parameters["job_id"], job);
    assert_eq!(parameters["pom_answer"], "IsStopped=true");

    let (status, overview) = call_form(&app, &sup, "campaigns/overview", json!({})).await;
    assert_eq!(status, 200, "{overview}");
    assert_eq!(overview["started_today"], 1);
    assert_eq!(overview["ended_today"], 1);
    assert_eq!(overview["recent_actions"][0]["action"], "stop");
}

#[sqlx::test]
async fn pom_refusals_become_plain_messages_and_are_recorded(pool: sqlx::PgPool) {
    let sim = PomSim::start().await;
    campaigns_setup(&sim).await;
    let app = spawn_with_pom(pool, &sim, &[]).await;
    let sup = app.signed_in("sup.a").await;
    let (_, started) = start(&app, &sup, "Sales", "Sales_Evening").await;
    let job = started["job_id"].as_i64().unwrap();

    // -51: an infinite campaign with a running job.
    let (status, body) = start(&app, &sup, "Sales", "Sales_Evening").await;
    assert_eq!(
        status, 409,
        "POM said no: a conflict with the job's state, not a failure"
    );
    assert_eq!(body["PomRefused"]["fault"], -51, "{body}");
    assert!(
        message(&body).contains("infinite campaign already has a running job"),
        "{body}"
    );
    wait_state(&app, &sup, "Sales", "Sales_Evening", "JOB_ACTIVE").await;
    let target = ("Sales", "Sales_Evening", job);
    // -56: resuming an active job; -55: pausing a paused one.
    let (status, body) = act(&app, &sup, target, "resume").await;
    assert_eq!(status, 409);
    assert!(
        message(&body).contains("not paused, so it cannot be resumed"),
        "{body}"
    );
    act(&app, &sup, target, "pause").await;
    let (_, body) = act(&app, &sup, target, "pause").await;
    assert!(
        message(&body).contains("not active, so it cannot be paused"),
        "{body}"
    );
    // -57: stopping a job that has stopped.
    act(&app, &sup, target, "stop").await;
    wait_state(&app, &sup, "Sales", "Sales_Evening", "JOB_STOPPED").await;
    let (_, body) = act(&app, &sup, target, "stop").await;
    assert!(
        message(&body).contains("neither active nor paused"),
        "{body}"
    );

    // POM failing: a plain message, the action recorded as failed.
    sim.faults(json!([{ "endpoint": "campaigns.job.start", "error_rate": 1.0, "kind": { "status": 503 } }])).await;
    let (status, body) = start(&app, &sup, "Sales", "Sales_Callbacks").await;
    assert_eq!(status, 502, "{body}");

    let outcomes: Vec<(String, String, Option<String>)> = sqlx::query_as(
        "select action, outcome, pom_answer from campaign_action order by campaign_action_id",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    let summary: Vec<(&str, &str)> = outcomes
        .iter()
        .map(|o| (o.0.as_str(), o.1.as_str()))
        .collect();
    assert_eq!(
        summary,
        [
            ("start", "ok"),
            ("start", "refused"),
            ("resume", "refused"),
            ("pause", "ok"),
            ("pause", "refused"),
            ("stop", "ok"),
            ("stop", "refused"),
            ("start", "failed"),
        ],
        "{outcomes:?}"
    );
    assert!(
        outcomes[1].2.as_deref().unwrap().contains("-51"),
        "{:?}",
        outcomes[1]
    );
    let failures: i64 = sqlx::query_scalar(
        "select count(*) from audit_event where action like 'campaign.%' and outcome = 'failure'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(failures, 5);
}

#[sqlx::test]
async fn organizations_and_roles_are_enforced(pool: sqlx::PgPool) {
    let sim = PomSim::start().await;
    campaigns_setup(&sim).await;
    let app = spawn_with_pom(pool, &sim, &[]).await;
    let sales = app.signed_in("sup.a").await;
    let (_, started) = start(&app, &sales, "Sales", "Sales_Evening").await;
    let sales_job = started["job_id"].as_i64().unwrap();
    wait_state(&app, &sales, "Sales", "Sales_Evening", "JOB_ACTIVE").await;

    let collections = app.signed_in("sup.b").await;
    assert_eq!(board(&app, &collections, "Sales").await.0, 404);
    let stream = collections
        .get(app.url("/campaigns/events?organization=Sales"))
        .send()
        .await
        .unwrap();
    assert_eq!(stream.status(), 404, "another organization's live board");
    assert_eq!(
        start(&app, &collections, "Sales", "Sales_Evening").await.0,
        404
    );
    // Its own organization named, another's campaign or job: not found, and POM is not asked.
    assert_eq!(
        start(&app, &collections, "Collections", "Sales_Evening")
            .await
            .0,
        404
    );
    let (status, _) = act(
        &app,
        &collections,
        ("Collections", "Coll_Early", sales_job),
        "stop",
    )
    .await;
    assert_eq!(status, 404);
    let (status, _) = act(
        &app,
        &collections,
        ("Collections", "Sales_Evening", sales_job),
        "stop",
    )
    .await;
    assert_eq!(status, 404);
    wait_state(&app, &sales, "Sales", "Sales_Evening", "JOB_ACTIVE").await;

    let manager = app.signed_in("mgr.a").await;
    let (status, body) = board(&app, &manager, "Sales").await;
    assert_eq!(status, 200);
    assert_eq!(body["can_act"], false);
    assert_eq!(
        start(&app, &manager, "Sales", "Sales_Callbacks").await.0,
        403
    );
    assert_eq!(
        act(
            &app,
            &manager,
            ("Sales", "Sales_Evening", sales_job),
            "pause"
        )
        .await
        .0,
        403
    );
    let (status, _) = call_form(
        &app,
        &manager,
        "campaigns/emergency_stop",
        json!({ "organization": null, "phrase": "STOP ALL DIALLING" }),
    )
    .await;
    assert_eq!(status, 403);
    assert_eq!(
        act(&app, &sales, ("Sales", "Sales_Evening", sales_job), "pause")
            .await
            .0,
        200
    );

    let admin = app.signed_in("admin").await;
    let (status, body) = board(&app, &admin, "Collections").await;
    assert_eq!(status, 200);
    assert_eq!(body["organizations"], json!(["Collections", "Sales"]));
    assert_eq!(body["campaigns"][0]["name"], "Coll_Early");
}
