//! A purge whose worker dies mid-way (its runtime is torn down without any clean-up, as a killed
//! process would be) is taken over by another worker once its heartbeat is stale, and finishes
//! with exact counts: nothing deleted twice, nothing lost.

use std::time::Duration;

use serde_json::json;
use sqlx::postgres::PgPoolOptions;
use sqlx::PgPool;

use super::pom_sim::{contacts, spawn_web_only, PomSim};
use super::purge_calls::{purge, request};

const STALE: &str = "2";

#[sqlx::test]
async fn a_killed_purge_is_taken_over_and_finishes_with_exact_counts(pool: PgPool) {
    let sim = PomSim::start().await;
    let list = sim.add_list("Sales_Crash", "Sales", &contacts(1_000)).await;
    // Slow deletes so the worker is surely killed mid-way.
    sim.faults(json!([{ "endpoint": "contacts.delete", "latency_ms": 20 }]))
        .await;
    // OCM's web side only: the job is left for the doomed worker below.
    let app = spawn_web_only(
        pool.clone(),
        &sim,
        &[
            ("OCM_JOB_STALE_AFTER_SECONDS", STALE),
            ("OCM_PURGE_CONCURRENCY", "4"),
        ],
    )
    .await;
    let client = app.signed_in("sup.a").await;
    let (_, job_id) = purge(&app, &client, &request(list, "CAMP_ID", "equals", &["S01"])).await;

    // The doomed worker: its own runtime, database pool and POM client.
    let config = app.config.clone();
    let connect = pool.connect_options().as_ref().clone();
    let (ready, mut is_ready) = tokio::sync::watch::channel(false);
    let (kill, killed) = tokio::sync::oneshot::channel::<()>();
    let doomed = std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async {
            let pool = PgPoolOptions::new()
                .max_connections(4)
                .connect_with(connect)
                .await
                .unwrap();
            let state = server::startup::build_state(&config, pool, None).unwrap();
            let stop = tokio_util::sync::CancellationToken::new();
            domain::jobs::runner::spawn(state, domain::job_handlers::all(), stop);
            let _ = ready.send(true);
            let _ = killed.await;
        });
        // Every task stops at its next await: no release, no clean-up, as in a killed process.
        runtime.shutdown_background();
    });
    is_ready.changed().await.unwrap();
    let mut processed = 0;
    for _ in 0..300 {
        processed = sqlx::query_scalar::<_, i64>("select done + failed from job where job_id = $1")
            .bind(job_id)
            .fetch_one(&pool)
            .await
            .unwrap();
        if processed >= 100 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(
        (100..500).contains(&processed),
        "killed mid-way ({processed})"
    );
    kill.send(()).unwrap();
    tokio::task::spawn_blocking(move || doomed.join().unwrap())
        .await
        .unwrap();

    let state: String = sqlx::query_scalar("select state from job where job_id = $1")
        .bind(job_id)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(state, "running", "the dead worker still holds the job");
    app.start_workers();
    let mut row = (String::new(), 0_i64, 0_i64, 0_i32);
    for _ in 0..600 {
        row = sqlx::query_as("select state, done, failed, claims from job where job_id = $1")
            .bind(job_id)
            .fetch_one(&pool)
            .await
            .unwrap();
        if row.0 == "completed" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(row.0, "completed", "{row:?}");
    assert_eq!((row.1, row.2), (500, 0), "every contact counted once");
    assert!(row.3 >= 2, "another worker took the job over");
    let ids = sim.contact_ids(list).await;
    assert_eq!(ids.len(), 500);
    assert!(
        ids.iter()
            .all(|id| id[1..].parse::<u32>().unwrap() % 2 == 0),
        "only S01 contacts went"
    );
    let states: Vec<(String, i64)> =
        sqlx::query_as("select state, count(*) from purge_contact group by state order by state")
            .fetch_all(&pool)
            .await
            .unwrap();
    let total: i64 = states
        .iter()
        .filter(|(s, _)| s == "deleted" || s == "absent")
        .map(|(_, n)| n)
        .sum();
    assert_eq!(total, 500, "{states:?}");
}
