//! Right to erasure as the admin's page sees it: the request, the dry run, and the erasures so
//! far (a report).

use serde::{Deserialize, Serialize};

use crate::report::{empty_as_none, Column, ReportRow, UrlQuery};

/// What the admin types: where, under which reference, and the person's identifiers (one per
/// line, or separated by commas).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ErasureRequest {
    pub organization: String,
    /// The request's reference (a ticket number), never the person's name.
    pub reference: String,
    pub phones: String,
    pub emails: String,
    pub customer_ids: String,
}

/// The person's contacts found in one POM list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErasureListHits {
    pub list_id: i64,
    pub list_name: String,
    pub found: i64,
    /// The contacts (at most a few per list) as POM holds them, in `columns` order, so the
    /// admin can see it is the right person. Shown once, never stored.
    pub sample: Vec<Vec<String>>,
    pub columns: Vec<String>,
}

/// A count per OCM store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErasureStoreCount {
    pub store: String,
    pub label: String,
    pub count: i64,
}

/// The dry run: what the erasure would delete and erase. Confirming needs its id and the
/// contact count typed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErasurePlan {
    pub erasure_id: i64,
    pub organization: String,
    pub reference: String,
    /// `2 phone numbers, 1 e-mail address`.
    pub identifiers: String,
    pub contacts_found: i64,
    pub lists_searched: i64,
    pub lists: Vec<ErasureListHits>,
    pub stores: Vec<ErasureStoreCount>,
}

/// Filters of the erasures list.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ErasureFilters {
    #[serde(deserialize_with = "empty_as_none")]
    pub organization: Option<String>,
    /// Reference contains.
    #[serde(deserialize_with = "empty_as_none")]
    pub reference: Option<String>,
    /// `running`, `completed` or `cancelled`.
    #[serde(deserialize_with = "empty_as_none")]
    pub state: Option<String>,
}

impl UrlQuery for ErasureFilters {}

/// One erasure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErasureRow {
    pub erasure_id: i64,
    pub organization: String,
    pub reference: String,
    pub state: String,
    pub requested_by: String,
    pub created_at: String,
    pub finished_at: Option<String>,
    pub contacts_found: i64,
    pub contacts_deleted: i64,
    pub contacts_failed: i64,
    pub job_id: Option<i64>,
}

impl ReportRow for ErasureRow {
    fn columns() -> &'static [Column<Self>] {
        const {
            &[
                Column::new("erasure_id", "Erasure", |r| r.erasure_id.to_string()),
                Column::new("organization", "Organization", |r| r.organization.clone()),
                Column::new("reference", "Reference", |r| r.reference.clone()),
                Column::new("state", "State", |r| r.state.clone()),
                Column::new("requested_by", "Carried out by", |r| r.requested_by.clone()),
                Column::new("created_at", "Requested (UTC)", |r| r.created_at.clone()),
                Column::new("finished_at", "Finished (UTC)", |r| {
                    r.finished_at.clone().unwrap_or_default()
                }),
                Column::new("contacts_found", "Contacts found", |r| {
                    r.contacts_found.to_string()
                }),
                Column::new("contacts_deleted", "Deleted from POM", |r| {
                    r.contacts_deleted.to_string()
                }),
                Column::new("contacts_failed", "Not deleted", |r| {
                    r.contacts_failed.to_string()
                }),
            ]
        }
    }
}
