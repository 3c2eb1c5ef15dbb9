//! Issue 23 on the purge run: restore-all confirmed with the typed count, failed deletes retried
//! as an audited job (the run's figures follow), and "is one of" values that matched nothing named
//! by the dry run.

use serde_json::{json, Value};
use sqlx::PgPool;

use super::pom_sim::{contacts, spawn_with_pom, PomSim};
use super::purge_calls::{call_json, dry_run, purge, request, wait_for};

async fn run_figures(app: &super::helpers::TestApp, client: &reqwest::Client, list: i64) -> Value {
    let (status, history) = call_json(
        app,
        client,
        "purge/history",
        json!({ "request": { "filters": { "list_id": list } } }),
    )
    .await;
    assert_eq!(status, 200, "{history}");
    history["rows"][0].clone()
}

#[sqlx::test]
async fn restore_all_is_refused_unless_the_restorable_count_is_typed(pool: PgPool) {
    let sim = PomSim::start().await;
    let list = sim
        .add_list("Sales_RestoreAll", "Sales", &contacts(10))
        .await;
    let app = spawn_with_pom(pool.clone(), &sim, &[]).await;
    let client = app.signed_in("sup.a").await;
    let (run_id, job_id) =
        purge(&app, &client, &request(list, "CAMP_ID", "equals", &["S01"])).await;
    wait_for(&pool, job_id, &["completed"]).await;
    for typed in [None, Some("4"), Some("all")] {
        let mut body = json!({ "purge_run_id": run_id, "user_contact_ids": [] });
        if let Some(typed) = typed {
            body["typed_count"] = json!(typed);
        }
        let (status, answer) = call_json(&app, &client, "purge/restore", body).await;
        assert_eq!(status, 400, "{typed:?}: {answer}");
        let text = answer.to_string();
        assert!(
            text.contains("restore_count") && text.contains("“Contacts to restore”"),
            "the field is named: {text}"
        );
        assert!(text.contains("restore all 5 contacts"), "{text}");
    }
    let marked: i64 = sqlx::query_scalar(
        "select count(*) from purge_contact where purge_run_id = $1 and restore_state is not null",
    )
    .bind(run_id)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(marked, 0, "a refused restore marks nothing");
    assert_eq!(app.audit_count("purge.restore.start").await, 0);
    assert_eq!(sim.contact_ids(list).await.len(), 5);

    let (status, restore_job) = call_json(
        &app,
        &client,
        "purge/restore",
        json!({ "purge_run_id": run_id, "user_contact_ids": [], "typed_count": "5" }),
    )
    .await;
    assert_eq!(status, 200, "{restore_job}");
    let (state, restored, _, _, _) =
        wait_for(&pool, restore_job.as_i64().unwrap(), &["completed"]).await;
    assert_eq!((state.as_str(), restored), ("completed", 5));
    assert_eq!(sim.contact_ids(list).await.len(), 10);
}

