//! The adaptive gate toward POM: how many calls one job keeps in flight, found as it runs. The
//! limit is TCP Vegas' (`tower-resilience-adaptive`, after Netflix's concurrency-limits): from
//! the fastest round trip seen (POM unloaded) and the recent smoothed latency it estimates how
//! many calls wait in POM's queue; once per round trip it grows by one while fewer than `ALPHA`
//! wait and shrinks by one when more than `BETA` do, and it halves (once a round trip) when POM
//! answers that it is overloaded (a 5xx, no answer), always between 1 and the job's ceiling
//! (`OCM_PURGE_CONCURRENCY`).
//! `docs/decisions.md` says why.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};
use std::time::Duration;

use pom::client::PomError;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tower::{Service, ServiceExt};
use tower_resilience_adaptive::{AdaptiveService, ConcurrencyAlgorithm, Vegas};

/// Calls in flight a gate starts with (seed 001's tool ran one; OCM's fixed default was 8).
pub const START: usize = 8;
/// Calls estimated waiting in POM below which the limit grows.
const ALPHA: usize = 4;
/// Calls estimated waiting in POM above which the limit shrinks.
const BETA: usize = 8;

/// How one answer counts for the limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sample {
    /// POM did the work: its time counts.
    Timed,
    /// POM failed under load (a 5xx, no answer): the limit halves.
    Overloaded,
    /// An answer that says nothing of POM's load (refused credentials, an unreadable body),
    /// often quicker than any real work: left out, so that it cannot pass for POM's unloaded speed.
    Untimed,
}

/// How an answer of OCM's POM client counts.
pub fn sample<T>(answer: &Result<T, PomError>) -> Sample {
    match answer {
        Ok(_) => Sample::Timed,
        // "Attempt in progress" is POM's considered answer, whatever status carries it.
        Err(error) if error.is_attempt_in_progress() => Sample::Timed,
        Err(error) if error.is_transient() => Sample::Overloaded,
        Err(PomError::Unauthorized | PomError::Decode { .. }) => Sample::Untimed,
        Err(_) => Sample::Timed,
    }
}

/// One job's gate. Clones share the limit and the calls in flight.
#[derive(Clone)]
pub struct Gate {
    service: AdaptiveService<Verdict, PerRoundTrip>,
}

impl Gate {
    /// A gate that never lets more than `ceiling` calls fly at once.
    pub fn new(ceiling: usize) -> Gate {
        let ceiling = ceiling.max(1);
        Gate {
            service: AdaptiveService::new(Verdict, Arc::new(algorithm(ceiling))),
        }
    }

    /// Calls it lets fly at once now.
    pub fn limit(&self) -> usize {
        self.service.limit()
    }

    /// Waits for room, then asks `go` whether the call is still wanted (the job may have been
    /// stopped meanwhile: `None`, nothing sent), makes the call and tells the gate how long it
    /// took and how `judge` counts its answer. The call runs in a task of its own, so that its
    /// time is POM's, not that of the caller busy elsewhere (writing a chunk to the database);
    /// dropping the returned future aborts it.
    pub async fn admit<T, F>(
        &self,
        go: impl FnOnce() -> bool,
        call: impl FnOnce() -> F,
        judge: fn(&T) -> Sample,
    ) -> Option<T>
    where
        F: Future<Output = T> + Send + 'static,
        T: Send + 'static,
    {
        let mut service = self.service.clone();
        // It never fails: the gate's semaphore is never closed.
        service.ready().await.ok()?;
        if !go() {
            return None;
        }
        let (tell, heard) = oneshot::channel();
        // The library times from here to when its future has heard the verdict.
        let timed = service.call(heard);
        let call = call();
        let task = Aborting(tokio::spawn(async move {
            let answer = call.await;
            match judge(&answer) {
                Sample::Untimed => drop(timed),
                sample => {
                    let _ = tell.send(sample == Sample::Overloaded);
                    let _ = timed.await;
                }
            }
            answer
        }));
        match task.await {
            Ok(answer) => Some(answer),
            Err(error) if error.is_panic() => std::panic::resume_unwind(error.into_panic()),
            Err(_) => None,
        }
    }
}

