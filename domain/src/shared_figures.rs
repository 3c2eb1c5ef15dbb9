//! Figures worked out once per key (an organization) per interval however many pages and
//! streams read them: one reader works them out while the others wait for its answer, and a
//! failure is kept as long as figures are, so a struggling database is not asked again by every
//! reader. The floor dashboard and the live callback dashboard keep theirs here.

use std::collections::HashMap;
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::error::AppError;

type Slot<T> = Arc<tokio::sync::Mutex<Option<(Instant, Result<Arc<T>, AppError>)>>>;

/// The last figures per key with when they were worked out.
pub struct SharedFigures<T> {
    slots: Mutex<HashMap<String, Slot<T>>>,
    computed: AtomicU64,
    every: Duration,
    takes_at_most: Duration,
    /// What readers are told when a working-out takes longer than `takes_at_most`.
    too_long: &'static str,
}

impl<T> SharedFigures<T> {
    pub fn new(every: Duration, takes_at_most: Duration, too_long: &'static str) -> Self {
        SharedFigures {
            slots: Mutex::default(),
            computed: AtomicU64::new(0),
            every,
            takes_at_most,
            too_long,
        }
    }

    /// How many times figures were worked out since start (for tests and benchmarks).
    pub fn computations(&self) -> u64 {
        self.computed.load(Ordering::Relaxed)
    }

    fn slot(&self, key: &str) -> Slot<T> {
        self.slots
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .entry(key.to_string())
            .or_default()
            .clone()
    }

    /// The figures of `key`, worked out by `compute` when older than the interval. Callers check
    /// the key first (a known organization): every key keeps a slot.
    pub async fn get<F, Fut>(&self, key: &str, compute: F) -> Result<Arc<T>, AppError>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<T, AppError>>,
    {
        let slot = self.slot(key);
        let mut held = slot.lock().await;
        if let Some((at, figures)) = held.as_ref() {
            if at.elapsed() < self.every {
                return figures.clone();
            }
        }
        let figures = match tokio::time::timeout(self.takes_at_most, compute()).await {
            Ok(worked_out) => worked_out.map(Arc::new),
            Err(_) => Err(AppError::ExternalService(self.too_long.into())),
        };
        self.computed.fetch_add(1, Ordering::Relaxed);
        *held = Some((Instant::now(), figures.clone()));
        figures
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn figures_are_worked_out_once_per_interval_and_failures_kept() {
        let shared =
            SharedFigures::<u32>::new(Duration::from_secs(60), Duration::from_secs(1), "slow");
        let readers = (0..8).map(|_| shared.get("Sales", || async { Ok(7) }));
        for answer in futures::future::join_all(readers).await {
            assert_eq!(*answer.unwrap(), 7);
        }
        assert_eq!(shared.computations(), 1, "eight readers, one working-out");
        let failed = shared.get("Collections", || async {
            Err(AppError::Internal("down".into()))
        });
        assert!(failed.await.is_err());
        let again = shared.get("Collections", || async { Ok(1) }).await;
        assert!(again.is_err(), "the failure is kept for the interval");
        assert_eq!(shared.computations(), 2);
    }

    #[tokio::test]
    async fn a_working_out_that_takes_too_long_is_a_plain_refusal() {
        let shared =
            SharedFigures::<u32>::new(Duration::ZERO, Duration::from_millis(10), "too slow");
        let answer = shared
            .get("Sales", || async {
                tokio::time::sleep(Duration::from_secs(5)).await;
                Ok(1)
            })
            .await;
        assert!(matches!(answer, Err(AppError::ExternalService(words)) if words == "too slow"));
    }
}
