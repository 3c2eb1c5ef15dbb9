//! Benchmark: single-contact REST deletes against the POM simulator on loopback, with no injected
//! latency (target ≥ 5,000 requests/s on the 2-core machine; figures in docs/performance.md).
//! Run with `make bench` (`cargo run --profile perf -p pom --example sim_bench`).

use std::sync::Arc;
use std::time::Instant;

use futures::stream::{self, StreamExt};
use pom_sim::{self, Sim, SimSettings};

const CONTACTS: usize = 60_000;
const CONCURRENCY: usize = 32;

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

    let created: serde_json::Value = http
        .post(format!("{origin}/__sim/lists"))
        .json(&serde_json::json!({ "name": "Bench", "organization": "Sales" }))
        .send()
        .await
        .expect("create list")
        .json()
        .await
        .expect("list id");
    let list = created["contactListId"].as_i64().expect("list id");
    let contacts: Vec<serde_json::Value> = (0..CONTACTS)
        .map(|i| serde_json::json!({ "userContactId": format!("B{i:07}"), "phoneNumber1": format!("+4477009{i:05}") }))
        .collect();
    for chunk in contacts.chunks(10_000) {
        http.post(format!("{origin}/__sim/lists/{list}/contacts"))
            .json(&chunk)
            .send()
            .await
            .expect("add contacts");
    }

    let client = Arc::new(
        pom::client::PomClient::new(pom::client::PomConfig::for_origin(
            &origin, "pomadmin", "pomadmin",
        ))
        .expect("client"),
    );
    let started = Instant::now();
    let failures = stream::iter(0..CONTACTS)
        .map(|i| {
            let client = client.clone();
            async move {
                client
                    .delete_contact(list, &format!("B{i:07}"))
                    .await
                    .is_err()
            }
        })
        .buffer_unordered(CONCURRENCY)
        .filter(|failed| futures::future::ready(*failed))
        .count()
        .await;
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "simulator single-contact deletes: {CONTACTS} in {seconds:.2} s = {:.0} requests/s (concurrency {CONCURRENCY}, {failures} failures)",
        CONTACTS as f64 / seconds
    );
}
