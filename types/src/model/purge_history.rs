//! The purge history report: its filters, the columns of a run, and the export's lines (seed
//! 001's `OutboundPurgeData`: one line per run and campaign id).

use serde::{Deserialize, Serialize};

use super::purge::PurgeRunRow;
use crate::report::{empty_as_none, Column, ReportRow, UrlQuery};

/// Filters of the purge history (`YYYY-MM-DD` days, inclusive; text filters match anywhere).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct PurgeHistoryFilters {
    #[serde(
        deserialize_with = "empty_as_none",
        skip_serializing_if = "Option::is_none"
    )]
    pub list: Option<String>,
    #[serde(
        deserialize_with = "empty_as_none",
        skip_serializing_if = "Option::is_none"
    )]
    pub user: Option<String>,
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
    /// One contact list's runs (the list page links here).
    #[serde(
        deserialize_with = "empty_as_none",
        skip_serializing_if = "Option::is_none"
    )]
    pub list_id: Option<i64>,
}

impl UrlQuery for PurgeHistoryFilters {}

fn number(value: Option<i64>) -> String {
    value.map(|n| n.to_string()).unwrap_or_default()
}

impl ReportRow for PurgeRunRow {
    fn columns() -> &'static [Column<Self>] {
        &[
            Column {
                key: "purge_run_id",
                heading: "Run",
                cell: |r| r.purge_run_id.to_string(),
                label: None,
            },
            Column {
                key: "created_at_utc",
                heading: "When (UTC)",
                cell: |r| r.created_at.clone(),
                label: None,
            },
            Column {
                key: "organization",
                heading: "Organization",
                cell: |r| r.organization.clone(),
                label: None,
            },
            Column {
                key: "contact_list",
                heading: "List",
                cell: |r| r.list_name.clone(),
                label: None,
            },
            Column {
                key: "mode",
                heading: "Mode",
                cell: |r| r.mode.clone(),
                label: None,
            },
            Column {
                key: "filter",
                heading: "Filter",
                cell: |r| r.filter.clone(),
                label: None,
            },
            Column {
                key: "business_parameter",
                heading: "Reason",
                cell: |r| r.reason.clone(),
                label: None,
            },
            Column {
                key: "user",
                heading: "Who",
                cell: |r| r.requested_by.clone(),
                label: None,
            },
            Column {
                key: "before_purging",
                heading: "Before",
                cell: |r| r.before.to_string(),
                label: None,
            },
            Column {
                key: "after_purging",
                heading: "After",
                cell: |r| number(r.after),
                label: None,
            },
            Column {
                key: "matched",
                heading: "Matched",
                cell: |r| r.matched.to_string(),
                label: None,
            },
            Column {
                key: "deleted",
                heading: "Deleted",
                cell: |r| r.deleted.to_string(),
                label: None,
            },
            Column {
                key: "failed",
                heading: "Failed",
                cell: |r| r.failed.to_string(),
                label: None,
            },
            Column {
                key: "restored",
                heading: "Restored",
                cell: |r| r.restored.to_string(),
                label: None,
            },
            Column {
                key: "job_state",
                heading: "State",
                cell: |r| r.job.state.as_str().to_string(),
                label: Some(|r| r.job.state.label().to_string()),
            },
        ]
    }
}

/// One export line: a run and one of its campaign ids (a run without campaign ids: one line with
/// the list's counts).
#[derive(Debug, Clone, PartialEq)]
pub struct PurgeHistoryLine {
    pub run: PurgeRunRow,
    pub campaign_id: String,
    pub before: i64,
    pub after: Option<i64>,
}

impl PurgeHistoryLine {
    /// A run's lines, one per campaign id.
    pub fn of(run: PurgeRunRow) -> Vec<PurgeHistoryLine> {
        if run.campaigns.is_empty() {
            let (before, after) = (run.before, run.after);
            return vec![PurgeHistoryLine {
                run,
                campaign_id: String::new(),
                before,
                after,
            }];
        }
        run.campaigns
            .iter()
            .map(|c| PurgeHistoryLine {
                run: run.clone(),
                campaign_id: c.campaign_id.clone(),
                before: c.before,
                after: c.after,
            })
            .collect()
    }
}

impl ReportRow for PurgeHistoryLine {
    fn columns() -> &'static [Column<Self>] {
        &[
            Column {
                key: "purge_run_id",
                heading: "Run",
                cell: |l| l.run.purge_run_id.to_string(),
                label: None,
            },
            Column {
                key: "created_at_utc",
                heading: "When (UTC)",
                cell: |l| l.run.created_at.clone(),
                label: None,
            },
            Column {
                key: "organization",
                heading: "Organization",
                cell: |l| l.run.organization.clone(),
                label: None,
            },
            Column {
                key: "mode",
                heading: "Mode",
                cell: |l| l.run.mode.clone(),
                label: None,
            },
            Column {
                key: "contact_list",
                heading: "List",
                cell: |l| l.run.list_name.clone(),
                label: None,
            },
            Column {
                key: "contact_list_id",
                heading: "List id",
                cell: |l| l.run.list_id.to_string(),
                label: None,
            },
            Column {
                key: "campaign_id",
                heading: "Campaign id",
                cell: |l| l.campaign_id.clone(),
                label: None,
            },
            Column {
                key: "before_purging",
                heading: "Before",
                cell: |l| l.before.to_string(),
                label: None,
            },
            Column {
                key: "after_purging",
                heading: "After",
                cell: |l| number(l.after),
                label: None,
            },
            Column {
                key: "business_parameter",
                heading: "Reason",
                cell: |l| l.run.reason.clone(),
                label: None,
            },
            Column {
                key: "filter",
                heading: "Filter",
                cell: |l| l.run.filter.clone(),
                label: None,
            },
            Column {
                key: "user",
                heading: "Who",
                cell: |l| l.run.requested_by.clone(),
                label: None,
            },
            Column {
                key: "matched",
                heading: "Matched",
                cell: |l| l.run.matched.to_string(),
                label: None,
            },
            Column {
                key: "deleted",
                heading: "Deleted",
                cell: |l| l.run.deleted.to_string(),
                label: None,
            },
            Column {
                key: "failed",
                heading: "Failed",
                cell: |l| l.run.failed.to_string(),
                label: None,
            },
            Column {
                key: "restored",
                heading: "Restored",
                cell: |l| l.run.restored.to_string(),
                label: None,
            },
            Column {
                key: "job_state",
                heading: "State",
                cell: |l| l.run.job.state.as_str().to_string(),
                label: Some(|l| l.run.job.state.label().to_string()),
            },
        ]
    }
}
