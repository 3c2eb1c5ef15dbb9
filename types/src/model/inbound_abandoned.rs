//! The Inbound Abandoned report (seed 001: "abandoned call by the customer"): every inbound call
//! the caller gave up on, with the contact OCM's call data knows at that number and whether and
//! when the organization called back.

use serde::{Deserialize, Serialize};

use crate::report::{empty_as_none, Column, ReportRow, UrlQuery};

/// Filters: days of arrival (report time zone), organization (admins), exact queue, and the
/// least wait in seconds.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct InboundFilters {
    #[serde(deserialize_with = "empty_as_none")]
    pub from: Option<String>,
    #[serde(deserialize_with = "empty_as_none")]
    pub to: Option<String>,
    #[serde(deserialize_with = "empty_as_none")]
    pub organization: Option<String>,
    #[serde(deserialize_with = "empty_as_none")]
    pub queue: Option<String>,
    #[serde(deserialize_with = "empty_as_none")]
    pub min_wait: Option<String>,
}

impl UrlQuery for InboundFilters {}

/// One abandoned call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InboundAbandonRow {
    pub row_id: i64,
    pub call_id: String,
    pub arrived_at: String,
    pub abandoned_at: String,
    pub wait_seconds: i64,
    pub organization: String,
    pub queue: String,
    pub caller: String,
    pub matched_list: String,
    pub matched_contact: String,
    pub matched_account: String,
    pub called_back_at: String,
    pub called_back_result: String,
}

impl ReportRow for InboundAbandonRow {
    fn columns() -> &'static [Column<Self>] {
        const {
            &[
                Column::<Self>::new("call_id", "Call", |r| r.call_id.clone()).text(),
                Column::<Self>::new("arrived_at", "Arrived", |r| r.arrived_at.clone())
                    .date_time()
                    .key_sort(),
                Column::<Self>::new("abandoned_at", "Abandoned", |r| r.abandoned_at.clone())
                    .date_time(),
                Column::<Self>::new("wait_seconds", "Wait s", |r| r.wait_seconds.to_string())
                    .number(),
                Column::<Self>::new("organization", "Organization", |r| r.organization.clone()),
                Column::<Self>::new("queue", "Queue", |r| r.queue.clone()),
                Column::<Self>::new("caller", "Caller", |r| r.caller.clone()).text(),
                Column::<Self>::new("matched_list", "Contact list", |r| r.matched_list.clone()),
                Column::<Self>::new("matched_contact", "Contact", |r| r.matched_contact.clone())
                    .text(),
                Column::<Self>::new("matched_account", "Account", |r| r.matched_account.clone())
                    .text(),
                Column::<Self>::new("called_back_at", "Called back", |r| {
                    r.called_back_at.clone()
                })
                .date_time(),
                Column::<Self>::new("called_back_result", "Call-back result", |r| {
                    r.called_back_result.clone()
                }),
            ]
        }
    }
}
