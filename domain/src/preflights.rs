//! Pre-flights in flight. Reading a file takes its bytes, the rows held back to detect its layout
//! and its unique values, so at most `OCM_PREFLIGHT_PARALLEL` files are read at once. Others
//! wait their turn, at most [`MAX_WAITING`] of them for at most [`QUEUE_WAIT`]; past that the
//! user is told OCM is busy (503 with `Retry-After`) and nothing is stored. Each pre-flight runs
//! on a blocking thread with a [`Cancel`] flag raised at shutdown, or when its caller stops
//! waiting, so a pre-flight never keeps OCM from exiting.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Semaphore;
use tokio_util::sync::CancellationToken;

use super::tabular::Cancel;
use crate::error::AppError;

/// How long an upload waits for a free slot before OCM says it is busy.
pub const QUEUE_WAIT: Duration = Duration::from_secs(60);
/// How many uploads may wait at once (each holds its file meanwhile).
pub const MAX_WAITING: usize = 8;
/// What a busy answer asks the browser to wait before trying again.
pub const RETRY_AFTER_SECS: u64 = 60;
/// How long a cancelled pre-flight may take to notice before its caller stops waiting for it.
const CANCEL_GRACE: Duration = Duration::from_secs(2);

/// The pre-flight slots; clones share them.
#[derive(Clone)]
pub struct Preflights {
    slots: Arc<Semaphore>,
    parallel: usize,
    waiting: Arc<AtomicUsize>,
    /// Cancelled at shutdown.
    closing: CancellationToken,
}

/// Raises the flag when the caller stops waiting (its request was dropped).
struct CancelOnDrop(Cancel);

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        self.0.cancel();
    }
}

/// Counts a waiting caller while it waits.
struct Waiting(Arc<AtomicUsize>);

impl Drop for Waiting {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
    }
}

impl Preflights {
    /// `parallel` slots (at least one); `closing` is cancelled at shutdown.
    pub fn new(parallel: usize, closing: CancellationToken) -> Self {
        let parallel = parallel.max(1);
        Preflights {
            slots: Arc::new(Semaphore::new(parallel)),
            parallel,
            waiting: Arc::default(),
            closing,
        }
    }

    /// Runs `work` on a blocking thread once a slot is free, waiting at most [`QUEUE_WAIT`]
    /// (uploads and their re-checks, where a person waits for the answer).
    pub async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce(Cancel) -> T + Send + 'static,
    ) -> Result<T, AppError> {
        self.gated(Some(QUEUE_WAIT), work).await
    }

    /// Runs `work` once a slot is free, however long that takes (background jobs).
    pub async fn run_queued<T: Send + 'static>(
        &self,
        work: impl FnOnce(Cancel) -> T + Send + 'static,
    ) -> Result<T, AppError> {
        self.gated(None, work).await
    }

    async fn gated<T: Send + 'static>(
        &self,
        wait: Option<Duration>,
        work: impl FnOnce(Cancel) -> T + Send + 'static,
    ) -> Result<T, AppError> {
        let permit = match self.slots.clone().try_acquire_owned() {
            Ok(permit) => permit,
            Err(_) => {
                if wait.is_some() && self.waiting.fetch_add(1, Ordering::Relaxed) >= MAX_WAITING {
                    self.waiting.fetch_sub(1, Ordering::Relaxed);
                    return Err(self.busy());
                }
                let _waiting = wait.map(|_| Waiting(self.waiting.clone()));
                let acquire = self.slots.clone().acquire_owned();
                let limit = tokio::time::sleep(wait.unwrap_or(Duration::MAX));
                tokio::select! {
                    permit = acquire => permit.map_err(|e| crate::error::internal(&e))?,
                    () = limit => return Err(self.busy()),
                    () = self.closing.cancelled() => return Err(shutting_down()),
                }
            }
        };
        let cancel = Cancel::default();
        let guard = CancelOnDrop(cancel.clone());
        let flag = cancel.clone();
        let mut task = tokio::task::spawn_blocking(move || {
            let _permit = permit;
            work(flag)
        });
        let done = tokio::select! {
            done = &mut task => done,
            () = self.closing.cancelled() => {
                cancel.cancel();
                // Work that does not look at the flag (inside calamine) is left behind rather
                // than waited for: the runtime's shutdown deadline ends it.
                match tokio::time::timeout(CANCEL_GRACE, &mut task).await {
                    Ok(done) => done,
                    Err(_) => return Err(shutting_down()),
                }
            }
        };
        drop(guard);
        if self.closing.is_cancelled() {
            return Err(shutting_down());
        }
        done.map_err(|e| crate::error::internal(&e))
    }

    fn busy(&self) -> AppError {
        AppError::Busy {
            message: format!(
                "OCM is checking {} other files at the moment (OCM_PREFLIGHT_PARALLEL) and \
                 yours could not get its turn within {} seconds, so it was not read and nothing \
                 was stored. Send it again in a minute.",
                self.parallel,
                QUEUE_WAIT.as_secs()
            ),
            retry_after_secs: RETRY_AFTER_SECS,
        }
    }
}

