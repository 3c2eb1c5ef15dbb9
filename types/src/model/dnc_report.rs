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
        Expiry = "expiry" : "Timed DNC expiry",
        RecordCancel = "record_cancel" : "API record cancel",
        CompletionRule = "completion_rule" : "Completion-code rule",
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
        Expiry = "expiry" : "Timed DNC expiry",
        RecordCancel = "record_cancel" : "API record cancel",
        CompletionRule = "completion_rule" : "Completion-code rule",
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
            DncSourceFilter::Expiry => vec![DncSource::Expiry],
            DncSourceFilter::RecordCancel => vec![DncSource::RecordCancel],
            DncSourceFilter::CompletionRule => vec![DncSource::CompletionRule],
            DncSourceFilter::Other(_) => Vec::new(),
        }
    }
}

/// Filters of the DNC List report (`YYYY-MM-DD` days, inclusive; text filters match anywhere).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct DncReportFilters {
    #[serde(deserialize_with = "empty_as_none")]
    pub from: Option<String>,
    #[serde(deserialize_with = "empty_as_none")]
    pub to: Option<String>,
    #[serde(deserialize_with = "empty_as_none")]
    pub source: Option<DncSourceFilter>,
    #[serde(deserialize_with = "empty_as_none")]
    pub user: Option<String>,
    #[serde(deserialize_with = "empty_as_none")]
    pub list: Option<String>,
    #[serde(deserialize_with = "empty_as_none")]
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
    /// Timed DNC: when OCM takes the address off again (RFC 3339), and how that went.
    pub expires_at: Option<String>,
    pub expiry_state: Option<String>,
}

fn text(value: &Option<String>) -> String {
    value.clone().unwrap_or_default()
}

impl ReportRow for DncEntryRow {
    fn columns() -> &'static [Column<Self>] {
        const {
            &[
                Column::new("requested_at_utc", "Requested (UTC)", |r| {
                    r.requested_at.clone()
                }),
                Column::new("address", "Address", |r| r.address.clone()),
                Column::<Self>::new("action", "Action", |r| r.action.as_str().to_string())
                    .for_people_as(|r| r.action.label().to_string()),
                Column::new("source", "Source", |r| r.source.label().to_string()),
                Column::new("list", "List", |r| r.list.clone()),
                Column::new("organization", "Organization", |r| r.organization.clone()),
                Column::new("requested_by", "Requested by", |r| r.requested_by.clone()),
                Column::new("file_name", "File", |r| text(&r.file_name)),
                Column::new("file_sha256", "File SHA-256", |r| text(&r.file_sha256)),
                Column::<Self>::new("state", "State", |r| r.state.as_str().to_string())
                    .for_people_as(|r| r.state.label().to_string()),
                Column::new("confirmed_at_utc", "Confirmed (UTC)", |r| {
                    text(&r.confirmed_at)
                }),
                Column::new("outcome", "POM's outcome", |r| text(&r.outcome)),
                Column::new("expires_at_utc", "Comes off (UTC)", |r| text(&r.expires_at)),
                Column::new("expiry_state", "Expiry", |r| text(&r.expiry_state)),
                Column::new("entry_id", "Entry", |r| r.entry_id.to_string()),
            ]
        }
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
