//! The call-data status page: how ingestion of the feed is doing, what arrived today, problems
//! with the input, and agents and campaigns the mappings do not cover yet.

use serde::{Deserialize, Serialize};

/// The feed as ingestion last saw it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallDataSource {
    pub cursor: i64,
    pub feed_version: Option<i32>,
    pub records: i64,
    pub unknown_records: i64,
    pub unknown_fields: i64,
    pub last_run_at: Option<String>,
    pub last_success_at: Option<String>,
    pub newest_record_at: Option<String>,
    /// Seconds between now and the newest record ingested.
    pub lag_seconds: Option<i64>,
}

/// Records of one kind that happened today (report time zone).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallDataKindCount {
    pub kind: String,
    pub today: i64,
}

/// One problem with the input, by reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallDataProblem {
    pub reason: String,
    pub detail: String,
    pub occurrences: i64,
    pub first_seen: String,
    pub last_seen: String,
}

/// Everything the page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallDataStatus {
    /// Where the feed is read from (credentials hidden); none: not configured.
    pub feed: Option<String>,
    pub time_zone: String,
    pub source: Option<CallDataSource>,
    pub today: Vec<CallDataKindCount>,
    pub problems: Vec<CallDataProblem>,
    /// Agents in today's call data with no team mapped for today.
    pub unmapped_agents: Vec<String>,
    /// Campaigns in today's call data with no team mapped.
    pub unmapped_campaigns: Vec<String>,
}
