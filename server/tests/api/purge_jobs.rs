//! Purge and restore jobs under a user's hand: cancel mid-way (the counts add up), a dry run
//! confirmed twice starts one purge, and a restore of chosen contacts leaves a contact that is in
//! the list again untouched.

use serde_json::json;
use sqlx::PgPool;

use super::pom_sim::{contacts, spawn_with_pom, PomSim};
use super::purge_calls::{app_call, call_json, dry_run, purge, request, wait_for};

#[sqlx::test]
async fn a_cancelled_purge_stops_and_its_counts_add_up(pool: PgPool) {
    let sim = PomSim::start().await;
    let list = sim
        .add_list("Sales_Cancel", "Sales", &contacts(1_000))
        .await;
    sim.faults(json!([{ "endpoint": "contacts.delete", "latency_ms": 30 }]))
        .await;
    let app = spawn_with_pom(pool.clone(), &sim, &[("OCM_PURGE_CONCURRENCY", "2")]).await;
    let client = app.signed_in("sup.a").await;
    let (run_id, job_id) =
        purge(&app, &client, &request(list, "CAMP_ID", "equals", &["S01"])).await;
    wait_for(&pool, job_id, &["running"]).await;
    let (status, body) = app_call(&app, &client, "jobs/cancel", job_id).await;
    assert_eq!(status, 200, "{body}");
    let (state, done, failed, skipped, message) = wait_for(&pool, job_id, &["cancelled"]).await;
    assert_eq!(state, "cancelled");
    assert_eq!(
        done + failed + skipped,
        500,
        "every contact is accounted for"
    );
    assert!(skipped > 0, "the cancel stopped it before the end");
    assert!(message.unwrap().contains("not deleted"));
    assert_eq!(sim.contact_ids(list).await.len() as i64, 1_000 - done);
    let not_deleted: i64 = sqlx::query_scalar(
        "select count(*) from purge_contact where purge_run_id = $1 and state = 'cancelled'",
    )
    .bind(run_id)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(not_deleted, skipped);
    assert_eq!(app.audit_count("job.cancel").await, 1);
    assert_eq!(app.audit_count("purge.cancelled").await, 1);
}

#[sqlx::test]
async fn a_dry_run_confirmed_twice_starts_one_purge(pool: PgPool) {
    let sim = PomSim::start().await;
    let list = sim.add_list("Sales_Twice", "Sales", &contacts(10)).await;
    let app = spawn_with_pom(pool.clone(), &sim, &[]).await;
    let client = app.signed_in("sup.a").await;
    let request = request(list, "CAMP_ID", "equals", &["S02"]);
    let plan = dry_run(&app, &client, &request).await;
    let confirm =
        json!({ "request": request, "typed_count": "5", "fingerprint": plan["fingerprint"] });
    let (first, second) = tokio::join!(
        call_json(&app, &client, "purge/start", confirm.clone()),
        call_json(&app, &client, "purge/start", confirm.clone()),
    );
    let statuses = [first.0, second.0];
    assert!(
        statuses.contains(&200) && statuses.contains(&400),
        "{first:?} {second:?}"
    );
    let runs: i64 = sqlx::query_scalar("select count(*) from purge_run")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(runs, 1);
}

#[sqlx::test]
async fn restoring_chosen_contacts_never_overwrites_one_that_is_back(pool: PgPool) {
    let sim = PomSim::start().await;
    let list = sim.add_list("Sales_Back", "Sales", &contacts(10)).await;
    let app = spawn_with_pom(pool.clone(), &sim, &[]).await;
    let client = app.signed_in("sup.a").await;
    let (run_id, job_id) =
        purge(&app, &client, &request(list, "CAMP_ID", "equals", &["S01"])).await;
    wait_for(&pool, job_id, &["completed"]).await;
    sim.add_list_contacts(
        list,
        &[json!({ "userContactId": "C0001", "firstName": "Someone else" })],
    )
    .await;
    let (status, job) = call_json(
        &app,
        &client,
        "purge/restore",
        json!({
            "purge_run_id": run_id, "user_contact_ids": ["C0001", "C0003"],
        }),
    )
    .await;
    assert_eq!(status, 200, "{job}");
    let (state, restored, failed, skipped, _) =
        wait_for(&pool, job.as_i64().unwrap(), &["completed"]).await;
    assert_eq!(
        (state.as_str(), restored, failed, skipped),
        ("completed", 1, 0, 1)
    );
    let mut ids = sim.contact_ids(list).await;
    ids.sort();
    assert_eq!(
        ids,
        ["C0001", "C0002", "C0003", "C0004", "C0006", "C0008", "C0010"]
    );
    let states: Vec<(String, Option<String>)> = sqlx::query_as(
        "select user_contact_id, restore_state from purge_contact where purge_run_id = $1 order by 1",
    )
    .bind(run_id)
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(states[0], ("C0001".into(), Some("exists".into())));
    assert_eq!(states[1], ("C0003".into(), Some("restored".into())));
    assert_eq!(states[2], ("C0005".into(), None), "not chosen, not touched");
    let (status, _) = call_json(
        &app,
        &client,
        "purge/restore",
        json!({
            "purge_run_id": run_id, "user_contact_ids": ["C0003"],
        }),
    )
    .await;
    assert_eq!(status, 400, "a restored contact is not restored twice");
}

#[sqlx::test]
async fn expired_snapshots_are_erased_audited_and_can_no_longer_be_restored(pool: PgPool) {
    let sim = PomSim::start().await;
    let list = sim.add_list("Sales_Old", "Sales", &contacts(10)).await;
    let app = spawn_with_pom(pool.clone(), &sim, &[]).await;
    let client = app.signed_in("sup.a").await;
    let (run_id, job_id) =
        purge(&app, &client, &request(list, "CAMP_ID", "equals", &["S01"])).await;
    wait_for(&pool, job_id, &["completed"]).await;
    let swept = domain::purge::retention::sweep(&pool).await.unwrap();
    assert_eq!(swept.runs, 0, "a fresh snapshot is kept");
    sqlx::query("update purge_run set snapshot_expires_at = now() - interval '1 minute'")
        .execute(&pool)
        .await
        .unwrap();
    let swept = domain::purge::retention::sweep(&pool).await.unwrap();
    assert_eq!((swept.runs, swept.contacts), (1, 5));
    let kept: (i64, i64) = sqlx::query_as(
        "select count(*), count(attributes) from purge_contact where purge_run_id = $1",
    )
    .bind(run_id)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(kept, (5, 0), "ids and outcomes stay, personal data goes");
    assert_eq!(app.audit_count("purge.snapshot_expired").await, 1);
    let (status, body) = call_json(
        &app,
        &client,
        "purge/restore",
        json!({
            "purge_run_id": run_id, "user_contact_ids": [],
        }),
    )
    .await;
    assert_eq!(status, 400);
    assert!(body.to_string().contains("retention"), "{body}");
}
