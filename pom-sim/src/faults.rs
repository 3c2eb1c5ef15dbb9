//! Fault injection for tests and benchmarks: per-endpoint latency, and a share of calls that fail
//! with an HTTP 5xx, hang past any sensible timeout, answer with a malformed body, or are carried
//! out with their answer lost. Which calls fail is deterministic (a hash of the endpoint's call
//! count), so a test run repeats exactly.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

use crate::Sim;

/// How an injected failure looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FaultKind {
    /// Answer with this HTTP status and a JSON error body.
    Status(u16),
    /// Do not answer for a minute.
    Timeout,
    /// Answer 200 with a body that is not valid JSON/XML.
    Malformed,
    /// Carry the call out, then give no answer for a minute: the answer is lost on the way back.
    Lost,
}

tokio::task_local! {
    /// Set while a request is served: whether its answer is to be lost after the call took effect.
    static LOSE_ANSWER: Arc<AtomicBool>;
}

/// Middleware: holds back the answer of a call whose fault is [`FaultKind::Lost`] for a minute,
/// after the handler has carried the call out.
pub async fn lose_answers(request: Request, next: Next) -> Response {
    let lose = Arc::new(AtomicBool::new(false));
    let response = LOSE_ANSWER.scope(lose.clone(), next.run(request)).await;
    if lose.load(Ordering::Relaxed) {
        tokio::time::sleep(std::time::Duration::from_secs(60)).await;
        return StatusCode::GATEWAY_TIMEOUT.into_response();
    }
    response
}

/// A rule: which endpoint (operation name, or `*`), extra latency, and how often it fails.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FaultRule {
    pub endpoint: String,
    #[serde(default)]
    pub latency_ms: u64,
    #[serde(default)]
    pub error_rate: f64,
    #[serde(default = "default_kind")]
    pub kind: FaultKind,
}

fn default_kind() -> FaultKind {
    FaultKind::Status(500)
}

/// What to do with one call.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Decision {
    pub latency_ms: u64,
    pub failure: Option<FaultKind>,
}

/// A well-mixed number in [0, 1) from a call count (splitmix64).
fn unit(seed: u64) -> f64 {
    let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 31;
    (z >> 11) as f64 / (1u64 << 53) as f64
}

/// Decides the fate of call number `count` of `endpoint` under `rules` (the first matching rule).
pub fn decide(rules: &[FaultRule], endpoint: &str, count: u64) -> Decision {
    let rule = rules
        .iter()
        .find(|r| r.endpoint == endpoint || r.endpoint == "*");
    match rule {
        None => Decision {
            latency_ms: 0,
            failure: None,
        },
        Some(rule) => Decision {
            latency_ms: rule.latency_ms,
            failure: (unit(count) < rule.error_rate).then_some(rule.kind),
        },
    }
}

impl Sim {
    /// Counts the call and applies injected latency and failures. `Err` is the response to send
    /// instead of the real one.
    pub(crate) async fn intercept(&self, endpoint: &str) -> Result<(), Response> {
        let count = {
            let mut counters = self.counters.lock().unwrap_or_else(|p| p.into_inner());
            let count = counters.entry(endpoint.to_string()).or_default();
            *count += 1;
            *count
        };
        // In flight until this function returns: the wait is most of a call's time here.
        let (_flying, wait) = self.load.enter();
        if let Some(wait) = wait {
            tokio::time::sleep(wait).await;
        }
        let decision = {
            let rules = self.faults.lock().unwrap_or_else(|p| p.into_inner());
            if rules.is_empty() {
                return Ok(());
            }
            decide(&rules, endpoint, count)
        };
        if decision.latency_ms > 0 {
            tokio::time::sleep(std::time::Duration::from_millis(decision.latency_ms)).await;
        }
        match decision.failure {
            None => Ok(()),
            Some(FaultKind::Status(code)) => {
                let status =
                    StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
                Err((status, axum::Json(serde_json::json!({"errorCode": code.to_string(), "errorMessage": "Injected failure"}))).into_response())
            }
            Some(FaultKind::Timeout) => {
                tokio::time::sleep(std::time::Duration::from_secs(60)).await;
                Err(StatusCode::GATEWAY_TIMEOUT.into_response())
            }
            Some(FaultKind::Lost) => {
                // Outside the middleware (a unit test) there is no answer to lose.
                let _ = LOSE_ANSWER.try_with(|lose| lose.store(true, Ordering::Relaxed));
                Ok(())
            }
            Some(FaultKind::Malformed) => {
                Err((StatusCode::OK, "{\"contactBatch\": [ <<< not json").into_response())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_rate_is_honoured_deterministically() {
        let rules = [FaultRule {
            endpoint: "*".into(),
            latency_ms: 5,
            error_rate: 0.25,
            kind: FaultKind::Timeout,
        }];
        let failures = (0..10_000)
            .filter(|n| decide(&rules, "x", *n).failure.is_some())
            .count();
        assert!((2_300..2_700).contains(&failures), "{failures}");
        assert_eq!(decide(&rules, "x", 7), decide(&rules, "x", 7));
        assert_eq!(decide(&[], "x", 1).failure, None);
    }
}
