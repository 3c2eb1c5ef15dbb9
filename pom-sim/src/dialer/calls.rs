//! What happens on one call, drawn from a random source seeded per (job, contact, attempt) so a
//! run is the same for the same seed: result, timings, the agent's talk and wrap-up, the
//! completion code, an agent going AUX, and the callback arranged.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// System completion codes for calls that did not reach an agent.
pub const NUISANCE_CODE: &str = "Nuisance_Call";
pub const AUX_REASONS: [&str; 5] = ["Break", "Lunch", "Training", "Coaching", "Personal"];

/// POM's numeric reason code of an AUX reason name (1 for `Break`, …).
pub fn aux_code(reason: &str) -> Option<u32> {
    AUX_REASONS
        .iter()
        .position(|r| *r == reason)
        .and_then(|i| u32::try_from(i + 1).ok())
}
const CALLBACK_TYPES: [&str; 3] = ["standard", "agent_owned", "campaign"];

/// The random part of one call; times in simulated milliseconds.
#[derive(Debug, Clone, PartialEq)]
pub struct CallPlan {
    /// `answer_human`, `answer_machine`, `busy`, `no_answer`, `failed`, `fax` (or
    /// `preview_cancelled` when no call was placed).
    pub result: &'static str,
    pub ringback_at: Option<i64>,
    /// When the line was answered (human, machine or fax).
    pub answered_at: Option<i64>,
    /// When the call ends if no agent talks.
    pub end_at: i64,
    pub talk_ms: i64,
    pub wrap_ms: i64,
    /// The agent's completion code for a human answer.
    pub agent_code: String,
    /// Not ready after wrap-up: (reason, milliseconds).
    pub aux_after: Option<(&'static str, i64)>,
    /// The agent was going AUX as the predictive call connected: a nuisance call.
    pub aux_at_connect: bool,
    /// (type, due milliseconds after the call) when the code is `CALLBACK`.
    pub callback: Option<(&'static str, i64)>,
}

impl CallPlan {
    /// A preview the agent cancelled at `at`: no call, nothing to retry.
    pub fn cancelled(at: i64) -> Self {
        CallPlan {
            result: super::preview::CANCELLED_RESULT,
            ringback_at: None,
            answered_at: None,
            end_at: at,
            talk_ms: 0,
            wrap_ms: 0,
            agent_code: String::new(),
            aux_after: None,
            aux_at_connect: false,
            callback: None,
        }
    }
}

/// A deterministic random source for `parts` (FNV-1a over them, then ChaCha8).
pub fn rng_for(parts: &[&[u8]]) -> ChaCha8Rng {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for byte in part.iter().chain(&[0xff]) {
            hash ^= u64::from(*byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    ChaCha8Rng::seed_from_u64(hash)
}

/// The system completion code for a result without an agent conversation.
pub fn system_code(result: &str) -> &'static str {
    match result {
        "answer_machine" => "Answer_Machine",
        "busy" => "Busy",
        "no_answer" => "Ring_No_Answer",
        "fax" => "Fax_Machine",
        _ => "Call_Failed",
    }
}

/// Whether a call with this result or code is tried again (attempts permitting).
pub fn retryable(result: &str, code: &str) -> bool {
    matches!(result, "answer_machine" | "busy" | "no_answer" | "failed") || code == NUISANCE_CODE
}

fn weighted<'a>(rng: &mut ChaCha8Rng, choices: &[(&'a str, u32)]) -> &'a str {
    let total: u32 = choices.iter().map(|(_, w)| w).sum();
    let mut pick = rng.gen_range(0..total.max(1));
    for (choice, weight) in choices {
        if pick < *weight {
            return choice;
        }
        pick -= weight;
    }
    choices.last().map(|(c, _)| *c).unwrap_or("failed")
}

fn code_weight(code: &str) -> u32 {
    match code {
        "NO_SALE" => 35,
        "SALE" => 20,
        "CALLBACK" => 15,
        "NSP" | "CM_NTC" => 8,
        "WRONG_NUMBER" => 6,
        "DNCREQ" => 4,
        _ => 5,
    }
}

/// Draws a call launched at `t` for a campaign with `codes` (its custom completion codes).
pub fn plan(rng: &mut ChaCha8Rng, codes: &[String], t: i64) -> CallPlan {
    let result = weighted(
        rng,
        &[
            ("answer_human", 40),
            ("answer_machine", 15),
            ("busy", 10),
            ("no_answer", 25),
            ("failed", 5),
            ("fax", 5),
        ],
    );
    let ringback_at = t + rng.gen_range(800..3_000);
    let (ringback_at, answered_at, end_at) = match result {
        "failed" => (None, None, t + rng.gen_range(500..4_000)),
        "busy" => (
            Some(ringback_at),
            None,
            ringback_at + rng.gen_range(1_000..3_000),
        ),
        "no_answer" => (
            Some(ringback_at),
            None,
            ringback_at + rng.gen_range(20_000..35_000),
        ),
        _ => {
            let answered = ringback_at + rng.gen_range(3_000..20_000);
            let line = if result == "fax" {
                4_000..8_000
            } else {
                10_000..40_000
            };
            (
                Some(ringback_at),
                Some(answered),
                answered + rng.gen_range(line),
            )
        }
    };
    let talk_ms = rng.gen_range(30_000..240_000);
    let wrap_ms = rng.gen_range(5_000..40_000);
    let weights: Vec<(&str, u32)> = codes.iter().map(|c| (c.as_str(), code_weight(c))).collect();
    let agent_code = if weights.is_empty() {
        "Answer_Human".to_string()
    } else {
        weighted(rng, &weights).to_string()
    };
    let aux_after = (rng.gen_range(0..100) < 8).then(|| {
        (
            AUX_REASONS[rng.gen_range(0..AUX_REASONS.len())],
            rng.gen_range(120_000..900_000),
        )
    });
    let aux_at_connect = rng.gen_range(0..100) < 1;
    let callback_type = CALLBACK_TYPES[rng.gen_range(0..CALLBACK_TYPES.len())];
    let due_after = rng.gen_range(4..=192) * 15 * 60_000;
    CallPlan {
        result,
        ringback_at,
        answered_at,
        end_at,
        talk_ms,
        wrap_ms,
        callback: (agent_code == "CALLBACK").then_some((callback_type, due_after)),
        agent_code,
        aux_after,
        aux_at_connect,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_parts_give_the_same_call() {
        let codes = vec!["SALE".to_string(), "CALLBACK".to_string()];
        let a = plan(&mut rng_for(&[b"1", b"job", b"c1"]), &codes, 1_000);
        let b = plan(&mut rng_for(&[b"1", b"job", b"c1"]), &codes, 1_000);
        assert_eq!(a, b);
        assert!(a.end_at > 1_000);
        assert!(a.ringback_at.is_none_or(|r| r <= a.end_at));
    }

    #[test]
    fn outcomes_are_spread_and_callbacks_follow_the_code() {
        let codes = vec!["SALE".to_string(), "CALLBACK".to_string()];
        let plans: Vec<CallPlan> = (0..2_000u32)
            .map(|i| plan(&mut rng_for(&[&i.to_le_bytes()]), &codes, 0))
            .collect();
        for result in [
            "answer_human",
            "answer_machine",
            "busy",
            "no_answer",
            "failed",
            "fax",
        ] {
            let n = plans.iter().filter(|p| p.result == result).count();
            assert!(n > 50, "{result}: {n}");
        }
        assert!(plans
            .iter()
            .all(|p| p.callback.is_some() == (p.agent_code == "CALLBACK")));
    }
}
