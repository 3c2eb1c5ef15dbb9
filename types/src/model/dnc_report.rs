//! The DNC List report: the registry's typed values (source, action, state of an entry), the
//! report's filters, its row and columns.

use serde::{Deserialize, Serialize};

use crate::report::{empty_as_none, Column, ReportRow, UrlQuery};

stored_text! {
    /// Where a registered address came from.
    DncSource {
        Upload = "upload" : "Manual (file upload)",
        Single = "single" : "Manual (single entry)",
        Api = "api" : "API",
        DialerKill = "dialer_kill" : "Dialer Kill List",
    }
}

stored_text! {
    /// What OCM asked POM to do with an address.
    DncAction {
        Add = "add" : "Add",
        Remove = "remove" : "Remove",
        MarkUncallable = "mark_uncallable" : "Mark uncallable",
    }
}

stored_text! {
    /// Where a registered address stands with POM.
    DncEntryState {
        Pending = "pending" : "Pending",
        Confirmed = "confirmed" : "Confirmed",
        Failed = "failed" : "Failed",
        /// Registered for an upload whose sending was cancelled.
        NotSent = "not_sent" : "Not sent",
    }
}

stored_text! {
    /// The report's source filter: one source, or `manual` (uploads and single entries).
    DncSourceFilter {
        Manual = "manual" : "Manual",
        Upload = "upload" : "Manual (file upload)",
        Single = "single" : "Manual (single entry)",
        Api = "api" : "API",
        DialerKill = "dialer_kill" : "Dialer Kill List",
    }
}

impl DncSourceFilter {
    /// The sources this choice stands for.
    pub fn sources(&self) -> Vec<DncSource> {
        match self {
            DncSourceFilter::Manual => vec![DncSource::Upload, DncSource::Single],
            DncSourceFilter::Upload => vec![DncSource::Upload],
            DncSourceFilter::Single => vec![DncSource::Single],
            DncSourceFilter::Api => vec![DncSource::Api],
            DncSourceFilter::DialerKill => vec![DncSource::DialerKill],
            DncSourceFilter::Other(_) => Vec::new(),
        }
    }
}

/// Filters of the DNC List report (`YYYY-MM-DD` days, inclusive; text filters match anywhere).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct DncReportFilters {
    #[serde(
        deserialize_with = "empty_as_none",
        skip_serializing_if = "Option::is_none"
    )]
    pub from: Option<String>,
    #[serde(
        deserialize_with = "empty_as_none",
        skip_serializing_if = "Option::is_none"
    )]
    pub to: Option<String>,
    #[serde(
        deserialize_with = "empty_as_none",
        skip_serializing_if = "Option::is_none"
    )]
    pub source: Option<DncSourceFilter>,
    #[serde(
        deserialize_with = "empty_as_none",
        skip_serializing_if = "Option::is_none"
    )]
    pub user: Option<String>,
    #[serde(
        deserialize_with = "empty_as_none",
        skip_serializing_if = "Option::is_none"
    )]
    pub list: Option<String>,
    #[serde(
        deserialize_with = "empty_as_none",
        skip_serializing_if = "Option::is_none"
    )]
    pub address: Option<String>,
}

impl UrlQuery for DncReportFilters {}

/// One registered address: who asked, when, from where, and what POM said.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DncEntryRow {
    pub entry_id: i64,
    pub address: String,
    pub action: DncAction,
    pub source: DncSource,
    pub list: String,
    pub organization: String,
    pub requested_by: String,
    /// RFC 3339.
    pub requested_at: String,
    pub file_name: Option<String>,
    pub file_sha256: Option<String>,
    pub state: DncEntryState,
    pub confirmed_at: Option<String>,
    pub outcome: Option<String>,
}

fn text(value: &Option<String>) -> String {
    value.clone().unwrap_or_default()
}

impl ReportRow for DncEntryRow {
    fn columns() -> &'static [Column<Self>] {
        &[
            Column {
                key: "requested_at_utc",
                heading: "Requested (UTC)",
                cell: |r| r.requested_at.clone(),
                label: None,
            },
            Column {
                key: "address",
                heading: "Address",
                cell: |r| r.address.clone(),
                label: None,
            },
            Column {
                key: "action",
                heading: "Action",
                cell: |r| r.action.as_str().to_string(),
                label: Some(|r| r.action.label().to_string()),
            },
            Column {
                key: "source",
                heading: "Source",
                cell: |r| r.source.label().to_string(),
                label: None,
            },
            Column {
                key: "list",
                heading: "List",
                cell: |r| r.list.clone(),
                label: None,
            },
            Column {
                key: "organization",
                heading: "Organization",
                cell: |r| r.organization.clone(),
                label: None,
            },
            Column {
                key: "requested_by",
                heading: "Requested by",
                cell: |r| r.requested_by.clone(),
                label: None,
            },
            Column {
                key: "file_name",
                heading: "File",
                cell: |r| text(&r.file_name),
                label: None,
            },
            Column {
                key: "file_sha256",
                heading: "File SHA-256",
                cell: |r| text(&r.file_sha256),
                label: None,
            },
            Column {
                key: "state",
                heading: "State",
                cell: |r| r.state.as_str().to_string(),
                label: Some(|r| r.state.label().to_string()),
            },
            Column {
                key: "confirmed_at_utc",
                heading: "Confirmed (UTC)",
                cell: |r| text(&r.confirmed_at),
                label: None,
            },
            Column {
                key: "outcome",
                heading: "POM's outcome",
                cell: |r| text(&r.outcome),
                label: None,
            },
            Column {
                key: "entry_id",
                heading: "Entry",
                cell: |r| r.entry_id.to_string(),
                label: None,
            },
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_values_read_known_and_unknown_alike() {
        assert_eq!(
            DncSource::from("dialer_kill".to_string()),
            DncSource::DialerKill
        );
        let odd = DncSource::from("fax".to_string());
        assert_eq!((odd.as_str(), odd.label()), ("fax", "fax"));
        let json = serde_json::to_string(&[DncSource::Api, odd.clone()]).unwrap();
        assert_eq!(json, r#"["api","fax"]"#);
        let back: Vec<DncSource> = serde_json::from_str(&json).unwrap();
        assert_eq!(back, [DncSource::Api, odd]);
    }

    #[test]
    fn an_unknown_source_in_the_url_is_no_filter() {
        let filters = DncReportFilters::from_query_string("source=manual&address=%2B44");
        assert_eq!(filters.source, Some(DncSourceFilter::Manual));
        assert_eq!(filters.address.as_deref(), Some("+44"));
        assert_eq!(filters.to_query_string(), "source=manual&address=%2B44");
        assert_eq!(
            DncReportFilters::from_query_string("source=fax").source,
            None
        );
    }
}
