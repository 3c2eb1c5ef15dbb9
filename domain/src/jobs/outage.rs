//! Riding out a database outage inside the job runner: a write tried again, with backoff, until
//! the database is back. A handler's outcomes for items POM has already carried out are recorded
//! once this way, instead of the items being done again by the next claim.

use std::future::Future;
use std::time::Duration;

use crate::error::database_unavailable;

/// The first wait before trying again; it doubles up to [`LONGEST_WAIT`].
const FIRST_WAIT: Duration = Duration::from_millis(250);
/// Each try while Postgres is down already waits the pool's acquire timeout, so this is a bound on
/// the pause between them, not on how fast OCM notices the database is back.
const LONGEST_WAIT: Duration = Duration::from_secs(5);

/// Runs `attempt` until it succeeds, fails for a reason other than an unreachable database, or
/// `give_up()` (asked after each failure) says to stop; then answers its last result. `what` names
/// the write in the log: one warning when the outage starts, one line when it ends.
pub async fn retry_while_unavailable<T, F, Fut>(
    what: &str,
    give_up: impl Fn() -> bool,
    mut attempt: F,
) -> Result<T, sqlx::Error>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, sqlx::Error>>,
{
    let mut wait = FIRST_WAIT;
    let mut failures = 0u32;
    loop {
        match attempt().await {
            Err(error) if database_unavailable(&error) && !give_up() => {
                if failures == 0 {
                    tracing::warn!(error = %error, "{what}: the database is unavailable; trying again until it is back");
                }
                failures += 1;
                tokio::time::sleep(wait).await;
                wait = (wait * 2).min(LONGEST_WAIT);
            }
            result => {
                if failures > 0 && result.is_ok() {
                    tracing::info!(failures, "{what}: the database is back");
                }
                return result;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicU32, Ordering};

    use super::*;

    #[tokio::test]
    async fn an_unreachable_database_is_waited_for_and_other_failures_are_not() {
        let tries = AtomicU32::new(0);
        let written = retry_while_unavailable(
            "test",
            || false,
            || async {
                match tries.fetch_add(1, Ordering::Relaxed) {
                    0 => Err(sqlx::Error::PoolTimedOut),
                    _ => Ok(7),
                }
            },
        )
        .await;
        assert_eq!(written.unwrap(), 7);
        assert_eq!(tries.load(Ordering::Relaxed), 2);

        let tries = AtomicU32::new(0);
        let failed = retry_while_unavailable(
            "test",
            || false,
            || async {
                tries.fetch_add(1, Ordering::Relaxed);
                Err::<(), _>(sqlx::Error::RowNotFound)
            },
        )
        .await;
        assert!(matches!(failed, Err(sqlx::Error::RowNotFound)));
        assert_eq!(tries.load(Ordering::Relaxed), 1);
    }

    #[tokio::test]
    async fn giving_up_answers_the_outage() {
        let given_up = retry_while_unavailable(
            "test",
            || true,
            || async { Err::<(), _>(sqlx::Error::PoolTimedOut) },
        )
        .await;
        assert!(matches!(given_up, Err(sqlx::Error::PoolTimedOut)));
    }
}
