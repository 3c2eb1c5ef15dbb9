//! A purge and its restore, each with the real `ocm serve` killed with SIGKILL mid-way and started
//! again (issue 22, part 1): the new process takes the job over once the dead one's heartbeat is
//! stale, and every contact ends once, deleted then added back (an add the killed process made
//! counted as "already in the list"), with exact counters and audit.

use serde_json::json;
use sqlx::PgPool;

use super::ocm_process::{wait_until, OcmProcess};
use super::pom_sim::{contacts, spawn_web_only, PomSim};
use super::purge_calls::{call_json, purge, request, wait_for};

const DONE: &str = "select done + failed from job where job_id = $1";

/// Runs `job_id` on a process killed after `kill_after` contacts, then on a fresh one; returns
/// the job's (state, done, failed, skipped, message) and how often it was claimed.
async fn kill_and_finish(
    pool: &PgPool,
    sim: &PomSim,
    job_id: i64,
    kill_after: i64,
) -> ((String, i64, i64, i64, Option<String>), i32) {
    let settings = [("OCM_PURGE_CONCURRENCY", "4")];
    let first = OcmProcess::start(pool, sim, &settings).await;
    let seen = wait_until(pool, DONE, job_id, kill_after).await;
    first.kill9();
    assert!(seen < 300, "killed mid-way ({seen})");
    let _second = OcmProcess::start(pool, sim, &settings).await;
    let row = wait_for(pool, job_id, &["completed", "paused", "failed"]).await;
    let claims: i32 = sqlx::query_scalar("select claims from job where job_id = $1")
        .bind(job_id)
        .fetch_one(pool)
        .await
        .unwrap();
    (row, claims)
}

#[sqlx::test]
async fn a_purge_and_its_restore_killed_mid_way_end_every_contact_once(pool: PgPool) {
    let sim = PomSim::start().await;
    let list = sim.add_list("Sales_Killed", "Sales", &contacts(600)).await;
    let app = spawn_web_only(pool.clone(), &sim, &[]).await;
    let client = app.signed_in("sup.a").await;
    // Slow calls, so each process is surely killed with contacts still to go.
    sim.faults(json!([
        { "endpoint": "contacts.delete", "latency_ms": 40 },
        { "endpoint": "contacts.add", "latency_ms": 40 },
    ]))
    .await;

    let (run_id, job_id) =
        purge(&app, &client, &request(list, "CAMP_ID", "equals", &["S01"])).await;
    let ((state, done, failed, skipped, message), claims) =
        kill_and_finish(&pool, &sim, job_id, 60).await;
    assert_eq!(
        (state.as_str(), done, failed, skipped),
        ("completed", 300, 0, 0),
        "{message:?}"
    );
    assert!(claims >= 2, "taken over");
    assert_eq!(sim.contact_ids(list).await.len(), 300);

    let (status, restore) = call_json(
        &app,
        &client,
        "purge/restore",
        json!({ "purge_run_id": run_id, "user_contact_ids": [], "typed_count": "300" }),
    )
    .await;
    assert_eq!(status, 200, "{restore}");
    let ((state, restored, failed, present, message), claims) =
        kill_and_finish(&pool, &sim, restore.as_i64().unwrap(), 60).await;
    // An add POM carried out for the killed process, whose answer it never recorded, finds the
    // contact in the list when the next one sends it: "already in the list", never added twice.
    // Only the calls in flight at the kill (at most the ceiling of 4) can end that way.
    assert_eq!(
        (state.as_str(), restored + present, failed),
        ("completed", 300, 0),
        "{message:?}"
    );
    assert!(present <= 4, "{message:?}");
    assert!(claims >= 2, "taken over");
    let mut ids = sim.contact_ids(list).await;
    let listed = ids.len();
    ids.sort();
    ids.dedup();
    assert_eq!(
        (listed, ids.len()),
        (600, 600),
        "whole again, no contact twice"
    );
    let states: Vec<(String, Option<String>, i64)> = sqlx::query_as(
        "select state, restore_state, count(*) from purge_contact where purge_run_id = $1
          group by 1, 2 order by 1, 2",
    )
    .bind(run_id)
    .fetch_all(&pool)
    .await
    .unwrap();
    let deleted: i64 = states
        .iter()
        .filter(|(s, r, _)| {
            ["deleted", "absent"].contains(&s.as_str())
                && ["restored", "exists"].contains(&r.as_deref().unwrap_or_default())
        })
        .map(|(_, _, n)| n)
        .sum();
    assert_eq!(deleted, 300, "each deleted then restored: {states:?}");
    assert_eq!(app.audit_count("purge.completed").await, 1);
    assert_eq!(app.audit_count("purge.restore.completed").await, 1);
}
