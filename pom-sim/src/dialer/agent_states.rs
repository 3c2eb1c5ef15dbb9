//! `agent_state` records: an agent entering a state, published at that moment, beside the
//! intervals published when each state ends.

use super::super::feed::{iso, AgentState, FeedRecord};
use super::agents::{interval, About, Agent};
use super::calls::aux_code;

/// `agent` enters `state` at `at` (`not_ready` with its reason), attached to its current job.
pub fn entered(
    organization: &str,
    agent: &Agent,
    state: &str,
    at: i64,
    aux_reason: Option<&str>,
) -> (i64, FeedRecord) {
    let job = agent.job.as_ref();
    (
        at,
        FeedRecord::AgentState(AgentState {
            organization: organization.to_string(),
            agent_id: agent.id.clone(),
            team: agent.team.clone(),
            state: state.to_string(),
            aux_code: aux_reason.and_then(aux_code),
            aux_reason: aux_reason.map(str::to_string),
            at: iso(at),
            job_id: job.map(|j| j.job_id),
            campaign: job.map(|j| j.campaign.clone()),
        }),
    )
}

/// The interval of `state` over `span` (published at its end) and the agent's entering it
/// (published at its start).
pub fn with_entry(
    organization: &str,
    agent: &Agent,
    state: &str,
    span: (i64, i64),
    about: About<'_>,
) -> [(i64, FeedRecord); 2] {
    [
        interval(organization, agent, state, span, about),
        entered(organization, agent, state, span.0, about.aux_reason),
    ]
}
