//! Benchmark: the demo's 10,000-contact predictive campaign (`Sales_Spring_Promo_Predictive`) run
//! to completion over HTTP with the simulated clock at 2,000× and 40 agents; reports real seconds,
//! attempts, feed records and feed throughput (target: completes within a minute; figures in
//! docs/performance.md). Run with `make bench`.

use std::time::{Duration, Instant};

use pom_sim::{self, Sim, SimSettings};
use serde_json::json;

/// 2026-11-23 12:00 UTC, a Monday (the calling window depends on the time of day).
const NOON: i64 = 1_795_435_200_000;
const SPEED: f64 = 2_000.0;

#[tokio::main]
async fn main() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind loopback");
    let sim = Sim::new(SimSettings {
        demo: true,
        ..SimSettings::default()
    });
    let http = pom_sim::guard::control_client(&sim);
    let (address, _) = pom_sim::spawn(listener, sim).expect("start the simulator");
    let origin = format!("http://{address}");
    let control = |path: &str, body: serde_json::Value| {
        http.post(format!("{origin}/__sim/{path}"))
            .json(&body)
            .send()
    };
    control("clock", json!({ "speed": 0.01, "at_ms": NOON }))
        .await
        .expect("clock");
    control("dialer", json!({ "agents_per_org": 40, "seed": 1 }))
        .await
        .expect("dialer");
    let client = pom::client::PomClient::new(pom::client::PomConfig::for_origin(
        &origin, "pomadmin", "pomadmin",
    ))
    .expect("client");
    let campaign = "Sales_Spring_Promo_Predictive";
    client.run_campaign(campaign).await.expect("run campaign");
    let job = client.get_campaign_jobs(campaign, &[]).await.expect("jobs")[0].0;
    let started = Instant::now();
    control("clock", json!({ "speed": SPEED }))
        .await
        .expect("speed up");
    let figures = loop {
        let figures: serde_json::Value = http
            .get(format!("{origin}/__sim/jobs/{job}/dialing"))
            .send()
            .await
            .expect("figures")
            .json()
            .await
            .expect("figures json");
        if figures["state"] == "JOB_COMPLETED" {
            break figures;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let run_seconds = started.elapsed().as_secs_f64();
    let read = Instant::now();
    let feed = http
        .get(format!("{origin}/__sim/feed"))
        .send()
        .await
        .expect("feed")
        .text()
        .await
        .expect("feed body");
    let records = feed.lines().count();
    let read_seconds = read.elapsed().as_secs_f64();
    let stats = &figures["stats"];
    println!(
        "10,000-contact predictive campaign at {SPEED}x: completed in {run_seconds:.1} s real; {} dialled, {} attempts ({} retries), {} nuisance; feed {records} records read in {read_seconds:.2} s",
        stats["dialled"], stats["attempts"], stats["retries"], stats["nuisance"]
    );
}
