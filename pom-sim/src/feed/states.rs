//! The `agent_state` record: an agent's state from the moment it changes (POM's
//! `AGTStateChangedNotify`), so a reader knows what every agent is doing now; `agent_interval`
//! gives the same time once each state ends.

use serde::{Deserialize, Serialize};

/// An agent entering a state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgentState {
    pub organization: String,
    pub agent_id: String,
    pub team: String,
    /// `ready`, `preview`, `talking`, `wrap_up`, `pending_not_ready`, `not_ready` (as
    /// `agent_interval` has them) or `logged_out`.
    pub state: String,
    /// POM's numeric reason code of `not_ready`, and its name.
    pub aux_code: Option<u32>,
    pub aux_reason: Option<String>,
    /// When the agent entered the state.
    pub at: String,
    /// The job the agent is attached to (`AGTJobAttached`), with its campaign.
    pub job_id: Option<i64>,
    pub campaign: Option<String>,
}
