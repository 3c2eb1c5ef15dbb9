//! The webhook loop on every instance: fan new events out into deliveries, send what is due,
//! each on its own task (`deliver`), and once an hour forget events (and their deliveries) older
//! than the kept days. Polls every second; stops at shutdown between rounds.

use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::Semaphore;
use tokio::task::{JoinHandle, JoinSet};
use tokio_util::sync::CancellationToken;

use super::deliver::{dispatch, Sender, IN_FLIGHT};
use super::fanout::fan_out;
use crate::api::events::forget_older_than;
use crate::state::AppState;

/// How often an idle instance looks for work.
const POLL: Duration = Duration::from_secs(1);
/// How often old events are forgotten.
const SWEEP_EVERY: Duration = Duration::from_secs(3600);
/// Days events and their delivery log are kept (a stream may resume this far back).
pub const KEPT_DAYS: i32 = 7;

/// What a round works with: the sender, the room for deliveries in flight, and those tasks.
struct Delivering {
    http: Arc<Sender>,
    room: Arc<Semaphore>,
    sending: JoinSet<()>,
}

/// One round; whether it found work.
async fn round(state: &AppState, delivering: &mut Delivering) -> bool {
    let mut worked = false;
    match fan_out(&state.pool).await {
        Ok(more) => worked |= more,
        Err(error) => tracing::warn!(error = %error, "webhooks: fanning events out failed"),
    }
    let Delivering {
        http,
        room,
        sending,
    } = delivering;
    match dispatch(&state.pool, http, room, sending).await {
        Ok(sent) => worked |= sent,
        Err(error) => tracing::warn!(error = %error, "webhooks: claiming deliveries failed"),
    }
    worked
}

/// Runs until `stop`.
pub fn spawn(state: AppState, stop: CancellationToken) -> JoinHandle<()> {
    tokio::spawn(async move {
        // Deliveries still in flight at shutdown are dropped with the set: their claims run
        // out and another instance (or this one, restarted) sends them again.
        let mut delivering = Delivering {
            http: Arc::new(Sender::new(state.settings.api.webhook_private_addresses)),
            room: Arc::new(Semaphore::new(IN_FLIGHT)),
            sending: JoinSet::new(),
        };
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
                worked = round(&state, &mut delivering) => worked,
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