#[sqlx::test]
async fn failed_deletes_are_retried_as_an_audited_job_and_the_run_s_figures_follow(pool: PgPool) {
    let sim = PomSim::start().await;
    let list = sim.add_list("Sales_Retry", "Sales", &contacts(10)).await;
    let app = spawn_with_pom(pool.clone(), &sim, &[]).await;
    let client = app.signed_in("sup.a").await;
    sim.in_progress(list, "C0005", 3_600.0).await;
    sim.in_progress(list, "C0007", 3_600.0).await;
    let (run_id, job_id) =
        purge(&app, &client, &request(list, "CAMP_ID", "equals", &["S01"])).await;
    let (_, done, failed, _, _) = wait_for(&pool, job_id, &["completed"]).await;
    assert_eq!((done, failed), (3, 2));
    let figures = run_figures(&app, &client, list).await;
    assert_eq!(
        (&figures["deleted"], &figures["failed"]),
        (&json!(3), &json!(2))
    );
    assert_eq!(figures["after"], 7);
    let snapshot: Option<String> = sqlx::query_scalar(
        "select attributes->>'firstName' from purge_contact where purge_run_id = $1 and user_contact_id = 'C0005'",
    )
    .bind(run_id)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(
        snapshot.as_deref(),
        Some("First5"),
        "the failed contact was snapshotted, whole, before the first try"
    );

    // C0007 left the list meanwhile (removed in POM): it is counted as gone, not deleted again.
    // C0005 is no longer dialled, and deletes are slow: the retry runs long enough to be asked
    // for twice.
    sim.sim.with_world(|world, _| {
        world.lists.get_mut(&list).unwrap().contacts.remove("C0007");
    });
    sim.in_progress(list, "C0005", 0.0).await;
    sim.faults(json!([{ "endpoint": "contacts.delete", "latency_ms": 1500 }]))
        .await;
    let (status, retry_job) = call_json(
        &app,
        &client,
        "purge/retry",
        json!({ "purge_run_id": run_id }),
    )
    .await;
    assert_eq!(status, 200, "{retry_job}");
    let retry_job = retry_job.as_i64().unwrap();
    assert_eq!(
        app.audit_count("purge.retry.start").await,
        1,
        "audited before it acts"
    );
    for (endpoint, body) in [
        ("purge/retry", json!({ "purge_run_id": run_id })),
        (
            "purge/restore",
            json!({ "purge_run_id": run_id, "user_contact_ids": ["C0001"] }),
        ),
    ] {
        let (status, answer) = call_json(&app, &client, endpoint, body).await;
        assert_eq!(
            status, 400,
            "{endpoint} refused while the retry runs: {answer}"
        );
        assert!(answer.to_string().contains("under way"), "{answer}");
    }
    let (state, done, failed, skipped, _) =
        wait_for(&pool, retry_job, &["completed", "paused", "failed"]).await;
    assert_eq!(
        (state.as_str(), done, failed, skipped),
        ("completed", 2, 0, 0)
    );
    assert_eq!(
        sim.contact_ids(list).await,
        ["C0002", "C0004", "C0006", "C0008", "C0010"]
    );
    let figures = run_figures(&app, &client, list).await;
    assert_eq!(
        (&figures["deleted"], &figures["failed"]),
        (&json!(5), &json!(0))
    );
    assert_eq!(figures["after"], 5, "the list was measured again");
    assert_eq!(app.audit_count("purge.retry.completed").await, 1);
    let rows: Vec<(String, String, i32, bool)> = sqlx::query_as(
        "select user_contact_id, state, tries, retry_pending from purge_contact
         where purge_run_id = $1 and user_contact_id in ('C0005', 'C0007') order by 1",
    )
    .bind(run_id)
    .fetch_all(&pool)
    .await
    .unwrap();
    let row = |id: &str, state: &str| (id.to_string(), state.to_string(), 6, false);
    assert_eq!(rows, [row("C0005", "deleted"), row("C0007", "absent")]);

    let (status, answer) = call_json(
        &app,
        &client,
        "purge/retry",
        json!({ "purge_run_id": run_id }),
    )
    .await;
    assert_eq!(status, 400);
    assert!(answer.to_string().contains("nothing to retry"), "{answer}");
    sim.faults(json!([])).await;
    let (status, restore_job) = call_json(
        &app,
        &client,
        "purge/restore",
        json!({ "purge_run_id": run_id, "user_contact_ids": ["C0005"] }),
    )
    .await;
    assert_eq!(status, 200, "{restore_job}");
    let (_, restored, _, _, _) =
        wait_for(&pool, restore_job.as_i64().unwrap(), &["completed"]).await;
    assert_eq!(
        restored, 1,
        "the retried delete is restorable from the snapshot"
    );
}

