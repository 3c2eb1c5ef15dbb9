//! Durable background jobs as the browser sees them: state, counts, rate and time left.

use serde::{Deserialize, Serialize};

/// What a job does; a handler registered for the kind runs it. The serde names are the values of
/// the `job.kind` column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JobKind {
    Purge,
    Restore,
    DncSend,
    ContactUpload,
    PurgeRetry,
    Erasure,
    /// One run of a scheduled export.
    ExportRun,
}

impl JobKind {
    pub const ALL: [JobKind; 7] = [
        JobKind::Purge,
        JobKind::Restore,
        JobKind::DncSend,
        JobKind::ContactUpload,
        JobKind::PurgeRetry,
        JobKind::Erasure,
        JobKind::ExportRun,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            JobKind::Purge => "purge",
            JobKind::Restore => "restore",
            JobKind::DncSend => "dnc_send",
            JobKind::ContactUpload => "contact_upload",
            JobKind::PurgeRetry => "purge_retry",
            JobKind::Erasure => "erasure",
            JobKind::ExportRun => "export_run",
        }
    }

    /// `None` for a kind this build of OCM does not know (written by another version).
    pub fn parse(value: &str) -> Option<JobKind> {
        JobKind::ALL.into_iter().find(|k| k.as_str() == value)
    }

    pub fn label(self) -> &'static str {
        match self {
            JobKind::Purge => "Purge",
            JobKind::Restore => "Restore",
            JobKind::DncSend => "DNC send",
            JobKind::ContactUpload => "Contact upload",
            JobKind::PurgeRetry => "Purge retry",
            JobKind::Erasure => "Erasure",
            JobKind::ExportRun => "Scheduled export",
        }
    }
}

/// A job's state. `Paused` jobs stopped on a POM failure (the message says which) and can be resumed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JobState {
    Queued,
    Running,
    Paused,
    CancelRequested,
    Cancelled,
    Completed,
    Failed,
}

impl JobState {
    pub const ALL: [JobState; 7] = [
        JobState::Queued,
        JobState::Running,
        JobState::Paused,
        JobState::CancelRequested,
        JobState::Cancelled,
        JobState::Completed,
        JobState::Failed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            JobState::Queued => "queued",
            JobState::Running => "running",
            JobState::Paused => "paused",
            JobState::CancelRequested => "cancel_requested",
            JobState::Cancelled => "cancelled",
            JobState::Completed => "completed",
            JobState::Failed => "failed",
        }
    }

    pub fn parse(value: &str) -> Option<JobState> {
        JobState::ALL.into_iter().find(|s| s.as_str() == value)
    }

    pub fn label(self) -> &'static str {
        match self {
            JobState::Queued => "Queued",
            JobState::Running => "Running",
            JobState::Paused => "Paused",
            JobState::CancelRequested => "Cancelling",
            JobState::Cancelled => "Cancelled",
            JobState::Completed => "Completed",
            JobState::Failed => "Failed",
        }
    }

    /// No more work will happen.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            JobState::Cancelled | JobState::Completed | JobState::Failed
        )
    }
}

/// A job's progress, as the SSE channel (`/events`) and server functions send it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JobView {
    pub job_id: i64,
    /// `None` for a kind this build of OCM does not know (written by another version).
    pub kind: Option<JobKind>,
    pub organization: String,
    pub state: JobState,
    pub total: i64,
    pub done: i64,
    pub failed: i64,
    /// Contacts not acted on because there was nothing to do (e.g. restored contact exists again).
    pub skipped: i64,
    /// Why it paused or failed, or a closing summary.
    pub message: Option<String>,
    /// Items per second over the current run.
    pub rate: Option<f64>,
    pub eta_seconds: Option<f64>,
    pub created_by: String,
    pub created_at: String,
    pub finished_at: Option<String>,
}

impl JobView {
    /// The kind in words, for titles and screen readers.
    pub fn kind_label(&self) -> &'static str {
        self.kind.map_or("Unknown", JobKind::label)
    }

    /// Items still to do.
    pub fn remaining(&self) -> i64 {
        (self.total - self.done - self.failed - self.skipped).max(0)
    }

    /// Share finished, 0–100.
    pub fn percent(&self) -> f64 {
        if self.total <= 0 {
            return if self.state.is_final() { 100.0 } else { 0.0 };
        }
        ((self.done + self.failed + self.skipped) as f64 * 100.0 / self.total as f64).min(100.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_names_are_the_serde_names() {
        for kind in JobKind::ALL {
            assert_eq!(serde_json::to_value(kind).unwrap(), kind.as_str());
            assert_eq!(JobKind::parse(kind.as_str()), Some(kind));
        }
        for state in JobState::ALL {
            assert_eq!(serde_json::to_value(state).unwrap(), state.as_str());
            assert_eq!(JobState::parse(state.as_str()), Some(state));
        }
        assert_eq!(JobKind::parse("upload_send"), None);
    }
}
