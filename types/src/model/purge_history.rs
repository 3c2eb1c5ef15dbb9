//! The purge history report: its filters, the columns of a run, and the export's lines (seed
//! 001's `OutboundPurgeData`: one line per run and campaign id).

use serde::{Deserialize, Serialize};

use super::purge::PurgeRunRow;
use crate::report::{empty_as_none, Column, ReportRow, UrlQuery};

/// Filters of the purge history (`YYYY-MM-DD` days, inclusive; text filters match anywhere).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct PurgeHistoryFilters {
    #[serde(deserialize_with = "empty_as_none")]
    pub list: Option<String>,
    #[serde(deserialize_with = "empty_as_none")]
    pub user: Option<String>,
    #[serde(deserialize_with = "empty_as_none")]
    pub from: Option<String>,
    #[serde(deserialize_with = "empty_as_none")]
    pub to: Option<String>,
    /// One contact list's runs (the list page links here).
    #[serde(deserialize_with = "empty_as_none")]
    pub list_id: Option<i64>,
}

impl UrlQuery for PurgeHistoryFilters {}

fn number(value: Option<i64>) -> String {
    value.map(|n| n.to_string()).unwrap_or_default()
}

impl ReportRow for PurgeRunRow {
    fn columns() -> &'static [Column<Self>] {
        const {
            &[
                Column::new("purge_run_id", "Run", |r| r.purge_run_id.to_string()),
                Column::new("created_at_utc", "When (UTC)", |r| r.created_at.clone()),
                Column::new("organization", "Organization", |r| r.organization.clone()),
                Column::new("contact_list", "List", |r| r.list_name.clone()),
                Column::new("mode", "Mode", |r| r.mode.clone()),
                Column::new("filter", "Filter", |r| r.filter.clone()),
                Column::new("business_parameter", "Reason", |r| r.reason.clone()),
                Column::new("user", "Who", |r| r.requested_by.clone()),
                Column::new("before_purging", "Before", |r| r.before.to_string()),
                Column::new("after_purging", "After", |r| number(r.after)),
                Column::new("matched", "Matched", |r| r.matched.to_string()),
                Column::new("deleted", "Deleted", |r| r.deleted.to_string()),
                Column::new("failed", "Failed", |r| r.failed.to_string()),
                Column::new("restored", "Restored", |r| r.restored.to_string()),
                Column::<Self>::new("job_state", "State", |r| r.job.state.as_str().to_string())
                    .for_people_as(|r| r.job.state.label().to_string()),
            ]
        }
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
        const {
            &[
                Column::new("purge_run_id", "Run", |l| l.run.purge_run_id.to_string()),
                Column::new("created_at_utc", "When (UTC)", |l| l.run.created_at.clone()),
                Column::new("organization", "Organization", |l| {
                    l.run.organization.clone()
                }),
                Column::new("mode", "Mode", |l| l.run.mode.clone()),
                Column::new("contact_list", "List", |l| l.run.list_name.clone()),
                Column::new("contact_list_id", "List id", |l| l.run.list_id.to_string()),
                Column::new("campaign_id", "Campaign id", |l| l.campaign_id.clone()),
                Column::new("before_purging", "Before", |l| l.before.to_string()),
                Column::new("after_purging", "After", |l| number(l.after)),
                Column::new("business_parameter", "Reason", |l| l.run.reason.clone()),
                Column::new("filter", "Filter", |l| l.run.filter.clone()),
                Column::new("user", "Who", |l| l.run.requested_by.clone()),
                Column::new("matched", "Matched", |l| l.run.matched.to_string()),
                Column::new("deleted", "Deleted", |l| l.run.deleted.to_string()),
                Column::new("failed", "Failed", |l| l.run.failed.to_string()),
                Column::new("restored", "Restored", |l| l.run.restored.to_string()),
                Column::<Self>::new("job_state", "State", |l| {
                    l.run.job.state.as_str().to_string()
                })
                .for_people_as(|l| l.run.job.state.label().to_string()),
            ]
        }
    }
}