#[sqlx::test]
async fn failed_deletes_of_a_purge_that_ended_long_ago_are_not_retried(pool: PgPool) {
    let sim = PomSim::start().await;
    let list = sim.add_list("Sales_Old", "Sales", &contacts(10)).await;
    let app = spawn_with_pom(pool.clone(), &sim, &[]).await;
    let client = app.signed_in("sup.a").await;
    sim.in_progress(list, "C0005", 3_600.0).await;
    let (run_id, job_id) =
        purge(&app, &client, &request(list, "CAMP_ID", "equals", &["S01"])).await;
    wait_for(&pool, job_id, &["completed"]).await;
    sim.in_progress(list, "C0005", 0.0).await;
    sqlx::query("update job set finished_at = now() - interval '2 days' where job_id = $1")
        .bind(job_id)
        .execute(&pool)
        .await
        .unwrap();
    let (status, answer) = call_json(
        &app,
        &client,
        "purge/retry",
        json!({ "purge_run_id": run_id }),
    )
    .await;
    assert_eq!(status, 400, "{answer}");
    assert!(
        answer.to_string().contains("more than a day ago"),
        "{answer}"
    );
    assert_eq!(app.audit_count("purge.retry.start").await, 0);
    let marked: i64 = sqlx::query_scalar("select count(*) from purge_contact where retry_pending")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(marked, 0, "nothing is marked for a refused retry");
}

#[sqlx::test]
async fn another_organization_cannot_retry_a_run(pool: PgPool) {
    let sim = PomSim::start().await;
    let list = sim.add_list("Sales_Mine", "Sales", &contacts(4)).await;
    let app = spawn_with_pom(pool.clone(), &sim, &[]).await;
    let client = app.signed_in("sup.a").await;
    sim.in_progress(list, "C0001", 3_600.0).await;
    let (run_id, job_id) =
        purge(&app, &client, &request(list, "CAMP_ID", "equals", &["S01"])).await;
    wait_for(&pool, job_id, &["completed"]).await;
    let other = app.signed_in("sup.b").await;
    let (status, _) = call_json(
        &app,
        &other,
        "purge/retry",
        json!({ "purge_run_id": run_id }),
    )
    .await;
    assert_eq!(status, 404, "another organization's run is not found");
    let response = app
        .call(
            &other,
            "purge/retry_job",
            &[("purge_run_id", &run_id.to_string())],
        )
        .await;
    assert_eq!(response.status(), 404);
    let response = app
        .call(
            &client,
            "purge/retry_job",
            &[("purge_run_id", &run_id.to_string())],
        )
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.json::<Value>().await.unwrap(),
        Value::Null,
        "no retry yet"
    );
    let manager = app.signed_in("mgr.a").await;
    let (status, _) = call_json(
        &app,
        &manager,
        "purge/retry",
        json!({ "purge_run_id": run_id }),
    )
    .await;
    assert_eq!(status, 403);
    assert_eq!(app.audit_count("purge.retry.start").await, 0);
}

#[sqlx::test]
async fn the_dry_run_names_is_one_of_values_that_matched_no_contact(pool: PgPool) {
    let sim = PomSim::start().await;
    let list = sim.add_list("Sales_Typos", "Sales", &contacts(10)).await;
    let app = spawn_with_pom(pool.clone(), &sim, &[]).await;
    let client = app.signed_in("sup.a").await;
    let plan = dry_run(
        &app,
        &client,
        &request(
            list,
            "userContactId",
            "in",
            &["C0001", "C00O2", "C0003", "C0099"],
        ),
    )
    .await;
    assert_eq!(plan["matched"], 2);
    assert_eq!(plan["unmatched_values"], json!(["C00O2", "C0099"]));
    assert_eq!(plan["unmatched_more"], 0);

    let many: Vec<String> = (100..170).map(|n| format!("X{n}")).collect();
    let mut values: Vec<&str> = many.iter().map(String::as_str).collect();
    values.push("C0004");
    let plan = dry_run(
        &app,
        &client,
        &request(list, "userContactId", "in", &values),
    )
    .await;
    assert_eq!(plan["matched"], 1);
    assert_eq!(plan["unmatched_values"].as_array().unwrap().len(), 50);
    assert_eq!(plan["unmatched_values"][0], "X100");
    assert_eq!(plan["unmatched_more"], 20);

    let plan = dry_run(&app, &client, &request(list, "CAMP_ID", "equals", &["S09"])).await;
    assert_eq!(
        plan["unmatched_values"],
        json!([]),
        "only “is one of” names values"
    );
}
