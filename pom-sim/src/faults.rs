//! Fault injection for tests and benchmarks: per-endpoint latency, and a share of calls that fail
//! with an HTTP 5xx, hang past any sensible timeout, or answer with a malformed body. Which calls
//! fail is deterministic (a hash of the endpoint's call count), so a test run repeats exactly.

use serde::{Deserialize, Serialize};

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
