//! The loop that carries queued applications to POM on every instance: claims one due
//! application at a time (each under its own lease) and applies it, up to a batch per round;
//! idle, it looks every second. At shutdown it stops at once, even mid-application: that
//! application's writes are fenced by its claim, and it is taken up again when the lease runs out.

use std::time::Duration;

use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use super::apply::{apply_one, claim, give_up_exhausted};
use crate::state::AppState;

/// How often an idle instance looks for work.
const POLL: Duration = Duration::from_secs(1);
/// Applications carried per round.
const BATCH: usize = 20;

/// One round; whether it found work.
pub async fn round(state: &AppState) -> bool {
    if let Err(error) = give_up_exhausted(&state.pool).await {
        tracing::warn!(error = %error, "completion rules: closing exhausted applications failed");
    }
    let mut worked = false;
    for _ in 0..BATCH {
        let claimed = match claim(&state.pool, 1).await {
            Ok(claimed) => claimed,
            Err(error) => {
                tracing::warn!(error = %error, "completion rules: claiming an application failed");
                break;
            }
        };
        let Some(application) = claimed.first() else {
            break;
        };
        worked = true;
        if let Err(error) = apply_one(state, application).await {
            tracing::warn!(
                application = application.application_id,
                error = %error,
                "completion rules: an application stopped; it is tried again when its claim runs out"
            );
        }
    }
    worked
}

/// Runs until `stop`.
pub fn spawn(state: AppState, stop: CancellationToken) -> JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            let worked = tokio::select! {
                () = stop.cancelled() => break,
                worked = round(&state) => worked,
            };
            if worked {
                continue;
            }
            tokio::select! {
                () = stop.cancelled() => break,
                () = tokio::time::sleep(POLL) => {}
            }
        }
    })
}
