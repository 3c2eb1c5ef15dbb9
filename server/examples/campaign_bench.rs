//! Benchmark: the campaign board with 50 campaigns (two organizations) and 200 signed-in browser
//! sessions each holding `/campaigns/events` open, against the POM simulator over HTTP. Reports
//! how many job-list reads POM received in 10 s (the target: at most one per organization per
//! interval), and, for 10 job state changes made directly in POM (not through OCM, so no action
//! nudges the poller), how long each took to reach every one of the 200 sessions (target: 2 s).
//! Run with `make bench` (needs DATABASE_URL: a database it may fill).

// Shared by the benchmarks; this one needs no API client.
#[allow(dead_code)]
#[path = "shared/bench_server.rs"]
mod bench_server;

use std::time::{Duration, Instant};

use bench_server::{add_managers, open_stream, percentile, start_ocm, start_sim};
use pom::client::{PomClient, PomConfig};
use serde_json::{json, Value};

const SESSIONS: usize = 200;
const CAMPAIGNS: usize = 50;
const CHANGES: usize = 10;

async fn add_campaign(http: &reqwest::Client, origin: &str, name: &str, organization: &str) {
    http.post(format!("{origin}/__sim/campaigns"))
        .json(
            &json!({ "id": 0, "name": name, "organization": organization, "kind": "predictive",
                       "finite": false, "lists": [], "completion_codes": [], "schedules": [] }),
        )
        .send()
        .await
        .unwrap();
}

async fn joblist_reads(http: &reqwest::Client, origin: &str) -> u64 {
    let counters: Value = http
        .get(format!("{origin}/__sim/requests"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    counters["campaigns.joblist"].as_u64().unwrap_or(0)
}

/// Reads a session's event stream until a board shows `job` in `state`.
async fn wait_for(stream: &mut reqwest::Response, job: i64, state: &str) {
    let needle = format!("\"job_id\":{job},\"state\":\"{state}\"");
    let mut seen = String::new();
    while let Some(chunk) = stream.chunk().await.unwrap() {
        seen.push_str(&String::from_utf8_lossy(&chunk));
        // Only the newest event matters: keep the text after the last complete event.
        if seen.contains(&needle) {
            return;
        }
        if let Some(end) = seen.rfind("\n\n") {
            seen.drain(..end);
        }
    }
    panic!("stream ended before job {job} was {state}");
}

#[tokio::main]
async fn main() {
    let sim = start_sim().await;
    let (http, origin) = (&sim.control, sim.origin.as_str());
    for i in 0..CAMPAIGNS {
        let organization = if i % 2 == 0 { "Sales" } else { "Collections" };
        add_campaign(
            http,
            origin,
            &format!("{organization}_{i:02}"),
            organization,
        )
        .await;
    }
    let ocm = start_ocm(&sim, &[], &["Sales", "Collections"]).await;
    add_managers(&ocm, &["Sales", "Collections"]).await;
    let (base, stop) = (ocm.base.clone(), ocm.stop.clone());

    let began = Instant::now();
    let mut streams = Vec::with_capacity(SESSIONS);
    for i in 0..SESSIONS {
        let organization = if i % 2 == 0 { "Sales" } else { "Collections" };
        streams.push(open_stream(&base, organization, "/campaigns/events").await);
    }
    println!(
        "{SESSIONS} sessions signed in with open event streams in {:.1} s",
        began.elapsed().as_secs_f64()
    );

    tokio::time::sleep(Duration::from_secs(1)).await;
    http.delete(format!("{origin}/__sim/requests"))
        .send()
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_secs(10)).await;
    let reads = joblist_reads(http, origin).await;
    println!("POM job-list reads in 10 s with {SESSIONS} sessions on 2 organizations: {reads} (interval 1 s; limit 2 per interval = 20)");

    let pom = PomClient::new(PomConfig::for_origin(origin, "bench", "bench")).unwrap();
    let mut latencies = Vec::new();
    let mut worst_per_change = Vec::new();
    for change in 0..CHANGES {
        let campaign = format!("Sales_{:02}", change * 2);
        assert!(
            pom.run_campaign(&campaign).await.unwrap(),
            "POM queued the job"
        );
        let job_id = pom
            .job_list()
            .await
            .unwrap()
            .into_iter()
            .filter(|j| j.campaign_name == campaign)
            .map(|j| j.job_id)
            .max()
            .unwrap();
        // Wait until every Sales session has seen the job active, then pause it in POM and time
        // how long the pause takes to reach each session.
        for stream in streams.iter_mut().step_by(2) {
            wait_for(stream, job_id, "JOB_ACTIVE").await;
        }
        // Changes land at different points of the poll interval (spread over one second).
        tokio::time::sleep(Duration::from_millis((change as u64 * 370) % 1_000)).await;
        let changed_at = Instant::now();
        assert!(pom.pause_active_job(job_id).await.unwrap());
        let mut worst: f64 = 0.0;
        for stream in streams.iter_mut().step_by(2) {
            wait_for(stream, job_id, "JOB_PAUSED").await;
            let seconds = changed_at.elapsed().as_secs_f64();
            latencies.push(seconds);
            worst = worst.max(seconds);
        }
        worst_per_change.push(worst);
    }
    latencies.sort_by(f64::total_cmp);
    println!(
        "state change → {} sessions, {CHANGES} changes: median {:.2} s, p95 {:.2} s, max {:.2} s (target ≤ 2 s); worst per change: {}",
        SESSIONS / 2,
        percentile(&latencies, 0.5),
        percentile(&latencies, 0.95),
        latencies.last().unwrap(),
        worst_per_change.iter().map(|w| format!("{w:.2}")).collect::<Vec<_>>().join(", ")
    );
    stop.cancel();
}