fn shutting_down() -> AppError {
    AppError::Busy {
        message: "OCM is shutting down, so the file was not read and nothing was stored. Send it \
                  again once OCM is back."
            .into(),
        retry_after_secs: RETRY_AFTER_SECS,
    }
}

#[cfg(test)]
mod tests {
    use std::time::Instant;

    use super::*;

    /// Work that runs until cancelled, as a pre-flight of a huge file would.
    fn endless(cancel: Cancel) -> bool {
        while !cancel.is_cancelled() {
            std::thread::sleep(Duration::from_millis(5));
        }
        true
    }

    #[tokio::test]
    async fn a_running_preflight_stops_promptly_at_shutdown() {
        let closing = CancellationToken::new();
        let gate = Preflights::new(1, closing.clone());
        let running = tokio::spawn({
            let gate = gate.clone();
            async move { gate.run(endless).await }
        });
        tokio::time::sleep(Duration::from_millis(50)).await;
        let start = Instant::now();
        closing.cancel();
        let answer = tokio::time::timeout(Duration::from_secs(2), running)
            .await
            .expect("the pre-flight stops within 2 s")
            .unwrap();
        assert!(matches!(answer, Err(AppError::Busy { .. })), "{answer:?}");
        assert!(start.elapsed() < Duration::from_secs(1));
    }

    #[tokio::test]
    async fn preflights_beyond_the_slots_wait_and_too_many_waiting_are_told_busy() {
        let gate = Preflights::new(1, CancellationToken::new());
        let release = Cancel::default();
        let held = tokio::spawn({
            let (gate, release) = (gate.clone(), release.clone());
            async move { gate.run(move |_| endless(release)).await }
        });
        tokio::time::sleep(Duration::from_millis(50)).await;
        let mut waiting = Vec::new();
        for _ in 0..MAX_WAITING {
            let gate = gate.clone();
            waiting.push(tokio::spawn(async move { gate.run(|_| 7).await }));
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
        let refused = gate.run(|_| 0).await;
        assert!(
            matches!(&refused, Err(AppError::Busy { message, .. }) if message.contains("1 other")),
            "{refused:?}"
        );
        release.cancel();
        assert!(held.await.unwrap().unwrap());
        for queued in waiting {
            assert_eq!(queued.await.unwrap().unwrap(), 7);
        }
    }

    #[tokio::test]
    async fn a_dropped_caller_cancels_its_preflight() {
        let gate = Preflights::new(1, CancellationToken::new());
        let seen = Cancel::default();
        let call = {
            let (gate, seen) = (gate.clone(), seen.clone());
            tokio::spawn(async move {
                gate.run(move |cancel| {
                    endless(cancel);
                    seen.cancel();
                })
                .await
            })
        };
        tokio::time::sleep(Duration::from_millis(50)).await;
        call.abort();
        let start = Instant::now();
        while !seen.is_cancelled() && start.elapsed() < Duration::from_secs(2) {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        assert!(seen.is_cancelled(), "the work saw the cancel flag");
        assert_eq!(gate.run(|_| 1).await.unwrap(), 1, "and gave its slot back");
    }
}
