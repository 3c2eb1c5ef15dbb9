//! Benchmark (issue 22, part 3): 100 signed-in supervisors for 10 minutes on loopback against the
//! production build of `make run` (`make release`: the server binary and the site with its
//! wasm-opt'ed, brotli-compressed bundle), each following the path in `load_bench/visitor.rs`.
//! Prints each page's p50/p95/p99 beside a static file's from the same run, the errors, OCM's
//! resident memory and database connections minute by minute, and the bundle's size. Run with
//! `make load` (needs DATABASE_URL: a database it may fill; `OCM_LOAD_USERS`,
//! `OCM_LOAD_SECONDS`, `OCM_LOAD_READ_MS` (the longest pause on a page; 0 for a stress without
//! pauses), `OCM_LOAD_PORT` and `OCM_LOAD_BINARY` change the defaults).

#[path = "load_bench/gauges.rs"]
mod gauges;
// Shared by the benchmarks; this one reads another process's memory, not its own.
#[allow(dead_code)]
#[path = "shared/memory.rs"]
mod memory;
#[path = "load_bench/process.rs"]
mod process;
#[path = "load_bench/tally.rs"]
mod tally;
#[path = "load_bench/visitor.rs"]
mod visitor;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tally::Tally;
use visitor::Visitor;

/// The supervisors' teams, and the organization whose board each watches.
const TEAMS: [(&str, &str); 2] = [
    ("Sales Floor", "Sales"),
    ("Collections Floor", "Collections"),
];

fn setting<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .map(|value| {
            value
                .parse()
                .unwrap_or_else(|_| panic!("{name}: not a number"))
        })
        .unwrap_or(default)
}

/// Sizes of the site's bundle as served: raw, and the brotli file the server sends instead.
fn bundle_sizes() -> String {
    let size = |path: &str| std::fs::metadata(path).map_or(0, |m| m.len()) as f64 / 1024.0;
    ["ocm.wasm", "ocm.js", "ocm.css"]
        .iter()
        .map(|file| {
            let path = format!("target/site/pkg/{file}");
            format!(
                "{file} {:.0} KiB ({:.0} KiB brotli)",
                size(&path),
                size(&format!("{path}.br"))
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .unwrap_or_default()
        .lines()
        .find(|line| line.starts_with("model name"))
        .and_then(|line| line.split(':').nth(1))
        .map_or_else(|| "unknown CPU".to_string(), |name| name.trim().to_string());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    format!("{cores} cores ({cpu})")
}

#[tokio::main]
async fn main() {
    let database_url = std::env::var("DATABASE_URL").expect("DATABASE_URL (make load sets it)");
    let users: usize = setting("OCM_LOAD_USERS", 100);
    let seconds: u64 = setting("OCM_LOAD_SECONDS", 600);
    let binary = PathBuf::from(
        std::env::var("OCM_LOAD_BINARY").unwrap_or_else(|_| "target/perf/ocm".into()),
    );
    let port: u16 = setting("OCM_LOAD_PORT", 3700);
    let longest_read = Duration::from_millis(setting("OCM_LOAD_READ_MS", 4000));
    assert!(
        std::path::Path::new("target/site/pkg/ocm.wasm.br").exists(),
        "no production site: run `make release` first"
    );
    println!("load: starting {} serve on port {port}", binary.display());
    let mut ocm = process::start(&binary, &database_url, port).await;
    println!("load: adding {users} supervisors with `ocm user add`");
    for n in 0..users {
        ocm.add_supervisor(&format!("load.{n:03}"), TEAMS[n % 2].0);
    }
    let pool = sqlx::PgPool::connect(&database_url).await.unwrap();
    let stop_gauges = tokio_util::sync::CancellationToken::new();
    let gauges = tokio::spawn(gauges::sample(
        ocm.pid(),
        pool,
        Duration::from_secs(5),
        stop_gauges.clone(),
    ));
    let tally = Arc::new(Tally::default());
    let until = Instant::now() + Duration::from_secs(seconds);
    println!("load: {users} users for {seconds} s, reading each page up to {longest_read:?}");
    let mut visitors = Vec::new();
    for n in 0..users {
        let visitor = Visitor {
            username: format!("load.{n:03}"),
            organization: TEAMS[n % 2].1,
            base: ocm.base.clone(),
            tally: tally.clone(),
            until,
            seed: n as u64,
            longest_read,
        };
        visitors.push(tokio::spawn(visitor.run()));
        // People arrive over the first 10 s, not in one instant.
        tokio::time::sleep(Duration::from_millis(10_000 / users.max(1) as u64)).await;
    }
    for visitor in visitors {
        visitor.await.unwrap();
    }
    stop_gauges.cancel();
    let readings = gauges.await.unwrap();
    let shutdown = ocm.stop();
    println!(
        "\n## Load: {users} users, {seconds} s, pauses up to {longest_read:?}, {} requests, {} errors\n",
        tally.requests(),
        tally.errors()
    );
    println!("{}", tally.table());
    println!("{}", gauges::describe(&readings));
    println!("Bundle: {}.", bundle_sizes());
    println!(
        "Machine: {}. Graceful shutdown after the load: {shutdown:.2?}.",
        machine()
    );
}
