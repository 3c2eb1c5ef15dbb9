//! Benchmark: 200 signed-in sessions on two organizations, each holding the floor dashboard's
//! stream (`/floor/events`) open. Counts how often the figures are worked out and how many
//! Postgres transactions OCM commits in 10 s with 200 dashboards open, against the same 10 s with
//! one dashboard per organization (the target: the same work, once per organization per
//! interval, not per browser); then times how long a change of today's figures (the day's
//! attempts, written as ingestion would) takes to reach each of the organization's 100 sessions
//! (target: within 2 s, median and p95). Run with `make bench` (needs DATABASE_URL: a database
//! it may fill).

// Shared by the benchmarks; this one needs no API client or simulator controls.
#[allow(dead_code)]
#[path = "shared/bench_server.rs"]
mod bench_server;

use std::time::{Duration, Instant};

use bench_server::{add_managers, open_stream, percentile, start_ocm, start_sim, BenchOcm};

const SESSIONS: usize = 200;
const CHANGES: usize = 10;
const ORGANIZATIONS: [&str; 2] = ["Sales", "Collections"];
const WINDOW: Duration = Duration::from_secs(10);

/// Reads a stream until an event carries `needle`.
async fn wait_for(stream: &mut reqwest::Response, needle: &str) {
    let mut seen = String::new();
    while let Some(chunk) = stream.chunk().await.unwrap() {
        seen.push_str(&String::from_utf8_lossy(&chunk));
        if seen.contains(needle) {
            return;
        }
        // Keep the unfinished event only.
        if let Some(end) = seen.rfind("\n\n") {
            seen.drain(..end);
        }
    }
    panic!("stream ended before {needle}");
}

async fn transactions(ocm: &BenchOcm) -> i64 {
    sqlx::query_scalar(
        "select xact_commit from pg_stat_database where datname = current_database()",
    )
    .fetch_one(&ocm.pool)
    .await
    .unwrap()
}

/// Figures worked out and transactions committed in [`WINDOW`].
async fn work_in_window(ocm: &BenchOcm) -> (u64, i64) {
    // Statistics reach `pg_stat_database` within a moment of a commit; read past it both ends.
    let (figures, commits) = (ocm.state.floor.computations(), transactions(ocm).await);
    tokio::time::sleep(WINDOW).await;
    (
        ocm.state.floor.computations() - figures,
        transactions(ocm).await - commits,
    )
}

/// Sets today's attempts of `organization` to `attempts`, as ingestion's summary would.
async fn set_attempts(ocm: &BenchOcm, organization: &str, attempts: i64) {
    let today = domain::reports::today(&ocm.state.settings.call_data.time_zone);
    sqlx::query(
        "insert into report_campaign_day (organization, report_day, campaign, campaign_type,
             attempts, first_attempts, answer_human, answer_machine, busy, no_answer, failed, fax,
             preview_cancelled, connects, nuisance, callbacks_dialled, talk_seconds, wrap_up_seconds)
         values ($1, $2, 'Bench', 'predictive', $3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
         on conflict (organization, report_day, campaign, campaign_type)
         do update set attempts = excluded.attempts",
    )
    .bind(organization)
    .bind(today)
    .bind(attempts)
    .execute(&ocm.pool)
    .await
    .unwrap();
}

#[tokio::main]
async fn main() {
    let sim = start_sim().await;
    let ocm = start_ocm(&sim, &[], &ORGANIZATIONS).await;
    add_managers(&ocm, &ORGANIZATIONS).await;

    let mut few = Vec::new();
    for organization in ORGANIZATIONS {
        few.push(open_stream(&ocm.base, organization, "/floor/events").await);
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    let (few_figures, few_commits) = work_in_window(&ocm).await;
    drop(few);

    let began = Instant::now();
    let mut streams = Vec::with_capacity(SESSIONS);
    for i in 0..SESSIONS {
        streams.push(open_stream(&ocm.base, ORGANIZATIONS[i % 2], "/floor/events").await);
    }
    println!(
        "{SESSIONS} sessions signed in with the floor's stream open in {:.1} s",
        began.elapsed().as_secs_f64()
    );
    tokio::time::sleep(Duration::from_secs(2)).await;
    let (many_figures, many_commits) = work_in_window(&ocm).await;
    println!(
        "in {} s on 2 organizations: {SESSIONS} dashboards → figures worked out {many_figures} times, {many_commits} transactions; 2 dashboards → {few_figures} times, {few_commits} transactions (limit: 1 working-out per organization per {} ms = {})",
        WINDOW.as_secs(),
        domain::floor::EVERY.as_millis(),
        2 * WINDOW.as_millis() / domain::floor::EVERY.as_millis()
    );

    let mut latencies = Vec::new();
    let mut worst_per_change = Vec::new();
    for change in 0..CHANGES {
        let org = change % 2;
        let attempts = 1_000 + change as i64;
        // Changes land at different points of the interval (spread over one second).
        tokio::time::sleep(Duration::from_millis(1_000 + (change as u64 * 370) % 1_000)).await;
        let needle = format!("\"attempts\":{attempts},\"connects\"");
        let changed_at = Instant::now();
        set_attempts(&ocm, ORGANIZATIONS[org], attempts).await;
        let arrivals = futures::future::join_all(streams.iter_mut().skip(org).step_by(2).map(
            |stream| async {
                wait_for(stream, &needle).await;
                changed_at.elapsed().as_secs_f64()
            },
        ))
        .await;
        worst_per_change.push(arrivals.iter().copied().fold(0.0, f64::max));
        latencies.extend(arrivals);
    }
    latencies.sort_by(f64::total_cmp);
    println!(
        "a change of today's figures → the organization's {} sessions, {CHANGES} changes: median {:.2} s, p95 {:.2} s, max {:.2} s (target ≤ 2 s); worst per change: {}",
        SESSIONS / 2,
        percentile(&latencies, 0.5),
        percentile(&latencies, 0.95),
        latencies.last().unwrap(),
        worst_per_change
            .iter()
            .map(|w| format!("{w:.2}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    ocm.stop.cancel();
}
