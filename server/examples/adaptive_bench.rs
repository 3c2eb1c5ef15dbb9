//! Benchmark: the adaptive gate toward POM (`domain::pom_gate`), OCM's own purge job against the
//! simulator over HTTP, three runs in one process:
//! 1. flat 20 ms latency on every list read and delete: the purge at OCM's defaults (ceiling
//!    32, 1,000 calls/s) and with a ceiling of 8 (`OCM_PURGE_CONCURRENCY=8`: the gate starts at
//!    8, the old fixed count, and cannot go above), beside seed 001's one-at-a-time loop timed
//!    in the same run (target: ≥ 20× the loop);
//! 2. a POM whose latency rises with load (`/__sim/load`: 20 ms, 5 ms more per call beyond 16 in
//!    flight): the calls OCM keeps in flight, sampled every 20 ms, and the deletes per second,
//!    beside a client holding 32 in flight whatever the latency;
//! 3. the same POM while another client holds 12 calls in flight: OCM's share gives way.
//!
//! Run with `make bench`; `ADAPTIVE_BENCH_CONTACTS` (default 20,000) and `ADAPTIVE_BENCH_SERIAL`
//! (default 1,000) set the sizes. Figures in docs/performance.md.

#[path = "shared/bench_purge.rs"]
mod bench_purge;
#[allow(dead_code)] // Each benchmark uses part of the shared setup.
#[path = "shared/bench_server.rs"]
mod bench_server;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use bench_purge::{bench_ctx, control, make_list, supervisor, whole_list};
use bench_server::{percentile, start_ocm, start_sim, BenchOcm, BenchSim};
use domain::{jobs, purge, state::AppState};
use futures::stream::{self, StreamExt};
use serde_json::json;
use types::model::{CurrentUser, PurgeRequest, PurgeStart};

