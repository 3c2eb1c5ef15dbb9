//! A purge and its restore while POM fails one call in ten with a 503 (the simulator's fault
//! injection, before the call takes effect): every contact ends exactly once, deleted then
//! restored, with exact counters and one audit record of each step (issue 22, part 1, for the
//! deleting jobs; the adaptive gate narrows on each failure and the job goes on).

use serde_json::json;
use sqlx::PgPool;

use super::pom_sim::{contacts, spawn_with_pom, PomSim};
use super::purge_calls::{call_json, purge, request, wait_for};

/// How many of the run's contacts are in each state of `column`.
async fn states(pool: &PgPool, run_id: i64, column: &str) -> Vec<(Option<String>, i64)> {
    sqlx::query_as(&format!(
        "select {column}, count(*) from purge_contact where purge_run_id = $1 group by 1 order by 1"
    ))
    .bind(run_id)
    .fetch_all(pool)
    .await
    .unwrap()
}

#[sqlx::test]
async fn a_purge_and_its_restore_end_every_contact_once_while_pom_fails_one_call_in_ten(
    pool: PgPool,
) {
    let sim = PomSim::start().await;
    let list = sim.add_list("Sales_Faults", "Sales", &contacts(600)).await;
    let app = spawn_with_pom(pool.clone(), &sim, &[]).await;
    let client = app.signed_in("sup.a").await;
    let failing = |endpoint: &str| json!({ "endpoint": endpoint, "latency_ms": 2, "error_rate": 0.1, "kind": { "status": 503 } });
    let rules = json!([failing("contacts.delete"), failing("contacts.add")]);
    sim.faults(rules.clone()).await;

    let (run_id, job_id) =
        purge(&app, &client, &request(list, "CAMP_ID", "equals", &["S01"])).await;
    let (state, done, failed, skipped, message) =
        wait_for(&pool, job_id, &["completed", "paused", "failed"]).await;
    assert_eq!(
        (state.as_str(), done, failed, skipped),
        ("completed", 300, 0, 0),
        "{message:?}"
    );
    assert_eq!(
        states(&pool, run_id, "state").await,
        [(Some("deleted".into()), 300)],
        "each deleted once: a second delete would have found it absent"
    );
    assert_eq!(sim.contact_ids(list).await.len(), 300);
    assert_eq!(
        sim.carried_out(&rules, "contacts.delete").await,
        300,
        "POM carried out one delete per contact, retries only of calls it failed"
    );
    assert_eq!(app.audit_count("purge.start").await, 1);
    assert_eq!(app.audit_count("purge.completed").await, 1);

    let (status, restore) = call_json(
        &app,
        &client,
        "purge/restore",
        json!({ "purge_run_id": run_id, "user_contact_ids": [], "typed_count": "300" }),
    )
    .await;
    assert_eq!(status, 200, "{restore}");
    let (state, restored, failed, skipped, message) = wait_for(
        &pool,
        restore.as_i64().unwrap(),
        &["completed", "paused", "failed"],
    )
    .await;
    assert_eq!(
        (state.as_str(), restored, failed, skipped),
        ("completed", 300, 0, 0),
        "{message:?}"
    );
    assert_eq!(
        states(&pool, run_id, "restore_state").await,
        [(Some("restored".into()), 300)],
        "each added once: a second add would have found it there"
    );
    let mut ids = sim.contact_ids(list).await;
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 600, "the list is whole again, no contact twice");
    assert_eq!(sim.carried_out(&rules, "contacts.add").await, 300);
    assert_eq!(app.audit_count("purge.restore.start").await, 1);
    assert_eq!(app.audit_count("purge.restore.completed").await, 1);
}
