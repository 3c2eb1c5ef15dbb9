//! The records of the call-data feed, contract version [`VERSION`] (`docs/call-data-feed.md`
//! names each field's POM source). Times are RFC 3339 UTC; optional fields are `null` when they
//! do not apply.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use super::states::AgentState;

/// The feed contract's version, sent as `X-Feed-Version` on every feed and export response.
pub const VERSION: u32 = 3;

/// One call attempt (POM's `PomAttemptInfo` / `pom.attempt.result.topic`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Attempt {
    pub session_id: String,
    pub organization: String,
    pub job_id: i64,
    pub campaign: String,
    pub campaign_type: String,
    pub list: String,
    pub user_contact_id: String,
    pub address: String,
    /// The contact attribute dialled: `phoneNumber1` or `phoneNumber2`.
    pub phone_attribute: String,
    /// The POM zone of the contact's list.
    pub zone: String,
    pub attempt_number: u32,
    pub attempt_at: String,
    pub ringback_at: Option<String>,
    /// When the line was answered by a person, a machine or a fax.
    pub answered_at: Option<String>,
    /// When an agent was connected (never for a nuisance call).
    pub connect_at: Option<String>,
    pub end_at: String,
    /// `answer_human`, `answer_machine`, `busy`, `no_answer`, `failed` or `fax`.
    pub result: String,
    /// `pimCompletionCode`: the agent's code when an agent handled the call, else the system code.
    pub completion_code: String,
    /// `pimSysCompletionCode`: what the dialler saw (`Answer_Human`, `Busy`, `Nuisance_Call`, …).
    pub sys_completion_code: String,
    /// The code the agent chose at wrap-up.
    pub agent_completion_code: Option<String>,
    pub agent_id: Option<String>,
    pub team: Option<String>,
    pub talk_seconds: i64,
    pub wrap_up_seconds: i64,
    pub nuisance: bool,
    /// `no_agent` (nobody free) or `agent_aux` (the agent went not ready as the call connected).
    pub nuisance_reason: Option<String>,
    /// The AUX reason of an `agent_aux` nuisance call.
    pub aux_reason: Option<String>,
    /// The callback this attempt fulfils.
    pub callback_id: Option<String>,
    /// The contact's attributes as they were when it was dialled.
    pub contact: BTreeMap<String, String>,
}

/// A span of one agent's time in one state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgentInterval {
    pub organization: String,
    pub agent_id: String,
    pub team: String,
    /// `ready`, `preview`, `talking`, `wrap_up`, `pending_not_ready` (wrap-up after asking for a
    /// break) or `not_ready`.
    pub state: String,
    /// POM's numeric reason code of a `not_ready` interval, and its name.
    pub aux_code: Option<u32>,
    pub aux_reason: Option<String>,
    pub start_at: String,
    pub end_at: String,
    pub seconds: i64,
    /// The call the agent was on (outbound session id or inbound call id); for a `not_ready`
    /// interval that made a nuisance call, that call.
    pub session_id: Option<String>,
    /// `outbound` or `inbound`: the kind of call of a talking or wrap-up interval.
    pub direction: Option<String>,
    /// The job the agent worked for (`AGTJobAttached`), with its campaign and type.
    pub job_id: Option<i64>,
    pub campaign: Option<String>,
    pub campaign_type: Option<String>,
}

/// An agent logging in to POM or out of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgentSession {
    pub organization: String,
    pub agent_id: String,
    pub team: String,
    /// `login` or `logout`.
    pub event: String,
    pub at: String,
    /// When the session began (the login's own time on a `login`).
    pub login_at: String,
    /// The session's length (`logout` only).
    pub seconds: Option<i64>,
}

/// A callback arranged on a call, or through the web service (`ScheduleCallBack`): its creation;
/// what becomes of it is in `callback_event`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Callback {
    pub callback_id: String,
    /// The call on which it was arranged; none when it was scheduled through the web service.
    pub session_id: Option<String>,
    pub organization: String,
    pub job_id: i64,
    pub campaign: String,
    pub list: String,
    pub user_contact_id: String,
    pub address: String,
    /// `standard`, `agent_owned` or `campaign`.
    pub callback_type: String,
    pub agent_id: Option<String>,
    pub created_at: String,
    pub due_at: String,
    /// After this the callback is not dialled any more (it expires).
    pub expires_at: String,
    /// The contact's time zone, in which the customer asked for the time.
    pub time_zone: Option<String>,
    pub notes: String,
}

/// Something that happened to a callback: `created`, `pending` (offered to an agent), `dialled`,
/// `completed` (an agent spoke to the customer), `cancelled` (with a code), `rescheduled` (a new
/// due time) or `expired`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CallbackEvent {
    pub callback_id: String,
    pub organization: String,
    pub campaign: String,
    /// The job acting on the callback (none when it expired on its own).
    pub job_id: Option<i64>,
    pub list: String,
    pub user_contact_id: String,
    pub event: String,
    pub at: String,
    /// The agent it was offered to or who dialled it.
    pub agent_id: Option<String>,
    /// An agent-owned callback dialled by another agent than its owner.
    pub handed_over: bool,
    /// The call (`dialled`, `completed`).
    pub session_id: Option<String>,
    /// The completion code (`completed`, `cancelled`).
    pub code: Option<String>,
    /// The due time (`created`, `rescheduled`).
    pub due_at: Option<String>,
}

