//! The scheduler's workers, on every instance: one fires due schedules every [`TICK`] (at
//! start-up first, which catches up what was missed while OCM was down) and erases files past
//! their retention every hour; the other tries due deliveries, one after another, so a slow mail
//! or SFTP server never delays a schedule's firing. Several instances run them side by side:
//! firing is exactly once (`fire.rs`), a delivery is claimed by one (`deliver.rs`), and the
//! retention sweep claims the runs it erases (`files.rs`).

use std::time::Duration;

use jiff::Timestamp;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use super::{deliver, files, fire};
use crate::state::AppState;

/// How often due schedules and deliveries are looked for.
pub const TICK: Duration = Duration::from_secs(5);
/// Ticks between two retention sweeps (an hour).
const SWEEP_EVERY_TICKS: u64 = 720;

/// Starts both workers; they stop when `stop` is cancelled.
pub fn spawn(state: AppState, stop: CancellationToken) -> JoinHandle<()> {
    let delivering = tokio::spawn(deliveries(state.clone(), stop.clone()));
    tokio::spawn(async move {
        let mut ticker = tokio::time::interval(TICK);
        let mut ticks: u64 = 0;
        loop {
            tokio::select! {
                () = stop.cancelled() => break,
                _ = ticker.tick() => {}
            }
            match fire::fire_due(&state, Timestamp::now()).await {
                Ok(0) => {}
                Ok(runs) => tracing::info!(runs, "scheduled exports queued"),
                Err(error) => tracing::warn!(error = %error, "firing scheduled exports failed"),
            }
            if ticks.is_multiple_of(SWEEP_EVERY_TICKS) {
                match files::erase_expired(&state).await {
                    Ok(0) => {}
                    Ok(files) => tracing::info!(files, "scheduled exports' files erased"),
                    Err(error) => tracing::warn!(error = %error, "erasing export files failed"),
                }
            }
            ticks += 1;
        }
        let _ = delivering.await;
    })
}

/// Tries every delivery due, then waits a tick.
async fn deliveries(state: AppState, stop: CancellationToken) {
    let mut ticker = tokio::time::interval(TICK);
    loop {
        tokio::select! {
            () = stop.cancelled() => break,
            _ = ticker.tick() => {}
        }
        loop {
            let tried = tokio::select! {
                () = stop.cancelled() => return,
                tried = deliver::pass(&state) => tried,
            };
            match tried {
                Ok(true) => {}
                Ok(false) => break,
                Err(error) => {
                    tracing::warn!(error = %error, "delivering scheduled exports failed");
                    break;
                }
            }
        }
    }
}
