//! Purge requests, dry runs and purge history as both sides see them. The validation both sides
//! share is in `purge_rules`.

use serde::{Deserialize, Serialize};

use super::jobs::JobView;

/// How a purge filter compares an attribute with the given values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Operator {
    #[default]
    Equals,
    NotEquals,
    Contains,
    StartsWith,
    In,
    IsEmpty,
    Before,
    After,
    Between,
}

/// The most values one "is one of" / "is not" filter takes.
pub const MAX_VALUES: usize = 10_000;

impl Operator {
    /// Every operator, in the order the form offers them.
    pub const ALL: [Operator; 9] = [
        Operator::Equals,
        Operator::NotEquals,
        Operator::Contains,
        Operator::StartsWith,
        Operator::In,
        Operator::IsEmpty,
        Operator::Before,
        Operator::After,
        Operator::Between,
    ];

    /// The stored and query-string form.
    pub fn as_str(self) -> &'static str {
        match self {
            Operator::Equals => "equals",
            Operator::NotEquals => "not_equals",
            Operator::Contains => "contains",
            Operator::StartsWith => "starts_with",
            Operator::In => "in",
            Operator::IsEmpty => "is_empty",
            Operator::Before => "before",
            Operator::After => "after",
            Operator::Between => "between",
        }
    }

    /// Parses [`Operator::as_str`].
    pub fn parse(value: &str) -> Option<Operator> {
        Operator::ALL.into_iter().find(|o| o.as_str() == value)
    }

    /// Words for the form and the history.
    pub fn label(self) -> &'static str {
        match self {
            Operator::Equals => "equals",
            Operator::NotEquals => "not equal to",
            Operator::Contains => "contains",
            Operator::StartsWith => "starts with",
            Operator::In => "is one of",
            Operator::IsEmpty => "is empty",
            Operator::Before => "before",
            Operator::After => "after",
            Operator::Between => "between",
        }
    }

    /// Only for date attributes.
    pub fn needs_date(self) -> bool {
        matches!(self, Operator::Before | Operator::After | Operator::Between)
    }

    /// How many values the operator takes: `(at least, at most)`.
    pub fn arity(self) -> (usize, usize) {
        match self {
            Operator::IsEmpty => (0, 0),
            Operator::Between => (2, 2),
            // A list pasted into "is one of" is bounded like every outside input.
            Operator::In | Operator::NotEquals => (1, MAX_VALUES),
            _ => (1, 1),
        }
    }
}

/// The kind of a POM attribute, from its catalogue type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AttributeKind {
    Text,
    Date,
    Number,
    /// A phone number: filter values are read by the phone rules and compared in POM's form.
    Phone,
}

impl AttributeKind {
    /// POM's catalogue type (`DATE`, `NUMBER`, `STRING`, `PHONE`, …).
    pub fn from_pom(kind: &str) -> AttributeKind {
        match kind.to_ascii_uppercase().as_str() {
            "DATE" | "DATETIME" | "TIMESTAMP" => AttributeKind::Date,
            "NUMBER" | "NUMERIC" | "INTEGER" | "FLOAT" | "DECIMAL" => AttributeKind::Number,
            "PHONE" => AttributeKind::Phone,
            _ => AttributeKind::Text,
        }
    }
}

/// An attribute of POM's catalogue, as the purge form offers it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttributeInfo {
    pub name: String,
    pub kind: AttributeKind,
}

/// What the user asks to purge.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct PurgeRequest {
    pub list_id: i64,
    pub attribute: String,
    pub operator: Operator,
    pub values: Vec<String>,
    /// Why (seed 001's `BusinessParameter`); required.
    pub reason: String,
}

/// One problem with a field of the form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldProblem {
    pub field: &'static str,
    pub message: String,
}

/// Contacts of one campaign id (`CAMP_ID`) before and after the purge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CampaignCount {
    pub campaign_id: String,
    pub before: i64,
    pub after: Option<i64>,
}

/// The exact effect of a purge, computed by reading the whole list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DryRun {
    pub list_id: i64,
    pub list_name: String,
    pub list_total: i64,
    pub matched: i64,
    /// "Not equal to" on the direct-purge attribute: everything except the given values.
    pub direct: bool,
    /// The filter in plain words, stating what will be deleted.
    pub explanation: String,
    pub campaigns: Vec<CampaignCount>,
    /// Attribute names, in display order, for `sample`.
    pub columns: Vec<String>,
    pub sample: Vec<Vec<String>>,
    /// Contacts whose date attribute could not be read (never matched by date operators).
    pub unreadable_dates: i64,
    /// "Is one of" values no contact had (a typo'd id would vanish silently), at most 50.
    #[serde(default)]
    pub unmatched_values: Vec<String>,
    /// Further values no contact had, beyond `unmatched_values`.
    #[serde(default)]
    pub unmatched_more: i64,
    /// Identifies the matched set; the confirmation must carry it back.
    pub fingerprint: String,
}

/// What confirming a purge led to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum PurgeStart {
    /// The job is queued.
    Started { purge_run_id: i64, job_id: i64 },
    /// The list changed since the dry run: the new dry run and the difference; confirm again.
    Changed {
        /// Boxed: a dry run is much larger than the other answer.
        dry_run: Box<DryRun>,
        added: i64,
        removed: i64,
    },
}

/// One purge run in the history (seed 001's `OutboundPurgeData`, one row per run).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PurgeRunRow {
    pub purge_run_id: i64,
    pub created_at: String,
    pub organization: String,
    pub list_id: i64,
    pub list_name: String,
    pub mode: String,
    /// The filter in words.
    pub filter: String,
    pub reason: String,
    pub requested_by: String,
    pub matched: i64,
    pub before: i64,
    pub after: Option<i64>,
    pub deleted: i64,
    pub failed: i64,
    pub restored: i64,
    pub duration_seconds: Option<f64>,
    pub job: JobView,
    pub snapshot_expires_at: String,
    pub snapshot_deleted: bool,
    /// Contacts per campaign id before and after (the export's lines).
    #[serde(default)]
    pub campaigns: Vec<CampaignCount>,
}

/// A contact the purge could not delete, with POM's message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PurgeFailure {
    pub user_contact_id: String,
    pub message: String,
}

/// Everything about one purge run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PurgeRunDetail {
    pub run: PurgeRunRow,
    pub campaigns: Vec<CampaignCount>,
    /// Up to 200 failures.
    pub failures: Vec<PurgeFailure>,
    /// Deleted contacts whose snapshot can still be restored.
    pub restorable: i64,
    /// The latest restore job of this run, if any.
    pub restore_job: Option<JobView>,
}

/// One snapshot contact (for choosing what to restore).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SnapshotContact {
    pub user_contact_id: String,
    /// `deleted`, `absent`, `failed`, `pending`, `cancelled`.
    pub state: String,
    /// `restored`, `exists` (a contact with this id is in the list again), `failed`, or none.
    pub restore_state: Option<String>,
    pub restore_error: Option<String>,
    pub values: Vec<String>,
}

/// A page of a run's snapshot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SnapshotPage {
    pub columns: Vec<String>,
    pub contacts: Vec<SnapshotContact>,
    pub total: i64,
    pub page: u32,
    pub page_size: u32,
}
