//! The callback dashboard's contract (seed 001 "POM Callback Dashboard"): every callback with
//! its section (overdue, due within the hour, later today, later, ended) as of the moment it is
//! read, the counts per section, type and state, and a callback scheduled from OCM through POM's
//! `ScheduleCallBack`.

use serde::{Deserialize, Serialize};

use super::freshness::SourceBehind;
use super::recalls::CallbackState;
use crate::report::{empty_as_none, Column, ReportRow, UrlQuery};

stored_text! {
    /// Where a callback stands now: open ones by their due time in the report time zone (an
    /// open callback past its expiry that POM has not yet expired is overdue), the rest ended.
    CallbackSection {
        Overdue = "overdue" : "Overdue",
        NextHour = "next_hour" : "Due in the next hour",
        LaterToday = "later_today" : "Later today",
        Later = "later" : "Later",
        Ended = "ended" : "Ended today",
    }
}

stored_text! {
    /// POM's callback types (seed 004 `POMCallbackType`).
    CallbackType {
        Standard = "standard" : "Standard",
        AgentOwned = "agent_owned" : "Agent-owned",
        Campaign = "campaign" : "Campaign",
    }
}

/// The states of a callback that is not over.
pub const OPEN_STATES: [&str; 4] = ["created", "pending", "dialled", "rescheduled"];

impl CallbackState {
    /// Whether a callback in this state is over (completed, cancelled, expired).
    pub fn is_ended(&self) -> bool {
        matches!(
            self,
            CallbackState::Completed | CallbackState::Cancelled | CallbackState::Expired
        )
    }
}

/// Filters: organization (admins), section, type, owner, campaign, state, contact (id or phone,
/// contains). Without a section: every open callback (ended ones when asked for).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct CallbackFilters {
    #[serde(deserialize_with = "empty_as_none")]
    pub organization: Option<String>,
    #[serde(deserialize_with = "empty_as_none")]
    pub section: Option<CallbackSection>,
    #[serde(deserialize_with = "empty_as_none")]
    pub callback_type: Option<CallbackType>,
    #[serde(deserialize_with = "empty_as_none")]
    pub owner: Option<String>,
    #[serde(deserialize_with = "empty_as_none")]
    pub campaign: Option<String>,
    #[serde(deserialize_with = "empty_as_none")]
    pub state: Option<CallbackState>,
    #[serde(deserialize_with = "empty_as_none")]
    pub contact: Option<String>,
}

impl UrlQuery for CallbackFilters {}

/// One callback as the dashboard shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallbackRow {
    pub row_id: i64,
    pub callback_id: String,
    pub section: CallbackSection,
    pub callback_type: CallbackType,
    /// Arranged by an agent on a call, or scheduled through the web service (OCM or another
    /// system) without one.
    pub on_call: bool,
    pub owner: String,
    pub campaign: String,
    pub job_id: i64,
    pub list: String,
    pub contact_id: String,
    pub phone: String,
    pub notes: String,
    /// Local times in the report time zone, and the due time as an instant (RFC 3339).
    pub due_at: String,
    pub due_at_utc: String,
    pub expires_at: String,
    pub state: CallbackState,
    pub state_at: String,
    /// The agent it was last offered to or who dialled or fulfilled it.
    pub agent: String,
    /// The agent who completed it (blank unless completed): the owner, or the agent an
    /// agent-owned callback was handed to.
    pub fulfilled_by: String,
    pub handed_over: bool,
    /// Minutes to its due time (negative: overdue by), for open callbacks.
    pub due_in_minutes: Option<i64>,
}

impl CallbackRow {
    /// Who arranged it, in words.
    pub fn arranged_by(&self) -> &'static str {
        if self.on_call {
            "Agent on a call"
        } else {
            "Web service (OCM or another system)"
        }
    }
}

fn yes(value: bool) -> String {
    if value { "Yes" } else { "" }.to_string()
}

