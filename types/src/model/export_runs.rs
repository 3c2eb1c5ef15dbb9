//! Scheduled exports as pages and forms see them: the reports a schedule may name, a new
//! schedule as the form sends it, a schedule with its next runs, and a run with its file.

use serde::{Deserialize, Serialize};

use super::export_schedules::{Period, Recurrence};

/// A report a schedule may name: its key (the page's and the API's), its name for people, and
/// its page (where "Schedule this report" starts).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Schedulable {
    pub key: &'static str,
    pub name: &'static str,
    pub page: &'static str,
}

/// Every report with a date range, so that a run can cover its period.
pub const SCHEDULABLE: &[Schedulable] = &[
    Schedulable {
        key: "call-attempts",
        name: "Call Attempt",
        page: "/reports/call-attempts",
    },
    Schedulable {
        key: "compliance",
        name: "Compliance",
        page: "/reports/compliance",
    },
    Schedulable {
        key: "nuisance",
        name: "Outbound Nuisance",
        page: "/reports/nuisance",
    },
    Schedulable {
        key: "agent-time",
        name: "Agent Time Summary",
        page: "/reports/agent-time",
    },
    Schedulable {
        key: "job-summary",
        name: "Job Performance Summary",
        page: "/reports/job-summary",
    },
    Schedulable {
        key: "sales",
        name: "Secured/Unsecured Performance",
        page: "/reports/sales",
    },
    Schedulable {
        key: "codes",
        name: "NSP/NTC List",
        page: "/reports/codes",
    },
    Schedulable {
        key: "recalls",
        name: "Agent Owned Recalls",
        page: "/reports/recalls",
    },
    Schedulable {
        key: "inbound-abandoned",
        name: "Inbound Abandoned",
        page: "/reports/inbound-abandoned",
    },
    Schedulable {
        key: "not-attempted",
        name: "List Accounts Not Attempted",
        page: "/reports/not-attempted",
    },
    Schedulable {
        key: "not-in-listing",
        name: "Account Not in Listing",
        page: "/reports/not-in-listing",
    },
    Schedulable {
        key: "dnc",
        name: "DNC List",
        page: "/dnc/report",
    },
    Schedulable {
        key: "purge-history",
        name: "Purge history",
        page: "/purge/history",
    },
    Schedulable {
        key: "upload-history",
        name: "Upload history",
        page: "/uploads/history",
    },
    Schedulable {
        key: "audit",
        name: "Audit log",
        page: "/audit",
    },
];

/// The schedules page with a new schedule's form filled in from a report page's filters.
pub fn schedule_link(key: &str, query: &str) -> String {
    let query =
        serde_html_form::to_string([("report", key), ("filters", query)]).unwrap_or_default();
    format!("/reports/schedules?{query}")
}

/// The first value of `key` in a query string (an admin's organization filter, to start the
/// schedule in that organization).
pub fn filter_value(query: &str, key: &str) -> Option<String> {
    serde_html_form::from_str::<Vec<(String, String)>>(query)
        .ok()?
        .into_iter()
        .find(|(k, v)| k == key && !v.is_empty())
        .map(|(_, v)| v)
}

/// The report named `key`, if a schedule may name it.
pub fn schedulable(key: &str) -> Option<&'static Schedulable> {
    SCHEDULABLE.iter().find(|s| s.key == key)
}

stored_text! {
    /// The file a run writes.
    ExportFormat {
        Csv = "csv": "CSV",
        Xlsx = "xlsx": "Excel",
    }
}

impl ExportFormat {
    /// The file name's ending.
    pub fn extension(&self) -> &str {
        self.as_str()
    }
}

stored_text! {
    /// What started a run.
    RunTrigger {
        Schedule = "schedule": "On time",
        CatchUp = "catch_up": "Late (missed while OCM was down)",
        RunNow = "run_now": "Run now",
        Rerun = "rerun": "Re-run of a past period",
    }
}

stored_text! {
    /// Where a run is.
    RunState {
        Queued = "queued": "Queued",
        Running = "running": "Running",
        Done = "done": "Done",
        Empty = "empty": "Empty (skipped)",
        Failed = "failed": "Failed",
        Refused = "refused": "Refused",
    }
}

