//! Relays job announcements from Postgres (`LISTEN ocm_job`) to this instance's browsers: every
//! instance hears every job's progress, whichever instance runs it.

use std::time::Duration;

use sqlx::postgres::PgListener;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use super::{store, CHANNEL};
use crate::state::AppState;

/// Listens until `stop`; reconnects after a lost connection.
pub fn spawn_relay(state: AppState, stop: CancellationToken) -> JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            tokio::select! {
                () = stop.cancelled() => return,
                result = relay(&state) => {
                    if let Err(error) = result {
                        tracing::warn!(error = %error, "job event relay lost its connection; retrying");
                    }
                }
            }
            tokio::select! {
                () = stop.cancelled() => return,
                () = tokio::time::sleep(Duration::from_secs(2)) => {}
            }
        }
    })
}

async fn relay(state: &AppState) -> Result<(), sqlx::Error> {
    let mut listener = PgListener::connect_with(&state.pool).await?;
    listener.listen(CHANNEL).await?;
    loop {
        let notification = listener.recv().await?;
        let Ok(job_id) = notification.payload().parse::<i64>() else {
            continue;
        };
        // Nobody listening is normal (no browser open).
        if state.jobs.events.receiver_count() == 0 {
            continue;
        }
        if let Some(row) = store::load(&state.pool, job_id).await? {
            let _ = state.jobs.events.send(row.view());
        }
    }
}
