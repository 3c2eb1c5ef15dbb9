//! What is read off OCM while it is loaded: its resident memory (from `/proc`; the built-in
//! simulator of demo mode lives in the same process) and its database connections (from
//! `pg_stat_activity`: all of them, and those running a statement), every few seconds, to show
//! they stay flat.

use std::time::{Duration, Instant};

use tokio_util::sync::CancellationToken;

use super::memory::memory_of;

/// One reading, `at` seconds into the load.
#[derive(Clone, Copy)]
pub struct Reading {
    pub at: f64,
    pub rss_mib: f64,
    /// The process's peak resident memory so far (`VmHWM`), which sampling cannot miss.
    pub peak_mib: f64,
    pub connections: i64,
    /// Connections running a statement at that moment.
    pub active: i64,
}

/// Connections to this database other than the gauge's own: all, and those not idle.
async fn connections(pool: &sqlx::PgPool) -> (i64, i64) {
    sqlx::query_as(
        "select count(*), count(*) filter (where state <> 'idle') from pg_stat_activity
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
        let (rss_mib, peak_mib) = memory_of(&pid.to_string());
        let (connections, active) = connections(&pool).await;
        readings.push(Reading {
            at: started.elapsed().as_secs_f64(),
            rss_mib,
            peak_mib,
            connections,
            active,
        });
        tokio::select! {
            _ = stop.cancelled() => return readings,
            _ = tokio::time::sleep(every) => {}
        }
    }
}

/// Averages of the readings taken from `from` s to `to` s: memory, connections, active ones.
fn averages(readings: &[Reading], from: f64, to: f64) -> (f64, f64, f64) {
    let inside: Vec<&Reading> = readings
        .iter()
        .filter(|r| r.at >= from && r.at < to)
        .collect();
    let n = inside.len().max(1) as f64;
    (
        inside.iter().map(|r| r.rss_mib).sum::<f64>() / n,
        inside.iter().map(|r| r.connections as f64).sum::<f64>() / n,
        inside.iter().map(|r| r.active as f64).sum::<f64>() / n,
    )
}

/// The readings as a table at each minute, and whether memory and connections stayed flat: the
/// last minute against the third (the first two are warm-up: pools fill, caches load).
pub fn describe(readings: &[Reading]) -> String {
    let mut out = String::from(
        "| Minute | Resident memory (MiB) | Database connections | running a statement |\n\
         |---:|---:|---:|---:|\n",
    );
    let mut minute = 0.0;
    for reading in readings {
        if reading.at >= minute {
            out.push_str(&format!(
                "| {:.0} | {:.1} | {} | {} |\n",
                reading.at / 60.0,
                reading.rss_mib,
                reading.connections,
                reading.active
            ));
            minute += 60.0;
        }
    }
    let end = readings.last().map_or(0.0, |r| r.at);
    if end < 240.0 {
        out.push_str("\nToo short a run to tell whether memory and connections stay flat.\n");
        return out;
    }
    let (rss_early, conn_early, active_early) = averages(readings, 120.0, 180.0);
    let (rss_late, conn_late, active_late) = averages(readings, end - 60.0, end + 1.0);
    let peak_rss = readings.last().map_or(0.0, |r| r.peak_mib);
    let peak_connections = readings.iter().map(|r| r.connections).max().unwrap_or(0);
    let peak_active = readings.iter().map(|r| r.active).max().unwrap_or(0);
    out.push_str(&format!(
        "\nMinute 3 against the last minute: resident memory {rss_early:.1} → {rss_late:.1} MiB \
         ({:+.1} %), peak (VmHWM) {peak_rss:.1} MiB; database connections {conn_early:.1} → \
         {conn_late:.1} on average, peak {peak_connections}; running a statement \
         {active_early:.2} → {active_late:.2} on average, peak {peak_active}.\n",
        (rss_late - rss_early) / rss_early.max(0.001) * 100.0
    ));
    out
}
