//! Preview dialling (seed 004, "Preview Campaigns"): the agent sees the contact before the call
//! and dials it (`AGTPreviewDial`) or cancels it with a completion code (`AGTPreviewCancel`). A
//! timed preview dials by itself when its time runs out; a non-timed one waits for the agent.
//! Callbacks reach agents the same way, whatever the campaign's type.

use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::super::feed::FeedRecord;
use super::super::world::World;
use super::agents::{interval, About, AgentPool};
use super::calls::CallPlan;
use super::launch::{Dial, Outcome};
use super::JobRun;

/// What the agent does with a preview.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// The call is placed at `at` (by the agent, or by the timer of a timed preview).
    Dial { at: i64 },
    /// The agent cancels at `at` with `code` and wraps up until `wrap_end`.
    Cancel {
        at: i64,
        code: String,
        wrap_end: i64,
    },
}

/// Cancel codes, the first one the campaign has (POM wants a completion code on a cancel).
const CANCEL_CODES: [&str; 2] = ["WRONG_NUMBER", "NSP"];
const CANCEL_FALLBACK: &str = "Preview_Cancelled";

/// The system code and result of a cancelled preview (no call was placed).
pub const CANCELLED_CODE: &str = "Preview_Cancelled";
pub const CANCELLED_RESULT: &str = "preview_cancelled";

/// The longest an agent looks at a preview before dialling or cancelling it.
pub const LONGEST_MS: i64 = 90_000;

/// The agent's decision on a preview shown at `t`; `timed` is the preview time limit in
/// seconds (none: the agent has all the time it wants).
pub fn decide(rng: &mut ChaCha8Rng, timed: Option<i64>, codes: &[String], t: i64) -> Decision {
    let thinking = rng.gen_range(3_000..LONGEST_MS);
    let limit = timed.map(|seconds| seconds.max(1) * 1000);
    if let Some(limit) = limit.filter(|l| thinking >= *l) {
        return Decision::Dial { at: t + limit };
    }
    let at = t + thinking;
    if rng.gen_range(0..100) < 6 {
        let code = CANCEL_CODES
            .iter()
            .find(|c| codes.iter().any(|have| have == *c))
            .copied()
            .unwrap_or(CANCEL_FALLBACK);
        return Decision::Cancel {
            at,
            code: code.to_string(),
            wrap_end: at + rng.gen_range(5_000..15_000),
        };
    }
    Decision::Dial { at }
}

impl AgentPool {
    /// Agent `index` previewed the call `session_id` over `span` without talking to anyone (the
    /// call was not answered, or the agent cancelled and wrapped up until `wrap_end`).
    pub fn previewed(
        &mut self,
        index: usize,
        (organization, session_id): (&str, &str),
        (from, until): (i64, i64),
        wrap_end: Option<i64>,
    ) -> Vec<(i64, FeedRecord)> {
        let agent = &mut self.agents[index];
        let on_call = About {
            session_id: Some(session_id),
            direction: Some("outbound"),
            ..About::default()
        };
        let mut intervals = Vec::new();
        if from > agent.ready_since_ms {
            let span = (agent.ready_since_ms, from);
            intervals.push(interval(
                organization,
                agent,
                "ready",
                span,
                About::default(),
            ));
        }
        intervals.push(interval(
            organization,
            agent,
            "preview",
            (from, until),
            on_call,
        ));
        let mut free = until;
        if let Some(end) = wrap_end.filter(|end| *end > until) {
            intervals.push(interval(
                organization,
                agent,
                "wrap_up",
                (until, end),
                on_call,
            ));
            free = end;
        }
        agent.free_at_ms = free;
        agent.ready_since_ms = free;
        intervals
    }
}

impl World {
    /// The agent cancelled the preview at `at` with `code` and wrapped up until `wrap_end`:
    /// an attempt without a call, and the contact is done with.
    pub(super) fn cancel_preview(
        &mut self,
        run: &mut JobRun,
        dial: &Dial<'_>,
        agent: usize,
        (from, at, wrap_end): (i64, i64, i64),
        code: &str,
    ) {
        let organization = dial.campaign.organization.as_str();
        let Some(pool) = self.dialer.pools.get_mut(organization) else {
            return;
        };
        let call = (organization, dial.session_id.as_str());
        let records = pool.previewed(agent, call, (from, at), Some(wrap_end));
        let who = &pool.agents[agent];
        let outcome = Outcome {
            agent_id: Some(who.id.clone()),
            team: Some(who.team.clone()),
            agent_code: Some(code.to_string()),
            sys_code: CANCELLED_CODE.to_string(),
            connect_at: None,
            end: at,
            talk_ms: 0,
            wrap_ms: wrap_end - at,
            nuisance: None,
        };
        let plan = CallPlan::cancelled(at);
        run.stats.previews_cancelled += 1;
        self.settle(run, dial, &plan, (&outcome, records), from);
    }
}

#[cfg(test)]
mod tests {
    use super::super::calls::rng_for;
    use super::*;

    #[test]
    fn timed_previews_dial_at_the_limit_and_some_are_cancelled() {
        let codes = vec!["NSP".to_string()];
        let decisions: Vec<Decision> = (0..1_000u32)
            .map(|i| decide(&mut rng_for(&[&i.to_le_bytes()]), Some(20), &codes, 0))
            .collect();
        let at_limit = decisions
            .iter()
            .filter(|d| **d == Decision::Dial { at: 20_000 })
            .count();
        assert!(at_limit > 500, "{at_limit} dialled by the timer");
        let cancels: Vec<&Decision> = decisions
            .iter()
            .filter(|d| matches!(d, Decision::Cancel { .. }))
            .collect();
        assert!(!cancels.is_empty());
        assert!(cancels.iter().all(|d| matches!(d,
            Decision::Cancel { at, code, wrap_end } if *at < 20_000 && code == "NSP" && wrap_end > at)));
        let untimed = decide(&mut rng_for(&[b"x"]), None, &[], 0);
        assert!(
            matches!(untimed, Decision::Dial { at } if at >= 3_000)
                || matches!(untimed, Decision::Cancel { ref code, .. } if code == CANCEL_FALLBACK)
        );
    }
}
