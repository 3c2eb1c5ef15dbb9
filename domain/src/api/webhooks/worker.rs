//! The webhook loop on every instance: fan new events out into deliveries, send what is due,
//! and once an hour forget events (and their deliveries) older than the kept days. Polls every
//! second; stops at shutdown between rounds.

use std::time::{Duration, Instant};

use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use super::deliver::{deliver_round, Sender};
use super::fanout::fan_out;
use crate::api::events::forget_older_than;
use crate::state::AppState;

/// How often an idle instance looks for work.
const POLL: Duration = Duration::from_secs(1);
/// How often old events are forgotten.
const SWEEP_EVERY: Duration = Duration::from_secs(3600);
/// Days events and their delivery log are kept (a stream may resume this far back).
pub const KEPT_DAYS: i32 = 7;

/// One round; whether it found work.
async fn round(state: &AppState, http: &Sender) -> bool {
    let mut worked = false;
    match fan_out(&state.pool).await {
        Ok(more) => worked |= more,
        Err(error) => tracing::warn!(error = %error, "webhooks: fanning events out failed"),
    }
    match deliver_round(&state.pool, http).await {
        Ok(sent) => worked |= sent,
        Err(error) => tracing::warn!(error = %error, "webhooks: claiming deliveries failed"),
    }
    worked
}

/// Runs until `stop`.
pub fn spawn(state: AppState, stop: CancellationToken) -> JoinHandle<()> {
    tokio::spawn(async move {
        let http = Sender::new(state.settings.api.webhook_private_addresses);
        let mut swept: Option<Instant> = None;
        loop {
            if swept.is_none_or(|at| at.elapsed() >= SWEEP_EVERY) {
                swept = Some(Instant::now());
                match forget_older_than(&state.pool, KEPT_DAYS).await {
                    Ok(0) => {}
                    Ok(gone) => tracing::info!(gone, "API events past their kept days forgotten"),
                    Err(error) => {
                        tracing::warn!(error = %error, "API events: forgetting old ones failed")
                    }
                }
            }
            let worked = tokio::select! {
                () = stop.cancelled() => return,
                worked = round(&state, &http) => worked,
            };
            if worked {
                continue;
            }
            tokio::select! {
                () = stop.cancelled() => return,
                () = tokio::time::sleep(POLL) => {}
            }
        }
    })
}
