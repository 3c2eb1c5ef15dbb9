//! How fresh the sources behind the live dashboards are: POM's job list and the call data. A
//! source that is behind is named with since when its figures are stale, so the pages mark the
//! figures leaning on it as not current instead of showing them as live.

use serde::{Deserialize, Serialize};

/// A source the live figures lean on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FigureSource {
    /// POM's job list (`campaigns/joblist`): which jobs are open and in which state.
    PomJobs,
    /// The call-data feed (or import folder): attempts, agents, callbacks, contacts passed over.
    CallData,
}

impl FigureSource {
    pub fn as_str(self) -> &'static str {
        match self {
            FigureSource::PomJobs => "pom_jobs",
            FigureSource::CallData => "call_data",
        }
    }

    /// The source in words, as a page's mark names it.
    pub fn label(self) -> &'static str {
        match self {
            FigureSource::PomJobs => "POM's job list",
            FigureSource::CallData => "the call data",
        }
    }
}

/// A source that is behind: which, since when its figures are stale, and the notice in words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceBehind {
    pub source: FigureSource,
    /// Since when (RFC 3339): the last successful read of POM's job list or of the feed, or the
    /// newest call-data record when the feed is read but lags. None: never read, nothing arrived.
    pub since: Option<String>,
    /// `since` as a wall time in the report time zone (`YYYY-MM-DD HH:MM:SS`).
    pub since_local: Option<String>,
    /// The report time zone (`OCM_REPORT_TIME_ZONE`).
    pub time_zone: String,
    /// The notice in plain words, the local time and zone included.
    pub words: String,
}

impl SourceBehind {
    /// "as of 2026-12-07 14:03:10 (Europe/London)", or "never read" for a source with no time.
    pub fn as_of(&self) -> String {
        match &self.since_local {
            Some(local) => format!("as of {local} ({})", self.time_zone),
            None => match self.source {
                FigureSource::PomJobs => "POM's job list never read".to_string(),
                FigureSource::CallData => "no call data yet".to_string(),
            },
        }
    }
}
