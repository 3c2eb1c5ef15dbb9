//! The agents' reasons for an active job: nobody logged in; logged in but none ready (every one
//! not ready, on a break or in wrap-up, counted by state as "Agents now" shows them); or ready
//! agents, but none on this job.

use super::{reason, JobFacts, OrgFacts};
use crate::model::{AgentsInState, IdleCause, IdleReason};
use types::words::plural;

/// States in which an agent takes or is about to take calls: one of them is enough for POM.
const WORKING: [&str; 3] = ["ready", "preview", "talking"];
/// The order the others are told in: the floor's flow from the call to away.
const AWAY: [&str; 3] = ["wrap_up", "pending_not_ready", "not_ready"];

/// One group of agents away, in words: "2 not ready (Break)", "1 in wrap-up".
fn away_words(state: &str, reason: Option<&str>, agents: i64) -> String {
    match (state, reason) {
        ("wrap_up", _) => format!("{agents} in wrap-up"),
        ("pending_not_ready", _) => format!("{agents} in wrap-up, a break asked for"),
        ("not_ready", Some(reason)) => format!("{agents} not ready ({reason})"),
        ("not_ready", None) => format!("{agents} not ready"),
        (other, _) => format!("{agents} {}", other.replace('_', " ")),
    }
}

/// "3 agents logged in, none ready: 2 not ready (Break), 1 in wrap-up.", when every agent the
/// feed reports logged in is away. None when one is ready, previewing or talking, or when the
/// feed reports no agent states (a site whose feed lacks `agent_state` is not guessed at).
fn none_ready(agents: &[AgentsInState]) -> Option<IdleReason> {
    let total: i64 = agents.iter().map(|a| a.agents).sum();
    if total == 0 || agents.iter().any(|a| WORKING.contains(&a.state.as_str())) {
        return None;
    }
    // Teams apart on the card; one count per state and reason here.
    let mut groups: Vec<(usize, &str, Option<&str>, i64)> = Vec::new();
    for group in agents {
        let rank = AWAY
            .iter()
            .position(|s| *s == group.state)
            .unwrap_or(AWAY.len());
        let key = (rank, group.state.as_str(), group.reason.as_deref());
        match groups.iter_mut().find(|g| (g.0, g.1, g.2) == key) {
            Some(found) => found.3 += group.agents,
            None => groups.push((key.0, key.1, key.2, group.agents)),
        }
    }
    // Wrap-up before breaks, then the most agents first.
    groups.sort_by(|a, b| a.0.cmp(&b.0).then(b.3.cmp(&a.3)).then(a.2.cmp(&b.2)));
    let parts: Vec<String> = groups
        .iter()
        .map(|(_, state, reason, n)| away_words(state, *reason, *n))
        .collect();
    let words = format!(
        "{} logged in, none ready: {}. POM gives calls only to ready agents.",
        plural(total, "agent", "agents"),
        parts.join(", ")
    );
    let mut found = reason(IdleCause::NoAgentsReady, Some(total), words);
    found.link = Some("#agents-now-title".into());
    Some(found)
}

/// The agents: nobody logged in, nobody ready, or nobody on this job.
pub(super) fn agent_reasons(job: &JobFacts, org: &OrgFacts, out: &mut Vec<IdleReason>) {
    if job.state != "JOB_ACTIVE" {
        return;
    }
    if org.agents_logged_in == 0 {
        out.push(reason(
            IdleCause::NoAgentsLoggedIn,
            Some(0),
            "No agent of the organization is logged in: POM has nobody to give calls to.".into(),
        ));
    } else if let Some(away) = none_ready(&org.agents_now) {
        out.push(away);
    } else if job.agents_on_job == 0 {
        out.push(reason(
            IdleCause::NoAgentsOnJob,
            Some(org.agents_logged_in),
            format!(
                "{} logged in, but none has worked on this job in the last 15 minutes: check the job's agent attachment and skills.",
                plural(org.agents_logged_in, "agent is", "agents are"),
            ),
        ));
    }
}
