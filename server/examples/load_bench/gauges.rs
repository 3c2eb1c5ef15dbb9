//! What is read off OCM while it is loaded: its resident memory (from `/proc`) and the database
//! connections its pool holds (from `pg_stat_activity`), every few seconds, to show they stay flat.

use std::time::{Duration, Instant};

use tokio_util::sync::CancellationToken;

/// One reading, `at` seconds into the load.
#[derive(Clone, Copy)]
pub struct Reading {
    pub at: f64,
    pub rss_mib: f64,
    pub connections: i64,
}

/// Resident memory of process `pid`, in MiB.
fn rss_mib(pid: u32) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find(|line| line.starts_with("VmRSS:"))
        .and_then(|line| line.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

/// Connections to this database other than the gauge's own.
async fn connections(pool: &sqlx::PgPool) -> i64 {
    sqlx::query_scalar(
        "select count(*) from pg_stat_activity
         where datname = current_database() and pid <> pg_backend_pid()",
    )
    .fetch_one(pool)
    .await
    .unwrap()
}

/// Reads every `every` until `stop`; returns the readings.
pub async fn sample(
    pid: u32,
    pool: sqlx::PgPool,
    every: Duration,
    stop: CancellationToken,
) -> Vec<Reading> {
    let started = Instant::now();
    let mut readings = Vec::new();
    loop {
        readings.push(Reading {
            at: started.elapsed().as_secs_f64(),
            rss_mib: rss_mib(pid),
            connections: connections(&pool).await,
        });
        tokio::select! {
            _ = stop.cancelled() => return readings,
            _ = tokio::time::sleep(every) => {}
        }
    }
}

/// The readings as a table at each minute, and whether memory and connections stayed flat: the
/// last minute against the third (the first two are warm-up: pools fill, caches load).
pub fn describe(readings: &[Reading]) -> String {
    let mut out = String::from(
        "| Minute | Resident memory (MiB) | Database connections |\n|---:|---:|---:|\n",
    );
    let mut minute = 0.0;
    for reading in readings {
        if reading.at >= minute {
            out.push_str(&format!(
                "| {:.0} | {:.1} | {} |\n",
                reading.at / 60.0,
                reading.rss_mib,
                reading.connections
            ));
            minute += 60.0;
        }
    }
    let window = |from: f64, to: f64| -> (f64, f64, i64) {
        let inside: Vec<&Reading> = readings
            .iter()
            .filter(|r| r.at >= from && r.at < to)
            .collect();
        let n = inside.len().max(1) as f64;
        (
            inside.iter().map(|r| r.rss_mib).sum::<f64>() / n,
            inside.iter().map(|r| r.connections as f64).sum::<f64>() / n,
            inside.iter().map(|r| r.connections).max().unwrap_or(0),
        )
    };
    let end = readings.last().map_or(0.0, |r| r.at);
    let (rss_early, conn_early, _) = window(120.0, 180.0);
    let (rss_late, conn_late, _) = window(end - 60.0, end + 1.0);
    let peak_rss = readings.iter().map(|r| r.rss_mib).fold(0.0, f64::max);
    let peak_connections = readings.iter().map(|r| r.connections).max().unwrap_or(0);
    out.push_str(&format!(
        "\nMinute 3 against the last minute: resident memory {rss_early:.1} → {rss_late:.1} MiB \
         ({:+.1} %), peak {peak_rss:.1} MiB; database connections {conn_early:.1} → {conn_late:.1} \
         on average, peak {peak_connections}.\n",
        (rss_late - rss_early) / rss_early.max(0.001) * 100.0
    ));
    out
}
