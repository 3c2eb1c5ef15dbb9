//! Background work that runs beside the HTTP server: ending idle sessions (and auditing it) and
//! pruning old sign-in failures. Stops when the shutdown token is cancelled.

use std::time::Duration;

use app::backend::{auth, throttle};
use sqlx::PgPool;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

/// How often idle sessions are looked for.
const SWEEP_EVERY: Duration = Duration::from_secs(20);

/// Starts the session sweeper.
pub fn spawn_session_sweeper(
    pool: PgPool,
    idle: Duration,
    stop: CancellationToken,
) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticker = tokio::time::interval(SWEEP_EVERY);
        let mut sweeps: u64 = 0;
        loop {
            tokio::select! {
                () = stop.cancelled() => break,
                _ = ticker.tick() => {}
            }
            match auth::expire_idle_sessions(&pool, idle, None).await {
                Ok(0) => {}
                Ok(count) => tracing::info!(count, "idle sessions ended"),
                Err(error) => tracing::warn!(error = %error, "session sweep failed"),
            }
            sweeps += 1;
            if sweeps.is_multiple_of(30) {
                if let Err(error) = throttle::prune(&pool).await {
                    tracing::warn!(error = %error, "pruning sign-in failures failed");
                }
            }
        }
    })
}
