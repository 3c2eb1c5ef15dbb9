//! Background work that runs beside the HTTP server: ending idle sessions (and auditing it),
//! pruning old sign-in failures, and deleting expired rows of the session store. Stops when the
//! shutdown token is cancelled.

use std::time::Duration;

use app::backend::{session_end, throttle};
use sqlx::PgPool;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;
use tower_sessions::session_store::ExpiredDeletion;
use tower_sessions_sqlx_store::PostgresStore;

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
            match session_end::expire_idle_sessions(&pool, idle, None).await {
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

/// Deletes expired session-store rows every hour.
pub fn spawn_session_store_cleanup(pool: PgPool, stop: CancellationToken) -> JoinHandle<()> {
    tokio::spawn(async move {
        let store = PostgresStore::new(pool);
        tokio::select! {
            () = stop.cancelled() => {}
            result = store.continuously_delete_expired(Duration::from_secs(3600)) => {
                if let Err(error) = result {
                    tracing::warn!(error = %error, "session store cleanup stopped");
                }
            }
        }
    })
}
