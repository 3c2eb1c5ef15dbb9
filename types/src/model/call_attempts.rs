//! The Call Attempt report (seed 001: "all the calls which are attempted by the POM"): its
//! filters, one row per attempt, and the network results it filters and totals by.

use serde::{Deserialize, Serialize};

use crate::report::{empty_as_none, Column, ReportRow, UrlQuery};

stored_text! {
    /// The network's disposition of an attempt (the feed's `result`).
    CallResult {
        AnswerHuman = "answer_human" : "Answered by a person",
        AnswerMachine = "answer_machine" : "Answering machine",
        Busy = "busy" : "Busy",
        NoAnswer = "no_answer" : "No answer",
        Failed = "failed" : "Failed",
        Fax = "fax" : "Fax",
        PreviewCancelled = "preview_cancelled" : "Preview cancelled",
    }
}

/// Filters of the Call Attempt report: days in the report time zone (inclusive), exact
/// organization, campaign, job, result, code, agent and team; `list` and `search` (phone number
/// or account) match anywhere.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct CallAttemptFilters {
    #[serde(deserialize_with = "empty_as_none")]
    pub from: Option<String>,
    #[serde(deserialize_with = "empty_as_none")]
    pub to: Option<String>,
    #[serde(deserialize_with = "empty_as_none")]
    pub organization: Option<String>,
    #[serde(deserialize_with = "empty_as_none")]
    pub campaign: Option<String>,
    #[serde(deserialize_with = "empty_as_none")]
    pub job: Option<String>,
    #[serde(deserialize_with = "empty_as_none")]
    pub list: Option<String>,
    #[serde(deserialize_with = "empty_as_none")]
    pub result: Option<CallResult>,
    #[serde(deserialize_with = "empty_as_none")]
    pub code: Option<String>,
    #[serde(deserialize_with = "empty_as_none")]
    pub agent: Option<String>,
    #[serde(deserialize_with = "empty_as_none")]
    pub team: Option<String>,
    #[serde(deserialize_with = "empty_as_none")]
    pub search: Option<String>,
}

impl UrlQuery for CallAttemptFilters {}

/// One attempt. Times are wall times in the report time zone (`YYYY-MM-DD HH:MM:SS`), empty when
/// the call never got there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallAttemptRow {
    pub row_id: i64,
    pub attempt_at: String,
    pub organization: String,
    pub campaign: String,
    pub job_id: Option<i64>,
    pub list: String,
    pub contact_id: String,
    pub account: String,
    pub phone: String,
    pub attempt_number: i64,
    pub ringback_at: String,
    pub connect_at: String,
    pub ended_at: String,
    pub ring_seconds: Option<i64>,
    pub result: CallResult,
    pub system_code: String,
    pub agent_code: String,
    pub agent: String,
    pub team: String,
    pub talk_seconds: i64,
    pub wrap_up_seconds: i64,
    pub nuisance: bool,
}

fn count(value: &Option<i64>) -> String {
    value.map(|v| v.to_string()).unwrap_or_default()
}

impl ReportRow for CallAttemptRow {
    fn columns() -> &'static [Column<Self>] {
        const {
            &[
                Column::<Self>::new("attempt_at", "Attempted", |r| r.attempt_at.clone())
                    .date_time()
                    .key_sort(),
                Column::<Self>::new("organization", "Organization", |r| r.organization.clone()),
                Column::<Self>::new("campaign", "Campaign", |r| r.campaign.clone()),
                Column::<Self>::new("job_id", "Job", |r| count(&r.job_id)).text(),
                Column::<Self>::new("list", "List", |r| r.list.clone()),
                Column::<Self>::new("contact_id", "Contact", |r| r.contact_id.clone()).text(),
                Column::<Self>::new("account", "Account", |r| r.account.clone()).text(),
                Column::<Self>::new("phone", "Phone", |r| r.phone.clone()).text(),
                Column::<Self>::new("attempt_number", "Attempt", |r| {
                    r.attempt_number.to_string()
                })
                .number(),
                Column::<Self>::new("ringback_at", "Ringing", |r| r.ringback_at.clone())
                    .date_time(),
                Column::<Self>::new("connect_at", "Connected", |r| r.connect_at.clone())
                    .date_time(),
                Column::<Self>::new("ended_at", "Ended", |r| r.ended_at.clone()).date_time(),
                Column::<Self>::new("ring_seconds", "Ring s", |r| count(&r.ring_seconds)).number(),
                Column::<Self>::new("result", "Result", |r| r.result.as_str().to_string())
                    .for_people_as(|r| r.result.label().to_string()),
                Column::<Self>::new("system_code", "System code", |r| r.system_code.clone()),
                Column::<Self>::new("agent_code", "Agent code", |r| r.agent_code.clone()),
                Column::<Self>::new("agent", "Agent", |r| r.agent.clone()).text(),
                Column::<Self>::new("team", "Team", |r| r.team.clone()),
                Column::<Self>::new("talk_seconds", "Talk s", |r| r.talk_seconds.to_string())
                    .number(),
                Column::<Self>::new("wrap_up_seconds", "Wrap s", |r| {
                    r.wrap_up_seconds.to_string()
                })
                .number(),
                Column::<Self>::new("nuisance", "Nuisance", |r| r.nuisance.to_string())
                    .for_people_as(|r| if r.nuisance { "Yes" } else { "" }.to_string()),
            ]
        }
    }
}
