//! The Account Not in Listing report (seed 001: "accounts not dialled by POM, inserted by a
//! pre-processing step"): rows sent for dialling that never became contacts, where they stopped
//! and why.

use serde::{Deserialize, Serialize};

use crate::report::{empty_as_none, Column, ReportRow, UrlQuery};

stored_text! {
    /// Where a row stopped on its way to the list.
    NotListedStage {
        Preflight = "preflight" : "OCM's pre-flight",
        PomImport = "pom_import" : "POM's import",
        Absent = "absent" : "Absent after the import",
        External = "external" : "External pre-processing",
    }
}

/// Filters: days recorded (report time zone), organization (admins), list name contains, upload
/// or batch contains, stage, phone or account contains.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct NotListedFilters {
    #[serde(deserialize_with = "empty_as_none")]
    pub from: Option<String>,
    #[serde(deserialize_with = "empty_as_none")]
    pub to: Option<String>,
    #[serde(deserialize_with = "empty_as_none")]
    pub organization: Option<String>,
    #[serde(deserialize_with = "empty_as_none")]
    pub list: Option<String>,
    #[serde(deserialize_with = "empty_as_none")]
    pub batch: Option<String>,
    #[serde(deserialize_with = "empty_as_none")]
    pub stage: Option<NotListedStage>,
    #[serde(deserialize_with = "empty_as_none")]
    pub search: Option<String>,
}

impl UrlQuery for NotListedFilters {}

/// One row that never became a contact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotListedRow {
    pub row_id: i64,
    pub recorded_at: String,
    pub organization: String,
    pub list: String,
    pub upload_id: Option<i64>,
    pub batch: String,
    pub row_number: Option<i64>,
    pub contact_id: String,
    pub phone: String,
    pub stage: NotListedStage,
    pub category: String,
    pub reason: String,
}

impl ReportRow for NotListedRow {
    fn columns() -> &'static [Column<Self>] {
        const {
            &[
                Column::<Self>::new("recorded_at", "Recorded", |r| r.recorded_at.clone())
                    .date_time()
                    .key_sort(),
                Column::<Self>::new("organization", "Organization", |r| r.organization.clone()),
                Column::<Self>::new("list", "List", |r| r.list.clone()),
                Column::<Self>::new("upload_id", "Upload", |r| {
                    r.upload_id.map(|id| id.to_string()).unwrap_or_default()
                })
                .text(),
                Column::<Self>::new("batch", "Batch", |r| r.batch.clone()),
                Column::<Self>::new("row_number", "Row", |r| {
                    r.row_number.map(|n| n.to_string()).unwrap_or_default()
                })
                .number(),
                Column::<Self>::new("contact_id", "Account", |r| r.contact_id.clone()).text(),
                Column::<Self>::new("phone", "Phone", |r| r.phone.clone()).text(),
                Column::<Self>::new("stage", "Stage", |r| r.stage.as_str().to_string())
                    .for_people_as(|r| r.stage.label().to_string()),
                Column::<Self>::new("category", "Category", |r| r.category.clone()),
                Column::<Self>::new("reason", "Reason", |r| r.reason.clone()),
            ]
        }
    }
}
