//! Benchmark: OCM's dry run and purge job over a 100,000-contact list against the POM simulator
//! with 20 ms injected latency on every list-page and delete call, compared with seed 001's
//! one-at-a-time serial delete loop under the same latency. Also samples the process's resident
//! memory while the job runs (it should stay flat: the job streams the snapshot in rounds).
//! Run with `make bench`; `PURGE_BENCH_SERIAL` sets how many serial deletes are timed (default
//! 5,000, extrapolated linearly; set it to 100000 for the full serial run) and
//! `PURGE_BENCH_CONCURRENCY` the job's ceiling (default 32, OCM's default; the gate stays below it
//! when POM's latency rises, `adaptive_bench` measures that).

#[path = "shared/bench_purge.rs"]
mod bench_purge;
#[path = "shared/memory.rs"]
mod memory;

use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, Instant};

use bench_purge::{bench_ctx, control, make_list, supervisor, whole_list};
use domain::{jobs, purge};
use pom_sim::world::SimUser;
use serde_json::json;
use types::model::PurgeStart;

const CONTACTS: usize = 100_000;
const LATENCY_MS: u64 = 20;

fn env_number(var: &str, default: usize) -> usize {
    std::env::var(var)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[tokio::main]
async fn main() {
    let serial_count = env_number("PURGE_BENCH_SERIAL", 5_000);
    let concurrency = env_number("PURGE_BENCH_CONCURRENCY", 32);
    let database_url = std::env::var("DATABASE_URL").expect("DATABASE_URL (make bench sets it)");
    let users_map = BTreeMap::from([(
        "bench".to_string(),
        SimUser {
            password: "bench".into(),
            organization: None,
        },
    )]);
    let sim = pom_sim::Sim::new(pom_sim::SimSettings {
        demo: false,
        users: users_map,
        ..Default::default()
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let http = pom_sim::guard::control_client(&sim);
    let (address, _) = pom_sim::spawn(listener, sim).unwrap();
    let origin = format!("http://{address}");
    let list = make_list(&http, &origin, "Bench_100k", CONTACTS).await;
    let serial_list = make_list(&http, &origin, "Bench_Serial", serial_count).await;
    control(
        &http,
        &origin,
        "faults",
        json!([
            { "endpoint": "contacts.list", "latency_ms": LATENCY_MS },
            { "endpoint": "contacts.delete", "latency_ms": LATENCY_MS },
        ]),
    )
    .await;

    let env: HashMap<&str, String> = HashMap::from([
        ("DATABASE_URL", database_url),
        ("OCM_POM_BASE_URL", format!("{origin}/VP_POM_Service/v1")),
        ("OCM_POM_USER", "bench".into()),
        ("OCM_POM_PASSWORD", "bench".into()),
        ("OCM_PURGE_CONCURRENCY", concurrency.to_string()),
        ("OCM_PURGE_RATE_PER_SECOND", "100000".into()),
    ]);
    let config = server::config::Config::from_lookup(&|var| env.get(var).cloned()).unwrap();
    let pool = server::startup::connect(&config).await.unwrap();
    server::startup::migrate(&pool).await.unwrap();
    let state = server::startup::build_state(&config, pool.clone(), None).unwrap();
    let user = supervisor(&pool, "bench.sup").await;
    let request = whole_list(list);

    let began = Instant::now();
    let plan = purge::plan::dry_run(&state, &user, &request).await.unwrap();
    let dry_run = began.elapsed();
    println!(
        "dry run: {} of {} contacts match, {:.2} s (100 pages of 1,000, {LATENCY_MS} ms each)",
        plan.matched,
        plan.list_total,
        dry_run.as_secs_f64()
    );

    let ctx = bench_ctx(&state, &user);
    let began = Instant::now();
    let PurgeStart::Started { job_id, .. } =
        purge::start::start(&ctx, &request, &plan.matched.to_string(), &plan.fingerprint)
            .await
            .unwrap()
    else {
        panic!("the list changed");
    };
    println!(
        "confirm (re-read + snapshot of {} contacts): {:.2} s",
        plan.matched,
        began.elapsed().as_secs_f64()
    );
    let (rss_before, _) = memory::memory();
    let stop = tokio_util::sync::CancellationToken::new();
    jobs::runner::spawn(state.clone(), domain::job_handlers::all(), stop.clone());
    let began = Instant::now();
    let (mut rss_min, mut rss_max) = (f64::MAX, 0.0_f64);
    loop {
        tokio::time::sleep(Duration::from_millis(500)).await;
        let (rss, _) = memory::memory();
        rss_min = rss_min.min(rss);
        rss_max = rss_max.max(rss);
        let view = jobs::store::load(&pool, job_id)
            .await
            .unwrap()
            .unwrap()
            .view();
        if view.state.is_final() {
            println!(
                "purge job: {:?}, {} deleted, {} failed",
                view.state, view.done, view.failed
            );
            break;
        }
    }
    let parallel = began.elapsed().as_secs_f64();
    stop.cancel();
    println!(
        "purge of {} contacts, concurrency {concurrency}: {parallel:.1} s ({:.0} deletes/s)",
        plan.matched,
        plan.matched as f64 / parallel
    );
    println!("memory while the job ran: {rss_min:.0}–{rss_max:.0} MiB resident (before the job: {rss_before:.0} MiB)");

    let client = state.pom.clone().unwrap();
    let began = Instant::now();
    for i in 0..serial_count {
        client
            .delete_contact(serial_list, &format!("B{i:07}"))
            .await
            .unwrap();
    }
    let serial = began.elapsed().as_secs_f64();
    let serial_full = serial / serial_count as f64 * plan.matched as f64;
    println!("serial one-at-a-time deletes: {serial_count} in {serial:.1} s → {serial_full:.0} s for {} contacts{}", plan.matched,
        if serial_count as i64 == plan.matched { "" } else { " (extrapolated linearly)" });
    println!("speed-up: {:.1}×", serial_full / parallel);
}
