//! The loop that carries DNC requests to POM on every instance: look customers up, send batches,
//! read back, and take timed DNC entries off their lists when they expire (with stale receipts
//! judged again). It waits a moment
//! after a request arrives so that requests arriving together go to POM together, and polls
//! for work other instances accepted. Stops at shutdown between steps.

use std::time::{Duration, Instant};

use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use super::expand::expand_one;
use super::send::send_one_batch;
use super::settle::resettle;
use super::verify::verify_round;
use crate::dnc::timed;
use crate::state::AppState;

/// How long requests gather before a batch is sent.
const LINGER: Duration = Duration::from_millis(100);
/// How often an idle instance looks for work accepted elsewhere.
const POLL: Duration = Duration::from_secs(1);
/// How often timed entries are looked at.
const EXPIRY_EVERY: Duration = Duration::from_secs(15);

/// One pass over every step; whether any found work.
async fn pass(state: &AppState) -> bool {
    let mut worked = false;
    match expand_one(state).await {
        Ok(found) => worked |= found,
        Err(error) => tracing::warn!(error = %error, "DNC requests: looking a customer up failed"),
    }
    match send_one_batch(state).await {
        Ok(found) => worked |= found,
        Err(error) => tracing::warn!(error = %error, "DNC requests: sending a batch failed"),
    }
    match verify_round(state).await {
        Ok(found) => worked |= found,
        Err(error) => tracing::warn!(error = %error, "DNC requests: reading back failed"),
    }
    worked
}

/// Runs until `stop`.
pub fn spawn(state: AppState, stop: CancellationToken) -> JoinHandle<()> {
    tokio::spawn(async move {
        let wake = state.api.dnc_requests.clone();
        let mut expired_at: Option<Instant> = None;
        loop {
            if expired_at.is_none_or(|at| at.elapsed() >= EXPIRY_EVERY) {
                expired_at = Some(Instant::now());
                let round = tokio::select! {
                    () = stop.cancelled() => break,
                    round = timed::expire_due(&state) => round,
                };
                if let Err(error) = round {
                    tracing::warn!(error = %error, "timed DNC: this round stopped");
                }
                if let Err(error) = resettle(&state.pool).await {
                    tracing::warn!(error = %error, "DNC requests: judging stale receipts failed");
                }
            }
            let worked = tokio::select! {
                () = stop.cancelled() => break,
                worked = pass(&state) => worked,
            };
            if worked {
                continue;
            }
            tokio::select! {
                () = stop.cancelled() => break,
                () = wake.notified() => {
                    tokio::select! {
                        () = stop.cancelled() => break,
                        () = tokio::time::sleep(LINGER) => {}
                    }
                }
                () = tokio::time::sleep(POLL) => {}
            }
        }
    })
}
