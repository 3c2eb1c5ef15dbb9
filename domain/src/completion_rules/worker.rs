//! The loop that carries queued applications to POM on every instance: claims a batch that is
//! due, applies each, and polls again; idle, it looks every second. Stops at shutdown between
//! applications (a claimed one left behind is taken up again when its lease runs out).

use std::time::Duration;

use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use super::apply::{apply_one, claim};
use crate::state::AppState;

/// How often an idle instance looks for work.
const POLL: Duration = Duration::from_secs(1);
/// Applications claimed at a time.
const BATCH: i64 = 20;

/// One round; whether it found work.
pub async fn round(state: &AppState, stop: &CancellationToken) -> bool {
    let claimed = match claim(&state.pool, BATCH).await {
        Ok(claimed) => claimed,
        Err(error) => {
            tracing::warn!(error = %error, "completion rules: claiming applications failed");
            return false;
        }
    };
    for application in &claimed {
        if stop.is_cancelled() {
            break;
        }
        if let Err(error) = apply_one(state, application).await {
            tracing::warn!(
                application = application.application_id,
                error = %error,
                "completion rules: an application stopped; it is tried again when its claim runs out"
            );
        }
    }
    !claimed.is_empty()
}

/// Runs until `stop`.
pub fn spawn(state: AppState, stop: CancellationToken) -> JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            let worked = tokio::select! {
                () = stop.cancelled() => break,
                worked = round(&state, &stop) => worked,
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
