//! The Agent Owned Recalls report (seed 001: "the data of call back which is assigned to
//! himself"): every agent-owned callback with its owner, what became of it, who fulfilled it
//! (the owner, or another agent it was handed to) and how late it was dialled.

use serde::{Deserialize, Serialize};

use crate::report::{empty_as_none, Column, ReportRow, UrlQuery};

/// Dialled at most this long after its due time, a callback is on time.
pub const ON_TIME_GRACE_SECONDS: i64 = 900;

stored_text! {
    /// A callback's latest state.
    CallbackState {
        Created = "created" : "Scheduled",
        Pending = "pending" : "Offered",
        Dialled = "dialled" : "Dialled",
        Rescheduled = "rescheduled" : "Rescheduled",
        Completed = "completed" : "Completed",
        Cancelled = "cancelled" : "Cancelled",
        Expired = "expired" : "Expired",
    }
}

/// Filters: days the callbacks were created (report time zone), organization (admins), exact
/// owner, team, campaign and state.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct RecallFilters {
    #[serde(deserialize_with = "empty_as_none")]
    pub from: Option<String>,
    #[serde(deserialize_with = "empty_as_none")]
    pub to: Option<String>,
    #[serde(deserialize_with = "empty_as_none")]
    pub organization: Option<String>,
    #[serde(deserialize_with = "empty_as_none")]
    pub agent: Option<String>,
    #[serde(deserialize_with = "empty_as_none")]
    pub team: Option<String>,
    #[serde(deserialize_with = "empty_as_none")]
    pub campaign: Option<String>,
    #[serde(deserialize_with = "empty_as_none")]
    pub state: Option<CallbackState>,
}

impl UrlQuery for RecallFilters {}

/// One agent-owned callback.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecallRow {
    pub row_id: i64,
    pub callback_id: String,
    pub created_at: String,
    pub owner: String,
    pub team: String,
    pub campaign: String,
    pub job_id: i64,
    pub list: String,
    pub contact_id: String,
    pub phone: String,
    pub due_at: String,
    pub expires_at: String,
    pub notes: String,
    pub state: CallbackState,
    pub fulfilled_by: String,
    pub handed_over: bool,
    pub dialled_at: String,
    pub lateness_seconds: Option<i64>,
}

impl RecallRow {
    /// Dialled no later than the grace after its due time.
    pub fn on_time(&self) -> Option<bool> {
        self.lateness_seconds.map(|l| l <= ON_TIME_GRACE_SECONDS)
    }
}

fn yes(value: bool) -> String {
    if value { "Yes" } else { "" }.to_string()
}

impl ReportRow for RecallRow {
    fn columns() -> &'static [Column<Self>] {
        const {
            &[
                Column::<Self>::new("callback_id", "Callback", |r| r.callback_id.clone()).text(),
                Column::<Self>::new("created_at", "Created", |r| r.created_at.clone())
                    .date_time()
                    .key_sort(),
                Column::<Self>::new("owner", "Owner", |r| r.owner.clone()).text(),
                Column::<Self>::new("team", "Team", |r| r.team.clone()),
                Column::<Self>::new("campaign", "Campaign", |r| r.campaign.clone()),
                Column::<Self>::new("job_id", "Job", |r| r.job_id.to_string()).text(),
                Column::<Self>::new("list", "List", |r| r.list.clone()),
                Column::<Self>::new("contact_id", "Contact", |r| r.contact_id.clone()).text(),
                Column::<Self>::new("phone", "Phone", |r| r.phone.clone()).text(),
                Column::<Self>::new("due_at", "Due", |r| r.due_at.clone()).date_time(),
                Column::<Self>::new("expires_at", "Expires", |r| r.expires_at.clone()).date_time(),
                Column::<Self>::new("notes", "Notes", |r| r.notes.clone()),
                Column::<Self>::new("state", "State", |r| r.state.as_str().to_string())
                    .for_people_as(|r| r.state.label().to_string()),
                Column::<Self>::new("fulfilled_by", "Fulfilled by", |r| r.fulfilled_by.clone())
                    .text(),
                Column::<Self>::new("handed_over", "Handed over", |r| r.handed_over.to_string())
                    .for_people_as(|r| yes(r.handed_over)),
                Column::<Self>::new("dialled_at", "Dialled", |r| r.dialled_at.clone()).date_time(),
                Column::<Self>::new("lateness_seconds", "Late by s", |r| {
                    r.lateness_seconds
                        .map(|l| l.to_string())
                        .unwrap_or_default()
                })
                .number(),
                Column::<Self>::new("on_time", "On time", |r| {
                    r.on_time().map(|t| t.to_string()).unwrap_or_default()
                })
                .for_people_as(|r| match r.on_time() {
                    Some(true) => "Yes".to_string(),
                    Some(false) => "No".to_string(),
                    None => String::new(),
                }),
            ]
        }
    }
}