/// A schedule as the form sends it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewExportSchedule {
    pub name: String,
    /// A key of [`SCHEDULABLE`].
    pub report: String,
    /// The report page's query string (its filters); dates in it are replaced by each run's.
    pub filters: String,
    pub format: ExportFormat,
    pub recurrence: Recurrence,
    pub period: Period,
    /// The file's name with fields: `{report}`, `{from}`, `{to}`, `{run}` (the run's local date
    /// and time), `{schedule}`.
    pub file_name: String,
    pub skip_empty: bool,
    /// Admins name the organization; everybody else's is their own.
    pub organization: Option<String>,
    /// E-mail addresses the file goes to.
    #[serde(default)]
    pub recipients: Vec<String>,
    /// An SFTP destination admins configured, by name.
    #[serde(default)]
    pub sftp_destination: Option<String>,
    /// Told by e-mail when a delivery fails for good (the owner's address).
    #[serde(default)]
    pub notify_email: Option<String>,
}

/// The schedules page: the schedules, the zone a new one starts in (the report time zone) and
/// the organizations the caller may schedule for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportSchedulesPage {
    pub schedules: Vec<ExportScheduleView>,
    pub default_zone: String,
    pub organizations: Vec<String>,
    /// Whether OCM has a mail server to send files with.
    pub email: bool,
    /// The SFTP destinations the caller's schedules may use.
    pub destinations: Vec<String>,
    /// The domains recipients may be at (empty: any).
    pub email_domains: Vec<String>,
    /// Days a run's file is kept.
    pub retention_days: u32,
}

/// Scheduled exports that went wrong in the last week, for the dashboard.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportProblems {
    /// Runs failed or refused.
    pub runs: i64,
    /// Deliveries failed for good.
    pub deliveries: i64,
}

/// A schedule on the page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportScheduleView {
    pub schedule_id: i64,
    pub name: String,
    pub organization: String,
    pub report: String,
    pub report_name: String,
    pub filters: String,
    pub format: ExportFormat,
    pub recurrence: Recurrence,
    pub period: Period,
    pub file_name: String,
    pub skip_empty: bool,
    pub recipients: Vec<String>,
    pub sftp_destination: Option<String>,
    pub notify_email: Option<String>,
    pub owner: String,
    /// "Every Monday at 07:00 Europe/London, last week's Call Attempt report as Excel".
    pub in_words: String,
    /// The next three run times, local to the schedule's zone (`2026-12-07 07:00 GMT`).
    pub next_runs: Vec<String>,
    pub paused: bool,
    pub last_run: Option<ExportRunView>,
    /// The caller owns it or is an admin: may run, pause, resume, delete and re-run it.
    pub may_change: bool,
}

/// One run of a schedule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportRunView {
    pub run_id: i64,
    pub schedule_id: i64,
    pub trigger: RunTrigger,
    /// The instant the recurrence named (RFC 3339), none for a person's run.
    pub due_at: Option<String>,
    pub period_from: String,
    pub period_to: String,
    pub state: RunState,
    pub rows: Option<i64>,
    pub bytes: Option<i64>,
    pub sha256: Option<String>,
    pub file_name: Option<String>,
    /// The file is still kept (not erased after the retention).
    pub downloadable: bool,
    pub error: Option<String>,
    pub requested_by: String,
    pub created_at: String,
    pub finished_at: Option<String>,
    pub duration_ms: Option<i64>,
    pub job_id: Option<i64>,
    pub deliveries: Vec<DeliveryView>,
}

stored_text! {
    /// How a file is delivered.
    DeliveryKind {
        Email = "email": "E-mail",
        Sftp = "sftp": "SFTP",
        Notice = "notice": "Failure notice",
    }
}

stored_text! {
    /// Where a delivery is.
    DeliveryState {
        Pending = "pending": "Waiting",
        Sending = "sending": "Sending",
        Delivered = "delivered": "Delivered",
        Failed = "failed": "Failed",
    }
}

/// One delivery of a run's file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveryView {
    pub kind: DeliveryKind,
    /// The addresses, or the SFTP destination's name.
    pub destination: String,
    pub state: DeliveryState,
    pub attempts: i32,
    pub last_error: Option<String>,
    /// When it was delivered, or when it is tried next (RFC 3339).
    pub delivered_at: Option<String>,
    pub next_attempt_at: Option<String>,
    /// "attached", "as a link", the remote path.
    pub how: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_schedulable_report_is_named_once_and_linked_with_its_filters() {
        let mut keys: Vec<&str> = SCHEDULABLE.iter().map(|s| s.key).collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), SCHEDULABLE.len());
        assert_eq!(
            schedule_link("call-attempts", "campaign=Sales UK&from=2026-12-01"),
            "/reports/schedules?report=call-attempts&filters=campaign%3DSales+UK%26from%3D2026-12-01"
        );
        assert_eq!(
            filter_value("campaign=A&organization=Debt+Recovery", "organization").as_deref(),
            Some("Debt Recovery")
        );
        assert_eq!(filter_value("organization=", "organization"), None);
    }
}
