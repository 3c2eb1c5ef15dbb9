//! The List Accounts Not Attempted report (seed 001: "data which are not attempted by POM to
//! dial"): every contact a job passed over, why, and when it was last attempted.

use serde::{Deserialize, Serialize};

use crate::report::{empty_as_none, Column, ReportRow, UrlQuery};

stored_text! {
    /// Why a job passed a contact over.
    SkipReason {
        Dnc = "dnc" : "On a DNC list",
        OutsideWindow = "outside_window" : "Outside its calling window",
        NotCallable = "not_callable" : "Not callable",
        NoPhone = "no_phone" : "No phone number",
        FinishedEarlier = "finished_earlier" : "Finished earlier",
        AttemptInProgress = "attempt_in_progress" : "Attempt in progress",
        JobEndedFirst = "job_ended_first" : "Job ended first",
        AddedAfterStart = "added_after_start" : "Added after the job started",
    }
}

/// Filters: days passed over (report time zone), organization (admins), exact campaign, job,
/// list name contains, reason.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct NotAttemptedFilters {
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
    pub reason: Option<SkipReason>,
}

impl UrlQuery for NotAttemptedFilters {}

/// One contact passed over.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotAttemptedRow {
    pub row_id: i64,
    pub as_of: String,
    pub organization: String,
    pub list: String,
    pub campaign: String,
    pub job_id: i64,
    pub contact_id: String,
    pub account: String,
    pub phone: String,
    pub reason: SkipReason,
    pub last_attempt_at: String,
    pub last_result: String,
}

impl ReportRow for NotAttemptedRow {
    fn columns() -> &'static [Column<Self>] {
        const {
            &[
                Column::<Self>::new("as_of", "Passed over", |r| r.as_of.clone())
                    .date_time()
                    .key_sort(),
                Column::<Self>::new("organization", "Organization", |r| r.organization.clone()),
                Column::<Self>::new("list", "List", |r| r.list.clone()),
                Column::<Self>::new("campaign", "Campaign", |r| r.campaign.clone()),
                Column::<Self>::new("job_id", "Job", |r| r.job_id.to_string()).text(),
                Column::<Self>::new("contact_id", "Contact", |r| r.contact_id.clone()).text(),
                Column::<Self>::new("account", "Account", |r| r.account.clone()).text(),
                Column::<Self>::new("phone", "Phone", |r| r.phone.clone()).text(),
                Column::<Self>::new("reason", "Reason", |r| r.reason.as_str().to_string())
                    .for_people_as(|r| r.reason.label().to_string()),
                Column::<Self>::new("last_attempt_at", "Last attempt", |r| {
                    r.last_attempt_at.clone()
                })
                .date_time(),
                Column::<Self>::new("last_result", "Last result", |r| r.last_result.clone()),
            ]
        }
    }
}