impl ReportRow for CallbackRow {
    fn columns() -> &'static [Column<Self>] {
        const {
            &[
                Column::<Self>::new("callback_id", "Callback", |r| r.callback_id.clone()).text(),
                Column::<Self>::new("section", "Section", |r| r.section.as_str().to_string())
                    .for_people_as(|r| r.section.label().to_string()),
                Column::<Self>::new("due_at", "Due", |r| r.due_at.clone())
                    .date_time()
                    .key_sort(),
                Column::<Self>::new("due_at_utc", "Due (UTC)", |r| r.due_at_utc.clone()),
                Column::<Self>::new("due_in_minutes", "Due in min", |r| {
                    r.due_in_minutes.map(|m| m.to_string()).unwrap_or_default()
                })
                .number(),
                Column::<Self>::new("expires_at", "Expires", |r| r.expires_at.clone()).date_time(),
                Column::<Self>::new("callback_type", "Type", |r| {
                    r.callback_type.as_str().to_string()
                })
                .for_people_as(|r| r.callback_type.label().to_string()),
                Column::<Self>::new("on_call", "Arranged by", |r| r.on_call.to_string())
                    .for_people_as(|r| r.arranged_by().to_string()),
                Column::<Self>::new("owner", "Owner", |r| r.owner.clone()).text(),
                Column::<Self>::new("campaign", "Campaign", |r| r.campaign.clone()),
                Column::<Self>::new("job_id", "Job", |r| r.job_id.to_string()).text(),
                Column::<Self>::new("list", "List", |r| r.list.clone()),
                Column::<Self>::new("contact_id", "Contact", |r| r.contact_id.clone()).text(),
                Column::<Self>::new("phone", "Phone", |r| r.phone.clone()).text(),
                Column::<Self>::new("state", "State", |r| r.state.as_str().to_string())
                    .for_people_as(|r| r.state.label().to_string()),
                Column::<Self>::new("state_at", "Since", |r| r.state_at.clone()).date_time(),
                Column::<Self>::new("agent", "Agent", |r| r.agent.clone()).text(),
                Column::<Self>::new("fulfilled_by", "Fulfilled by", |r| r.fulfilled_by.clone())
                    .text(),
                Column::<Self>::new("handed_over", "Handed over", |r| r.handed_over.to_string())
                    .for_people_as(|r| yes(r.handed_over)),
                Column::<Self>::new("notes", "Notes", |r| r.notes.clone()),
            ]
        }
    }
}

/// How many callbacks stand where, for the dashboard's head: open ones per section, and per
/// type and per state (open ones and those ended today).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallbackCounts {
    pub sections: Vec<(CallbackSection, i64)>,
    pub types: Vec<(CallbackType, i64)>,
    pub states: Vec<(CallbackState, i64)>,
    /// When the counts were read (RFC 3339) and the newest call data behind them.
    pub read_at: String,
    /// The zone the table's times and "later today" are in.
    pub time_zone: String,
    pub newest_record_at: Option<String>,
    /// The call data when it is behind (see `SourceBehind`): the counts and rows are as of then.
    #[serde(default)]
    pub stale: Option<SourceBehind>,
    /// Changes whenever a counted callback does (appears, changes state, owner or due time, or
    /// moves to another section): the live dashboard reads its rows again when it does.
    pub revision: String,
}

/// A callback to schedule through POM: the campaign, the contact (list and id), when it is due
/// (`YYYY-MM-DDTHH:MM` in `time_zone`), until when it may be dialled (default two hours after),
/// optionally which phone or another number, and notes for the agent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CallbackScheduleForm {
    pub organization: Option<String>,
    pub campaign: String,
    pub list: String,
    pub contact_id: String,
    pub due: String,
    pub expires: Option<String>,
    pub time_zone: String,
    pub phone_attribute: Option<String>,
    pub address: Option<String>,
    pub notes: String,
}

/// A callback POM accepted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScheduledCallback {
    pub campaign: String,
    pub list: String,
    pub contact_id: String,
    /// POM's wall times (`YYYY-MM-DD HH:MM`) in `time_zone`, and the instants they mean.
    pub due_local: String,
    pub expires_local: String,
    pub time_zone: String,
    pub due_at: String,
    pub expires_at: String,
    pub message: String,
}
