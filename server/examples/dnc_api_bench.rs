//! Benchmark (issue 20): 100,000 phone numbers submitted as DNC requests (`POST /api/v1/dnc`,
//! one number each) by 20 concurrent API clients. Target: every receipt reaches `applied`, the
//! POM calls are batched (counted at the simulator), none is lost and none is sent twice. The
//! baseline is one POM call per number, as a request-at-a-time integration would make. Run with
//! `make bench` (needs DATABASE_URL: a database it may fill).

#[allow(dead_code)] // Each benchmark uses part of the shared setup.
#[path = "shared/bench_server.rs"]
mod bench_server;

use std::time::{Duration, Instant};

use bench_server::{api_token, percentile, start_ocm, start_sim};
use serde_json::{json, Value};

const CLIENTS: usize = 20;

/// 100,000 unless `DNC_BENCH_NUMBERS` says otherwise (a quick look at a smaller run).
fn numbers() -> usize {
    std::env::var("DNC_BENCH_NUMBERS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(100_000)
}

/// The simulator's count of DNC-list address calls.
async fn dnc_calls(sim: &bench_server::BenchSim) -> u64 {
    let counts: Value = sim
        .control
        .get(format!("{}/__sim/requests", sim.origin))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    counts["dnclists.addresses"].as_u64().unwrap_or(0)
}

async fn count(pool: &sqlx::PgPool, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(pool).await.unwrap()
}

#[tokio::main]
async fn main() {
    let sim = start_sim().await;
    let dnc_list = sim.sim.with_world(|w, now| {
        let id = w.new_id();
        let list = pom_sim::world::DncRec {
            id,
            name: "Sales".into(),
            organization: Some("Sales".into()),
            addresses: Default::default(),
            last_updated_ms: now,
        };
        w.dnc_lists.insert(id, list);
        id
    });
    let ocm = start_ocm(&sim, &[("OCM_API_RATE_PER_MINUTE", "1000000")], &["Sales"]).await;
    let mut tokens = Vec::with_capacity(CLIENTS);
    for i in 0..CLIENTS {
        tokens.push(api_token(&ocm, &format!("dnc-bench-{i}"), "Sales", &["dnc"]).await);
    }
    let numbers = numbers();
    let calls_before = dnc_calls(&sim).await;
    let began = Instant::now();
    let per_client = numbers / CLIENTS;
    let tasks: Vec<_> = tokens
        .into_iter()
        .enumerate()
        .map(|(client, token)| {
            let url = format!("{}/api/v1/dnc", ocm.base);
            tokio::spawn(async move {
                let http = reqwest::Client::new();
                let mut times = Vec::with_capacity(per_client);
                for n in 0..per_client {
                    let phone = format!("+4474{:08}", client * per_client + n);
                    let started = Instant::now();
                    let response = http
                        .post(&url)
                        .bearer_auth(&token)
                        .json(&json!({ "phone": phone }))
                        .send()
                        .await
                        .unwrap();
                    let status = response.status();
                    let body = response.text().await.unwrap();
                    assert_eq!(status.as_u16(), 202, "{body}");
                    times.push(started.elapsed().as_secs_f64() * 1000.0);
                }
                times
            })
        })
        .collect();
    let mut times = Vec::with_capacity(numbers);
    for task in tasks {
        times.extend(task.await.unwrap());
    }
    let submitted = began.elapsed().as_secs_f64();
    times.sort_by(f64::total_cmp);
    let pool = &ocm.pool;
    let waiting = "select count(*) from dnc_request where state = 'accepted'";
    while count(pool, waiting).await > 0 {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let applied_after = began.elapsed().as_secs_f64();
    let unverified = "select count(*) from dnc_request where state not in ('verified', 'failed')";
    while count(pool, unverified).await > 0 {
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let verified_after = began.elapsed().as_secs_f64();

    let calls = dnc_calls(&sim).await - calls_before;
    let receipts = count(pool, "select count(*) from dnc_request").await;
    let reached = count(
        pool,
        "select count(*) from dnc_request where state in ('applied', 'verified')",
    )
    .await;
    let twice = count(
        pool,
        "select count(*) from dnc_request_item where attempts <> 1",
    )
    .await;
    let listed = sim
        .sim
        .with_world(|w, _| w.dnc_lists[&dnc_list].addresses.len());
    println!(
        "{numbers} DNC requests from {CLIENTS} clients: submitted in {submitted:.1} s \
         ({:.0}/s, p50 {:.1} ms, p99 {:.1} ms); all applied after {applied_after:.1} s, \
         verified after {verified_after:.1} s",
        numbers as f64 / submitted,
        percentile(&times, 0.5),
        percentile(&times, 0.99),
    );
    println!(
        "POM calls: {calls} (baseline, one per number: {numbers}; {:.0} numbers per call); \
         receipts {receipts}, applied or verified {reached}, items sent more than once {twice}, \
         numbers on POM's list {listed}",
        numbers as f64 / calls.max(1) as f64
    );
    assert_eq!(receipts as usize, numbers, "a receipt per request");
    assert_eq!(reached as usize, numbers, "every receipt applied");
    assert_eq!(twice, 0, "nothing sent twice");
    assert_eq!(listed, numbers, "none lost");
}
