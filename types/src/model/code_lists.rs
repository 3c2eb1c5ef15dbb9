//! The NSP List and NTC reports (seed 001: "record detail that agent dispose NSP as completion
//! code", and the same for "CM_NTC"): every attempt the agent closed with one of the codes the
//! settings name, with the contact record as it was when POM dialled it.

use serde::{Deserialize, Serialize};

use crate::report::{empty_as_none, Column, ReportRow, UrlQuery};

stored_text! {
    /// Which list of codes the report reads.
    CodeList {
        Nsp = "nsp" : "NSP List",
        Ntc = "ntc" : "NTC",
    }
}

/// Filters: the list (NSP unless NTC is chosen), days in the report time zone, organization
/// (admins), exact campaign, agent and team; list name contains.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct CodeListFilters {
    #[serde(deserialize_with = "empty_as_none")]
    pub kind: Option<CodeList>,
    #[serde(deserialize_with = "empty_as_none")]
    pub from: Option<String>,
    #[serde(deserialize_with = "empty_as_none")]
    pub to: Option<String>,
    #[serde(deserialize_with = "empty_as_none")]
    pub organization: Option<String>,
    #[serde(deserialize_with = "empty_as_none")]
    pub campaign: Option<String>,
    #[serde(deserialize_with = "empty_as_none")]
    pub agent: Option<String>,
    #[serde(deserialize_with = "empty_as_none")]
    pub team: Option<String>,
    #[serde(deserialize_with = "empty_as_none")]
    pub list: Option<String>,
}

impl UrlQuery for CodeListFilters {}

/// One attempt closed with the code, and the contact as dialled (`contact`: its attributes as a
/// JSON object, keys in POM's order of the feed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeListRow {
    pub row_id: i64,
    pub attempt_at: String,
    pub organization: String,
    pub campaign: String,
    pub job_id: i64,
    pub list: String,
    pub contact_id: String,
    pub account: String,
    pub phone: String,
    pub code: String,
    pub agent: String,
    pub team: String,
    pub contact: String,
}

impl ReportRow for CodeListRow {
    fn columns() -> &'static [Column<Self>] {
        const {
            &[
                Column::<Self>::new("attempt_at", "Time", |r| r.attempt_at.clone())
                    .date_time()
                    .key_sort(),
                Column::<Self>::new("organization", "Organization", |r| r.organization.clone()),
                Column::<Self>::new("campaign", "Campaign", |r| r.campaign.clone()),
                Column::<Self>::new("job_id", "Job", |r| r.job_id.to_string()).text(),
                Column::<Self>::new("list", "List", |r| r.list.clone()),
                Column::<Self>::new("contact_id", "Contact", |r| r.contact_id.clone()).text(),
                Column::<Self>::new("account", "Account", |r| r.account.clone()).text(),
                Column::<Self>::new("phone", "Phone", |r| r.phone.clone()).text(),
                Column::<Self>::new("code", "Code", |r| r.code.clone()),
                Column::<Self>::new("agent", "Agent", |r| r.agent.clone()).text(),
                Column::<Self>::new("team", "Team", |r| r.team.clone()),
                Column::<Self>::new("contact", "Contact record at call time", |r| {
                    r.contact.clone()
                })
                .text(),
            ]
        }
    }
}
