//! Latency that rises with load, for the adaptive-speed benchmarks: with a rule set, every call
//! waits `base_ms`, plus `per_call_ms` for each call in flight beyond `knee` (counted across all
//! clients), as a POM past its capacity queues work. `/__sim/load` sets (POST), clears (DELETE)
//! and reads (GET: calls in flight now and at most) it.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};

use crate::Sim;

/// How latency grows with the calls in flight.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub struct LoadRule {
    pub base_ms: u64,
    pub knee: usize,
    pub per_call_ms: u64,
}

/// The rule and the calls in flight.
#[derive(Debug, Default)]
pub struct Load {
    rule: Mutex<Option<LoadRule>>,
    flying: AtomicUsize,
    peak: AtomicUsize,
}

/// One call in flight, until dropped.
pub struct Flying<'a>(&'a Load);

impl Drop for Flying<'_> {
    fn drop(&mut self) {
        self.0.flying.fetch_sub(1, Ordering::SeqCst);
    }
}

impl Load {
    /// Counts a call in flight and says how long it waits (none without a rule).
    pub fn enter(&self) -> (Flying<'_>, Option<Duration>) {
        let now = self.flying.fetch_add(1, Ordering::SeqCst) + 1;
        self.peak.fetch_max(now, Ordering::SeqCst);
        let rule = *self.rule.lock().unwrap_or_else(|p| p.into_inner());
        let wait = rule.map(|rule| {
            let beyond = now.saturating_sub(rule.knee) as u64;
            Duration::from_millis(
                rule.base_ms
                    .saturating_add(rule.per_call_ms.saturating_mul(beyond)),
            )
        });
        (Flying(self), wait)
    }
}

impl Load {
    /// No rule any more (a reset of the simulator).
    pub fn clear(&self) {
        *self.rule.lock().unwrap_or_else(|p| p.into_inner()) = None;
        self.peak.store(0, Ordering::SeqCst);
    }
}

/// What GET answers.
#[derive(Serialize)]
struct Figures {
    rule: Option<LoadRule>,
    in_flight: usize,
    peak: usize,
}

async fn read(State(sim): State<Arc<Sim>>) -> Json<Figures> {
    let load = &sim.load;
    Json(Figures {
        rule: *load.rule.lock().unwrap_or_else(|p| p.into_inner()),
        in_flight: load.flying.load(Ordering::SeqCst),
        peak: load.peak.load(Ordering::SeqCst),
    })
}

async fn set(State(sim): State<Arc<Sim>>, Json(rule): Json<LoadRule>) -> Response {
    *sim.load.rule.lock().unwrap_or_else(|p| p.into_inner()) = Some(rule);
    sim.load.peak.store(0, Ordering::SeqCst);
    StatusCode::NO_CONTENT.into_response()
}

async fn clear(State(sim): State<Arc<Sim>>) -> Response {
    sim.load.clear();
    StatusCode::NO_CONTENT.into_response()
}

pub(crate) fn routes() -> Router<Arc<Sim>> {
    Router::new().route("/__sim/load", get(read).post(set).delete(clear))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latency_grows_past_the_knee_and_calls_are_counted_until_they_end() {
        let load = Load::default();
        assert_eq!(load.enter().1, None, "no rule: no wait");
        *load.rule.lock().unwrap() = Some(LoadRule {
            base_ms: 20,
            knee: 2,
            per_call_ms: 5,
        });
        let (first, wait) = load.enter();
        assert_eq!(wait, Some(Duration::from_millis(20)));
        let (_second, _) = load.enter();
        let (_third, wait) = load.enter();
        assert_eq!(wait, Some(Duration::from_millis(25)));
        drop(first);
        let (_, wait) = load.enter();
        assert_eq!(wait, Some(Duration::from_millis(25)), "the first ended");
        assert_eq!(load.peak.load(Ordering::SeqCst), 3);
    }
}
