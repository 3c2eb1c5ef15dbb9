//! Contact lists and their contacts, as the lists pages show them.

use serde::{Deserialize, Serialize};

/// One POM contact list of the user's organization(s).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactListRow {
    pub list_id: i64,
    pub name: String,
    pub organization: String,
    pub zone: Option<String>,
    pub total: i64,
    pub available: i64,
    pub excluded: i64,
    pub last_update: Option<String>,
    /// Matches the manual-upload list filter (setting `OCM_CONTACT_LIST_FILTER`).
    pub manual_upload: bool,
}

/// A search on a list's contacts (POM's own search: attribute, operator, value).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ContactSearchQuery {
    pub attribute: String,
    /// `equals`, `contains` or `startswith`.
    pub operator: String,
    pub value: String,
}

/// One page of a list's contacts, read from POM.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactsPage {
    pub list: ContactListRow,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// 0-based.
    pub page: u32,
    pub total_pages: u32,
    /// How many contacts match the search (none without a search: the list's total says it).
    pub matches: Option<i64>,
}
