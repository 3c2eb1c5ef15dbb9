//! The upload history report: an upload's state as a typed value, the report's filters, its row
//! and columns.

use serde::{Deserialize, Serialize};

use crate::report::{empty_as_none, known_values, Column, ReportRow, UrlQuery};

stored_text! {
    /// Where a contact upload stands, in the order an upload goes through the states.
    UploadState {
        Preflight = "preflight" : "Checked, not sent",
        Refused = "refused" : "Refused",
        Queued = "queued" : "Queued",
        Uploaded = "uploaded" : "File on the drop",
        Scheduled = "scheduled" : "Scheduled in POM",
        Importing = "importing" : "Importing",
        Completed = "completed" : "Completed",
        Error = "error" : "Import error",
        Failed = "failed" : "Failed",
        Cancelled = "cancelled" : "Cancelled",
        Expired = "expired" : "Expired",
    }
}

impl UploadState {
    /// Sent, and POM's import not finished yet: pages keep reading the upload.
    pub fn is_following(&self) -> bool {
        matches!(
            self,
            UploadState::Queued
                | UploadState::Uploaded
                | UploadState::Scheduled
                | UploadState::Importing
        )
    }
}

/// Filters of the upload history (`YYYY-MM-DD` days, inclusive).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct UploadHistoryFilters {
    #[serde(deserialize_with = "empty_as_none")]
    pub organization: Option<String>,
    /// The exact list name.
    #[serde(deserialize_with = "empty_as_none")]
    pub list_name: Option<String>,
    /// Any of these states (a multi-select; none chosen: every state).
    #[serde(
        deserialize_with = "known_values",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub state: Vec<UploadState>,
    #[serde(deserialize_with = "empty_as_none")]
    pub from: Option<String>,
    #[serde(deserialize_with = "empty_as_none")]
    pub to: Option<String>,
}

impl UrlQuery for UploadHistoryFilters {}

/// One upload in the history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UploadHistoryRow {
    pub upload_id: i64,
    pub created_at: String,
    pub created_by: String,
    pub organization: String,
    pub list_name: String,
    pub data_source: String,
    pub file_name: String,
    pub rows_read: Option<i64>,
    pub rows_sent: Option<i64>,
    pub rows_rejected: Option<i64>,
    pub state: UploadState,
    pub import_job_id: Option<i64>,
    pub pom_state: Option<String>,
    /// POM's success + update counters.
    pub imported: Option<i64>,
    pub missing_count: Option<i64>,
    pub finished_at: Option<String>,
}

fn number(value: Option<i64>) -> String {
    value.map(|n| n.to_string()).unwrap_or_default()
}

impl ReportRow for UploadHistoryRow {
    fn columns() -> &'static [Column<Self>] {
        const {
            &[
                Column::new("upload_id", "Upload", |r| r.upload_id.to_string()),
                Column::new("created_at", "When (UTC)", |r| r.created_at.clone()),
                Column::new("created_by", "Who", |r| r.created_by.clone()),
                Column::new("organization", "Organization", |r| r.organization.clone()),
                Column::new("list", "List", |r| r.list_name.clone()),
                Column::new("data_source", "Data source", |r| r.data_source.clone()),
                Column::new("file", "File", |r| r.file_name.clone()),
                Column::new("rows_read", "Rows read", |r| number(r.rows_read)),
                Column::new("rows_sent", "Sent", |r| number(r.rows_sent)),
                Column::new("rows_rejected", "Rejected", |r| number(r.rows_rejected)),
                Column::<Self>::new("state", "State", |r| r.state.as_str().to_string())
                    .for_people_as(|r| r.state.label().to_string()),
                Column::new("import_job_id", "POM import job", |r| {
                    number(r.import_job_id)
                }),
                Column::new("pom_state", "POM state", |r| {
                    r.pom_state.clone().unwrap_or_default()
                }),
                Column::new("imported", "Imported", |r| number(r.imported)),
                Column::new("missing_after_import", "Missing after import", |r| {
                    number(r.missing_count)
                }),
                Column::new("finished_at", "Finished (UTC)", |r| {
                    r.finished_at.clone().unwrap_or_default()
                }),
            ]
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_state_filter_reads_known_states_only() {
        let filters = UploadHistoryFilters::from_query_string(
            "state=importing&state=archived&state=failed&list_name=A+B",
        );
        assert_eq!(filters.state, [UploadState::Importing, UploadState::Failed]);
        assert_eq!(filters.list_name.as_deref(), Some("A B"));
        assert_eq!(
            filters.to_query_string(),
            "list_name=A+B&state=importing&state=failed"
        );
        assert!(UploadHistoryFilters::from_query_string("state=archived")
            .state
            .is_empty());
        assert_eq!(
            UploadState::from("archived".to_string()).label(),
            "archived"
        );
    }
}