/// A task aborted when its handle is dropped, as the future it replaces would have been.
struct Aborting<T>(JoinHandle<T>);

impl<T> Future for Aborting<T> {
    type Output = Result<T, tokio::task::JoinError>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        Pin::new(&mut self.0).poll(cx)
    }
}

impl<T> Drop for Aborting<T> {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// The limit's algorithm for a gate of `ceiling` (at least 1).
fn algorithm(ceiling: usize) -> PerRoundTrip {
    let vegas = Vegas::builder()
        .initial_limit(START.min(ceiling))
        .min_limit(1)
        .max_limit(ceiling)
        .alpha(ALPHA)
        .beta(BETA)
        .build()
        .expect("1 ≤ ceiling");
    PerRoundTrip {
        vegas,
        round: Mutex::new(Round::default()),
    }
}

/// Vegas fed once per round trip, as TCP Vegas is: the mean of as many answers as the limit
/// lets fly. The library's Vegas moves by one on every answer, so a job with 20 in flight
/// moved it by 20 before its own change could show in the latency, and swung between 2 and 29
/// in flight against a POM whose capacity was 16 (`docs/performance.md`).
/// Overload halves the limit once a round trip too, as TCP does: eight calls failing together
/// are one sign, not three halvings.
struct PerRoundTrip {
    vegas: Vegas,
    /// The round trip under way. Vegas is changed only under this lock.
    round: Mutex<Round>,
}

/// Answers since the round began: the timed ones' latency summed, and whether it halved.
#[derive(Default)]
struct Round {
    latency: Duration,
    timed: u32,
    answers: usize,
    halved: bool,
    /// Answers the round spans when not the limit's: after a halving, the calls already in
    /// flight under the old limit, whose failures are the same sign.
    length: Option<usize>,
}

impl PerRoundTrip {
    fn round(&self) -> std::sync::MutexGuard<'_, Round> {
        self.round.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Counts an answer; a round complete after as many as the limit lets fly ends, fed to
    /// Vegas when it was all under one limit.
    fn answered(&self, round: &mut Round) {
        round.answers += 1;
        if round.answers < round.length.unwrap_or_else(|| self.vegas.limit()) {
            return;
        }
        if round.timed > 0 && !round.halved {
            self.vegas.record_success(round.latency / round.timed);
        }
        *round = Round::default();
    }
}

impl ConcurrencyAlgorithm for PerRoundTrip {
    fn record_success(&self, latency: Duration) {
        let mut round = self.round();
        round.latency += latency;
        round.timed += 1;
        self.answered(&mut round);
    }

    fn record_failure(&self) {
        let mut round = self.round();
        if !round.halved {
            let in_flight = self.vegas.limit();
            self.vegas.record_failure();
            *round = Round {
                halved: true,
                length: Some(in_flight),
                ..Round::default()
            };
        }
        self.answered(&mut round);
    }

    fn record_dropped(&self) {
        self.vegas.record_dropped();
    }

    fn limit(&self) -> usize {
        self.vegas.limit()
    }

    fn min_limit(&self) -> usize {
        self.vegas.min_limit()
    }

    fn max_limit(&self) -> usize {
        self.vegas.max_limit()
    }
}

/// The service the gate's library wraps: it ends with the verdict on the call it timed.
#[derive(Clone)]
struct Verdict;

/// POM was overloaded: counts as a failure for the limit.
#[derive(Debug)]
struct Overloaded;

impl Service<oneshot::Receiver<bool>> for Verdict {
    type Response = ();
    type Error = Overloaded;
    type Future = Pin<Box<dyn Future<Output = Result<(), Overloaded>> + Send>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Overloaded>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, heard: oneshot::Receiver<bool>) -> Self::Future {
        Box::pin(async move {
            match heard.await {
                Ok(true) => Err(Overloaded),
                _ => Ok(()),
            }
        })
    }
}

#[cfg(test)]
mod tests;
