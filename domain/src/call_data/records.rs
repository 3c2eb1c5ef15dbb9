//! The feed's records as OCM reads them (contract versions 2 and 3, `docs/call-data-feed.md`). Fields
//! OCM does not know are skipped and counted by the reader (`parse.rs`), so a newer feed of the
//! same version keeps flowing.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;
use time::OffsetDateTime;

/// The contract version OCM reads and the older ones it still reads: version 3 only lets a
/// callback have no session, so a version-2 feed reads the same.
pub const VERSION: u32 = 3;
pub const READABLE_VERSIONS: [u32; 2] = [2, VERSION];

#[derive(Debug, Clone, Deserialize)]
pub struct Attempt {
    pub session_id: String,
    pub organization: String,
    pub job_id: i64,
    pub campaign: String,
    pub campaign_type: String,
    pub list: String,
    pub user_contact_id: String,
    pub address: String,
    pub phone_attribute: String,
    pub zone: String,
    pub attempt_number: i32,
    #[serde(with = "time::serde::rfc3339")]
    pub attempt_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    pub ringback_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub answered_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub connect_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339")]
    pub end_at: OffsetDateTime,
    pub result: String,
    pub completion_code: String,
    pub sys_completion_code: String,
    pub agent_completion_code: Option<String>,
    pub agent_id: Option<String>,
    pub team: Option<String>,
    pub talk_seconds: i32,
    pub wrap_up_seconds: i32,
    pub nuisance: bool,
    pub nuisance_reason: Option<String>,
    pub aux_reason: Option<String>,
    pub callback_id: Option<String>,
    pub contact: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct AgentInterval {
    pub organization: String,
    pub agent_id: String,
    pub team: String,
    pub state: String,
    pub aux_code: Option<i32>,
    pub aux_reason: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub start_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub end_at: OffsetDateTime,
    pub seconds: i32,
    pub session_id: Option<String>,
    pub direction: Option<String>,
    pub job_id: Option<i64>,
    pub campaign: Option<String>,
    pub campaign_type: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct AgentSession {
    pub organization: String,
    pub agent_id: String,
    pub team: String,
    pub event: String,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub login_at: OffsetDateTime,
    pub seconds: Option<i32>,
}

/// An agent entering a state (`logged_out` included); OCM keeps each agent's newest.
#[derive(Debug, Clone, Deserialize)]
pub struct AgentState {
    pub organization: String,
    pub agent_id: String,
    pub team: String,
    pub state: String,
    pub aux_code: Option<i32>,
    pub aux_reason: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    pub job_id: Option<i64>,
    pub campaign: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Callback {
    pub callback_id: String,
    /// None: scheduled through POM's web service, not arranged on a call (version 3).
    pub session_id: Option<String>,
    pub organization: String,
    pub job_id: i64,
    pub campaign: String,
    pub list: String,
    pub user_contact_id: String,
    pub address: String,
    pub callback_type: String,
    pub agent_id: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub due_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub expires_at: OffsetDateTime,
    pub time_zone: Option<String>,
    pub notes: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct CallbackEvent {
    pub callback_id: String,
    pub organization: String,
    pub campaign: String,
    pub job_id: Option<i64>,
    pub list: String,
    pub user_contact_id: String,
    pub event: String,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    pub agent_id: Option<String>,
    pub handed_over: bool,
    pub session_id: Option<String>,
    pub code: Option<String>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub due_at: Option<OffsetDateTime>,
}

/// `inbound_call` and `inbound_abandon` in one shape (`answered` tells them apart).
#[derive(Debug, Clone)]
pub struct Inbound {
    pub call_id: String,
    pub organization: String,
    pub queue: String,
    pub caller: String,
    pub arrived_at: OffsetDateTime,
    pub answered: bool,
    pub ended_at: OffsetDateTime,
    pub wait_seconds: i32,
    pub agent_id: Option<String>,
    pub team: Option<String>,
    pub talk_seconds: i32,
    pub wrap_up_seconds: i32,
}

#[derive(Debug, Clone, Deserialize)]
pub struct InboundCall {
    pub call_id: String,
    pub organization: String,
    pub queue: String,
    pub caller: String,
    #[serde(with = "time::serde::rfc3339")]
    pub arrived_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub answered_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub end_at: OffsetDateTime,
    pub wait_seconds: i32,
    pub agent_id: String,
    pub team: String,
    pub talk_seconds: i32,
    pub wrap_up_seconds: i32,
}

#[derive(Debug, Clone, Deserialize)]
pub struct InboundAbandon {
    pub call_id: String,
    pub organization: String,
    pub queue: String,
    pub caller: String,
    #[serde(with = "time::serde::rfc3339")]
    pub arrived_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub abandoned_at: OffsetDateTime,
    pub wait_seconds: i32,
}

#[derive(Debug, Clone, Deserialize)]
pub struct DialerKill {
    pub session_id: String,
    pub organization: String,
    pub dnc_list: String,
    pub address: String,
    pub job_id: i64,
    pub campaign: String,
    pub user_contact_id: String,
    #[serde(with = "time::serde::rfc3339")]
    pub added_at: OffsetDateTime,
}

#[derive(Debug, Clone, Deserialize)]
pub struct JobEvent {
    pub job_id: i64,
    pub organization: String,
    pub campaign: String,
    pub campaign_type: String,
    pub event: String,
    pub state: String,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    pub finish_reason: Option<String>,
    pub list_sizes: Value,
    pub counters: Option<Value>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ContactSkip {
    pub job_id: i64,
    pub organization: String,
    pub campaign: String,
    pub list: String,
    pub user_contact_id: String,
    pub reason: String,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    pub contact: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Sale {
    pub sale_id: String,
    pub session_id: String,
    pub organization: String,
    pub job_id: i64,
    pub campaign: String,
    pub list: String,
    pub user_contact_id: String,
    pub agent_id: String,
    pub team: String,
    pub product: String,
    pub category: String,
    pub amount: String,
    pub currency: String,
    #[serde(with = "time::serde::rfc3339")]
    pub submitted_at: OffsetDateTime,
}

impl From<InboundCall> for Inbound {
    fn from(r: InboundCall) -> Self {
        Inbound {
            call_id: r.call_id,
            organization: r.organization,
            queue: r.queue,
            caller: r.caller,
            arrived_at: r.arrived_at,
            answered: true,
            ended_at: r.end_at,
            wait_seconds: r.wait_seconds,
            agent_id: Some(r.agent_id),
            team: Some(r.team),
            talk_seconds: r.talk_seconds,
            wrap_up_seconds: r.wrap_up_seconds,
        }
    }
}

impl From<InboundAbandon> for Inbound {
    fn from(r: InboundAbandon) -> Self {
        Inbound {
            call_id: r.call_id,
            organization: r.organization,
            queue: r.queue,
            caller: r.caller,
            arrived_at: r.arrived_at,
            answered: false,
            ended_at: r.abandoned_at,
            wait_seconds: r.wait_seconds,
            agent_id: None,
            team: None,
            talk_seconds: 0,
            wrap_up_seconds: 0,
        }
    }
}
