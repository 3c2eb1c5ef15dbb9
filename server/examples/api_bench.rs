//! Benchmark (issue 20): 10,000 authenticated `GET /api/v1/campaigns` calls from 50 concurrent
//! API clients (each with its own token) against unauthenticated `GET /healthz` on the same
//! server in the same run, alternating twice. Target: the API at least 0.5× the throughput of
//! `/healthz`; p50/p99 reported. The load comes from this process too (2 cores shared alike by
//! both kinds of call). Run with `make bench` (needs DATABASE_URL: a database it may fill).

#[allow(dead_code)] // Each benchmark uses part of the shared setup.
#[path = "shared/bench_server.rs"]
mod bench_server;

use std::time::{Duration, Instant};

use bench_server::{api_token, percentile, start_ocm, start_sim};
use serde_json::{json, Value};

const CLIENTS: usize = 50;
/// Calls per round: the 10,000 unless `OCM_BENCH_API_CALLS` asks for more (a longer
/// round shows whether the audit keeps up under sustained load).
fn calls() -> usize {
    std::env::var("OCM_BENCH_API_CALLS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(10_000)
}
const CAMPAIGNS: usize = 50;

/// `calls` GETs of `path` spread over one task per token; (calls per second, p50 ms, p99 ms).
async fn load(base: &str, path: &str, tokens: &[Option<String>], calls: usize) -> (f64, f64, f64) {
    let began = Instant::now();
    let per_client = calls / tokens.len();
    let tasks: Vec<_> = tokens
        .iter()
        .cloned()
        .map(|token| {
            let url = format!("{base}{path}");
            tokio::spawn(async move {
                let http = reqwest::Client::new();
                let mut times = Vec::with_capacity(per_client);
                for _ in 0..per_client {
                    let started = Instant::now();
                    let mut request = http.get(&url);
                    if let Some(token) = &token {
                        request = request.bearer_auth(token);
                    }
                    let response = request.send().await.unwrap();
                    assert!(response.status().is_success(), "{}", response.status());
                    response.bytes().await.unwrap();
                    times.push(started.elapsed().as_secs_f64() * 1000.0);
                }
                times
            })
        })
        .collect();
    let mut times = Vec::with_capacity(calls);
    for task in tasks {
        times.extend(task.await.unwrap());
    }
    let elapsed = began.elapsed().as_secs_f64();
    times.sort_by(f64::total_cmp);
    (
        times.len() as f64 / elapsed,
        percentile(&times, 0.5),
        percentile(&times, 0.99),
    )
}

/// API reads audited so far (a counted record stands for its number of calls) and the records.
async fn read_records(pool: &sqlx::PgPool) -> (i64, i64) {
    sqlx::query_as(
        "select coalesce(sum(coalesce((counts->>'calls')::bigint, 1)), 0)::bigint, count(*) \
           from audit_event where action = 'api.read'",
    )
    .fetch_one(pool)
    .await
    .unwrap()
}

#[tokio::main]
async fn main() {
    let sim = start_sim().await;
    for i in 0..CAMPAIGNS {
        let organization = if i % 2 == 0 { "Sales" } else { "Collections" };
        let campaign = json!({ "id": 0, "name": format!("{organization}_{i:02}"), "organization": organization,
                               "kind": "predictive", "finite": false, "lists": [], "completion_codes": [], "schedules": [] });
        sim.control
            .post(format!("{}/__sim/campaigns", sim.origin))
            .json(&campaign)
            .send()
            .await
            .unwrap();
    }
    let ocm = start_ocm(
        &sim,
        &[("OCM_API_RATE_PER_MINUTE", "1000000")],
        &["Sales", "Collections"],
    )
    .await;
    let (base, pool) = (ocm.base.clone(), ocm.pool.clone());
    let http = reqwest::Client::new();
    let mut tokens = Vec::with_capacity(CLIENTS);
    for i in 0..CLIENTS {
        let organization = if i % 2 == 0 { "Sales" } else { "Collections" };
        let token = api_token(
            &ocm,
            &format!("bench-{i}"),
            organization,
            &["campaigns:read"],
        )
        .await;
        tokens.push(Some(token));
    }
    let anonymous = vec![None; CLIENTS];
    // Warm up both paths (connections, the board's first read).
    let page: Value = http
        .get(format!("{base}/api/v1/campaigns"))
        .bearer_auth(tokens[0].as_ref().unwrap())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        page["items"].as_array().map(Vec::len),
        Some(CAMPAIGNS / 2),
        "{page}"
    );
    load(&base, "/healthz", &anonymous[..10], 1_000).await;

    // Whole calls per client, so the audit wait below expects exactly what was sent.
    let calls = calls() / CLIENTS * CLIENTS;
    // The warm-up call's counted record is written before the first round is measured.
    while read_records(&pool).await.0 < 1 {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    println!("{calls} calls from {CLIENTS} concurrent clients, alternating:");
    for round in 1..=2 {
        let (health, h50, h99) = load(&base, "/healthz", &anonymous, calls).await;
        let (audited, records) = read_records(&pool).await;
        let (api, a50, a99) = load(&base, "/api/v1/campaigns", &tokens, calls).await;
        let answered = Instant::now();
        // Every call audited, not only answered: how long after the last answer.
        while read_records(&pool).await.0 < audited + calls as i64 {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        let lag = answered.elapsed().as_secs_f64() * 1000.0;
        let written = read_records(&pool).await.1 - records;
        println!(
            "round {round}: /healthz {health:.0}/s (p50 {h50:.1} ms, p99 {h99:.1} ms); \
             GET /api/v1/campaigns {api:.0}/s (p50 {a50:.1} ms, p99 {a99:.1} ms): {:.2}×; \
             every call audited {lag:.0} ms after the last answer, in {written} records",
            api / health
        );
    }
    ocm.stop.cancel();
}