/// An inbound call to blended agents that an agent answered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InboundCall {
    pub call_id: String,
    pub organization: String,
    pub queue: String,
    pub caller: String,
    pub arrived_at: String,
    pub answered_at: String,
    pub end_at: String,
    pub wait_seconds: i64,
    pub agent_id: String,
    pub team: String,
    pub talk_seconds: i64,
    pub wrap_up_seconds: i64,
}

/// An inbound call to blended agents that nobody answered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InboundAbandon {
    pub call_id: String,
    pub organization: String,
    pub queue: String,
    pub caller: String,
    pub arrived_at: String,
    pub abandoned_at: String,
    pub wait_seconds: i64,
}

/// An address added to the organization's DNC list because the customer asked (`DNCREQ`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DialerKill {
    pub session_id: String,
    pub organization: String,
    pub dnc_list: String,
    pub address: String,
    pub job_id: i64,
    pub campaign: String,
    pub user_contact_id: String,
    pub added_at: String,
}

/// A contact list's size when a job started.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListSize {
    pub list: String,
    pub contacts: u64,
}

/// A change of a job's state (`PomCampaignJobInfo`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JobEvent {
    pub job_id: i64,
    pub organization: String,
    pub campaign: String,
    pub campaign_type: String,
    /// `queued`, `started`, `paused`, `resumed`, `stopping`, `stopped` or `completed`.
    pub event: String,
    /// POM's job state after the change (`JOB_ACTIVE`, …).
    pub state: String,
    pub at: String,
    /// Why a job finished (`stopped` and `completed` only).
    pub finish_reason: Option<String>,
    /// The campaign's lists and their sizes (`started` only).
    pub list_sizes: Vec<ListSize>,
    /// The job's counters when it finished (`stopped` and `completed` only).
    pub counters: Option<super::super::dialer::JobStats>,
}

/// A contact a job passed over on its first pass through its lists, or never reached.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContactSkip {
    pub job_id: i64,
    pub organization: String,
    pub campaign: String,
    pub list: String,
    pub user_contact_id: String,
    /// `dnc`, `outside_window`, `not_callable`, `no_phone`, `finished_earlier`,
    /// `attempt_in_progress`, `job_ended_first` or `added_after_start`.
    pub reason: String,
    pub at: String,
    /// The contact's attributes at that moment.
    pub contact: BTreeMap<String, String>,
}

/// A sale the agent recorded on the sales screen after a `SALE` call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
    /// `secured` (payment taken on the call) or `unsecured` (to be confirmed).
    pub category: String,
    /// Decimal amount in `currency`, two places.
    pub amount: String,
    pub currency: String,
    pub submitted_at: String,
}

/// Anything the feed carries (the largest kinds boxed, so the simulator's record list stays
/// compact).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FeedRecord {
    Attempt(Box<Attempt>),
    AgentInterval(AgentInterval),
    AgentSession(AgentSession),
    Callback(Box<Callback>),
    CallbackEvent(CallbackEvent),
    InboundCall(InboundCall),
    InboundAbandon(InboundAbandon),
    DialerKill(DialerKill),
    JobEvent(JobEvent),
    ContactSkip(ContactSkip),
    Sale(Sale),
    AgentState(AgentState),
}

/// The names of the kinds, as in `kind` and the export paths.
pub const KINDS: [&str; 12] = [
    "attempt",
    "agent_interval",
    "agent_session",
    "callback",
    "callback_event",
    "inbound_call",
    "inbound_abandon",
    "dialer_kill",
    "job_event",
    "contact_skip",
    "sale",
    "agent_state",
];

impl FeedRecord {
    pub fn kind(&self) -> &'static str {
        match self {
            FeedRecord::Attempt(_) => KINDS[0],
            FeedRecord::AgentInterval(_) => KINDS[1],
            FeedRecord::AgentSession(_) => KINDS[2],
            FeedRecord::Callback(_) => KINDS[3],
            FeedRecord::CallbackEvent(_) => KINDS[4],
            FeedRecord::InboundCall(_) => KINDS[5],
            FeedRecord::InboundAbandon(_) => KINDS[6],
            FeedRecord::DialerKill(_) => KINDS[7],
            FeedRecord::JobEvent(_) => KINDS[8],
            FeedRecord::ContactSkip(_) => KINDS[9],
            FeedRecord::Sale(_) => KINDS[10],
            FeedRecord::AgentState(_) => KINDS[11],
        }
    }

    pub fn organization(&self) -> &str {
        match self {
            FeedRecord::Attempt(r) => &r.organization,
            FeedRecord::AgentInterval(r) => &r.organization,
            FeedRecord::AgentSession(r) => &r.organization,
            FeedRecord::Callback(r) => &r.organization,
            FeedRecord::CallbackEvent(r) => &r.organization,
            FeedRecord::InboundCall(r) => &r.organization,
            FeedRecord::InboundAbandon(r) => &r.organization,
            FeedRecord::DialerKill(r) => &r.organization,
            FeedRecord::JobEvent(r) => &r.organization,
            FeedRecord::ContactSkip(r) => &r.organization,
            FeedRecord::Sale(r) => &r.organization,
            FeedRecord::AgentState(r) => &r.organization,
        }
    }
}