fn env_number(var: &str, default: usize) -> usize {
    std::env::var(var)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Stops `ocm`'s workers, so that the next OCM's runner alone takes the next job.
async fn stop(ocm: BenchOcm) {
    ocm.stop.cancel();
    for worker in ocm.workers {
        let _ = worker.await;
    }
}

/// Samples the simulator's calls in flight every 20 ms until `done`; gives them sorted.
fn sample_in_flight(sim: &BenchSim, done: Arc<AtomicBool>) -> tokio::task::JoinHandle<Vec<f64>> {
    let (http, origin) = (sim.control.clone(), sim.origin.clone());
    tokio::spawn(async move {
        let mut seen = Vec::new();
        while !done.load(Ordering::Relaxed) {
            let figures: serde_json::Value = http
                .get(format!("{origin}/__sim/load"))
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            seen.push(figures["in_flight"].as_f64().unwrap_or(0.0));
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        seen.sort_by(f64::total_cmp);
        seen
    })
}

/// Deletes `count` contacts of `list` with `in_flight` calls at once, whatever the latency;
/// gives the seconds it took.
async fn fixed(ocm: &BenchOcm, list: i64, count: usize, in_flight: usize) -> f64 {
    let client = ocm.state.pom.clone().unwrap();
    let began = Instant::now();
    stream::iter(0..count)
        .map(|i| {
            let client = client.clone();
            async move {
                client
                    .delete_contact(list, &format!("B{i:07}"))
                    .await
                    .unwrap()
            }
        })
        .buffer_unordered(in_flight)
        .collect::<Vec<_>>()
        .await;
    began.elapsed().as_secs_f64()
}

/// Confirms `request` (dry run, typed count) and waits for its job, which the runner of `state`
/// must be running; gives the job's seconds from confirmation to its end and the contacts deleted.
pub async fn purge_to_the_end(
    state: &AppState,
    user: &CurrentUser,
    request: &PurgeRequest,
) -> (f64, i64) {
    let plan = purge::plan::dry_run(state, user, request).await.unwrap();
    let ctx = bench_ctx(state, user);
    let began = Instant::now();
    let PurgeStart::Started { job_id, .. } =
        purge::start::start(&ctx, request, &plan.matched.to_string(), &plan.fingerprint)
            .await
            .unwrap()
    else {
        panic!("the list changed");
    };
    loop {
        tokio::time::sleep(Duration::from_millis(100)).await;
        let view = jobs::store::load(&state.pool, job_id)
            .await
            .unwrap()
            .unwrap()
            .view();
        if view.state.is_final() {
            return (began.elapsed().as_secs_f64(), view.done);
        }
    }
}

/// The rule's latency at `in_flight` calls.
fn latency_at(in_flight: f64) -> f64 {
    20.0 + 5.0 * (in_flight - 16.0).max(0.0)
}

/// One purge of `contacts` under the load rule, with `others` calls held in flight by another
/// client meanwhile; prints what OCM kept in flight.
async fn loaded_purge(sim: &BenchSim, ocm: &BenchOcm, contacts: usize, others: usize, name: &str) {
    let user = supervisor(&ocm.pool, &format!("bench.{}", name.to_lowercase())).await;
    let list = make_list(&sim.control, &sim.origin, name, contacts).await;
    // The other client's deletes find nothing after the first round; each still takes its time.
    let other_list = make_list(&sim.control, &sim.origin, &format!("{name}_other"), 1_000).await;
    let done = Arc::new(AtomicBool::new(false));
    let mut other = Vec::new();
    for task in 0..others {
        let (client, done) = (ocm.state.pom.clone().unwrap(), done.clone());
        other.push(tokio::spawn(async move {
            let mut i = task;
            while !done.load(Ordering::Relaxed) {
                let _ = client
                    .delete_contact(other_list, &format!("B{:07}", i % 1_000))
                    .await;
                i += others;
            }
        }));
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let sampler = sample_in_flight(sim, done.clone());
    let (secs, deleted) = purge_to_the_end(&ocm.state, &user, &whole_list(list)).await;
    done.store(true, Ordering::Relaxed);
    let seen = sampler.await.unwrap();
    for task in other {
        task.await.unwrap();
    }
    let ours = |p: f64| percentile(&seen, p) - others as f64;
    println!(
        "  adaptive purge{}: {deleted} in {secs:.1} s ({:.0} deletes/s); OCM's calls in flight p10/p50/p90 {:.0}/{:.0}/{:.0} (all calls p50 {:.0} → {:.0} ms each by the rule)",
        if others > 0 { format!(" beside {others} other calls") } else { String::new() },
        deleted as f64 / secs,
        ours(0.1),
        ours(0.5),
        ours(0.9),
        percentile(&seen, 0.5),
        latency_at(percentile(&seen, 0.5)),
    );
}

#[tokio::main]
async fn main() {
    let contacts = env_number("ADAPTIVE_BENCH_CONTACTS", 20_000);
    let serial = env_number("ADAPTIVE_BENCH_SERIAL", 1_000);
    let sim = start_sim().await;
    let flat = json!([
        { "endpoint": "contacts.list", "latency_ms": 20 },
        { "endpoint": "contacts.delete", "latency_ms": 20 },
    ]);
    control(&sim.control, &sim.origin, "faults", flat).await;

    println!("1. flat 20 ms latency, {contacts} contacts");
    let mut seconds = Vec::new();
    for (name, ceiling) in [("Flat_default", None), ("Flat_ceiling8", Some("8"))] {
        let extra: Vec<(&'static str, &str)> = ceiling
            .map(|c| vec![("OCM_PURGE_CONCURRENCY", c)])
            .unwrap_or_default();
        let ocm = start_ocm(&sim, &extra, &["Bench"]).await;
        let user = supervisor(&ocm.pool, &format!("bench.{}", name.to_lowercase())).await;
        let list = make_list(&sim.control, &sim.origin, name, contacts).await;
        let (secs, deleted) = purge_to_the_end(&ocm.state, &user, &whole_list(list)).await;
        println!(
            "  {name}: {deleted} in {secs:.1} s ({:.0} deletes/s)",
            deleted as f64 / secs
        );
        seconds.push(secs);
        if ceiling.is_some() {
            let list = make_list(&sim.control, &sim.origin, "Flat_serial", serial).await;
            let one_by_one = fixed(&ocm, list, serial, 1).await / serial as f64 * contacts as f64;
            println!("  seed 001's loop: {serial} timed, {one_by_one:.0} s for {contacts}");
            println!(
                "  speed-up: defaults {:.1}×, ceiling 8 {:.1}×",
                one_by_one / seconds[0],
                one_by_one / seconds[1]
            );
        }
        stop(ocm).await;
    }

    let rule = json!({ "base_ms": 20, "knee": 16, "per_call_ms": 5 });
    control(&sim.control, &sim.origin, "faults", json!([])).await;
    control(&sim.control, &sim.origin, "load", rule).await;
    println!(
        "2. latency 20 ms + 5 ms per call beyond 16 in flight (capacity 16 calls / 20 ms = 800/s)"
    );
    let ocm = start_ocm(&sim, &[], &["Bench"]).await;
    loaded_purge(&sim, &ocm, contacts, 0, "Knee_alone").await;
    let list = make_list(&sim.control, &sim.origin, "Knee_fixed", contacts).await;
    let secs = fixed(&ocm, list, contacts, 32).await;
    println!(
        "  a client holding 32 in flight: {contacts} in {secs:.1} s ({:.0} deletes/s), {:.0} ms each by the rule",
        contacts as f64 / secs,
        latency_at(32.0)
    );
    println!("3. the same POM while another client holds 12 calls in flight");
    loaded_purge(&sim, &ocm, contacts, 12, "Knee_shared").await;
    stop(ocm).await;
}
