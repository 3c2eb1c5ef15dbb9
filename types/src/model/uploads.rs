//! Manual contact uploads as the browser sees them: data sources (list → data source → SFTP
//! path), an upload with its column mapping and pre-flight, POM's import counters, and history.

use serde::{Deserialize, Serialize};

use super::dnc::ReasonCount;
use super::jobs::JobView;
use super::upload_history::UploadState;

/// A POM file data source as OCM knows it (admin-editable).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DataSourceRow {
    pub data_source_id: i64,
    pub name: String,
    pub organization: String,
    pub list_name: String,
    /// `append` or `replace` (the list is emptied first).
    pub kind: String,
    /// Where the data source reads its file on the SFTP drop.
    pub remote_path: String,
    pub delimiter: String,
    pub header_row: bool,
    /// Attribute per column; empty: the header row names the attributes.
    pub columns: Vec<String>,
    pub updated_by: String,
    pub updated_at: String,
}

/// What the data-source form sends (`data_source_id` none: a new one).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct DataSourceInput {
    pub data_source_id: Option<i64>,
    pub name: String,
    pub organization: String,
    pub list_name: String,
    pub kind: String,
    pub remote_path: String,
    pub delimiter: String,
    pub header_row: bool,
    /// Attributes in column order, separated by commas; empty: header names decide.
    pub columns: String,
}

/// A date format files may use (POM receives `yyyy-MM-dd`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DateFormatOption {
    /// `ymd`, `dmy` or `mdy`.
    pub value: String,
    pub label: String,
}

/// One file column and the attribute it goes to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColumnMapping {
    pub header: String,
    /// None: left out.
    pub attribute: Option<String>,
    /// Chosen by OCM from the header (not by the user or a template).
    pub automatic: bool,
}

/// The user's choices for an upload.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct UploadChoices {
    pub sheet: Option<String>,
    /// `,` `;` `tab` or `|`; none: detected.
    pub delimiter: Option<String>,
    /// None: detected.
    pub has_header: Option<bool>,
    /// Header → attribute (None: leave out); headers not listed are mapped automatically.
    pub mapping: Vec<(String, Option<String>)>,
    /// `ymd`, `dmy` or `mdy`.
    pub date_format: String,
    /// Check phone numbers and e-mails against POM's DNC lists first (small files only).
    pub dnc_check: bool,
    /// Keep this mapping as the list's template.
    pub save_template: bool,
}

/// A data row as it will be sent, or why it is left out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactSampleRow {
    pub row: u64,
    pub values: Vec<String>,
    pub problem: Option<String>,
    /// Why a valid row deserves a look (`Mobile '(555) 123-4567': not a valid US number`).
    #[serde(default)]
    pub flag: Option<String>,
}

/// The pre-flight of an upload.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct UploadPreflight {
    /// e.g. `CSV (UTF-8, delimiter ';')`, `XLSX`.
    pub format: String,
    pub sheets: Vec<String>,
    pub sheet: Option<String>,
    pub delimiter: Option<String>,
    pub has_header: bool,
    pub columns: Vec<ColumnMapping>,
    /// File columns left out, by header.
    pub unmapped: Vec<String>,
    /// Why the file cannot be sent as mapped (nothing is sent while any remain).
    pub blocking: Vec<String>,
    pub rows: u64,
    pub valid: u64,
    pub rejected: u64,
    pub duplicates: u64,
    pub reasons: Vec<ReasonCount>,
    /// Valid rows sent with a flag (phone numbers possible but not valid), by kind.
    #[serde(default)]
    pub flagged: Vec<ReasonCount>,
    /// The converted file's columns (attributes).
    pub output_columns: Vec<String>,
    pub sample: Vec<ContactSampleRow>,
    /// Whether the phone numbers and e-mails were checked against POM's DNC lists.
    pub dnc_checked: bool,
    /// Why no DNC check was made although asked (too many rows), if so.
    pub dnc_note: Option<String>,
}

/// POM's ten `ImportJobStatus` counters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ImportCounters {
    pub success: i64,
    pub update: i64,
    pub runtime_errors: i64,
    pub validation_failed: i64,
    pub duplicates_ignored: i64,
    pub reject_pattern_matches: i64,
    pub deleted: i64,
    pub dnc_matches: i64,
    pub phone_format_failed: i64,
    pub processed: i64,
}

/// One upload with everything the upload page shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UploadView {
    pub upload_id: i64,
    pub organization: String,
    pub list_id: i64,
    pub list_name: String,
    pub data_source: String,
    pub data_source_kind: String,
    pub remote_path: String,
    pub file_name: String,
    pub file_sha256: String,
    pub file_bytes: i64,
    pub state: UploadState,
    pub problem: Option<String>,
    pub choices: UploadChoices,
    pub preflight: Option<UploadPreflight>,
    /// Data rows read, sent (valid) and rejected by OCM.
    pub rows_read: Option<i64>,
    pub rows_sent: Option<i64>,
    pub rows_rejected: Option<i64>,
    /// The run-once start time as sent to POM, and its zone.
    pub scheduled_for: Option<String>,
    pub time_zone: Option<String>,
    /// The same start as an instant (RFC 3339, UTC).
    #[serde(default)]
    pub scheduled_at: Option<String>,
    /// Seconds from the server's reading of the upload to the start (negative once past): the
    /// page counts down from it, so the browser's clock does not matter.
    #[serde(default)]
    pub starts_in_seconds: Option<i64>,
    pub import_job_id: Option<i64>,
    /// POM's import state (`QUEUED`, `FILE_COPYING`, `RUNNING`, `COMPLETED`, `ERROR`, …).
    pub pom_state: Option<String>,
    pub pom_counters: Option<ImportCounters>,
    /// Rows sent but not in the list afterwards.
    pub missing_count: Option<i64>,
    pub job: Option<JobView>,
    pub created_by: String,
    pub created_at: String,
    pub sent_at: Option<String>,
    pub finished_at: Option<String>,
    /// The original, converted, reject and difference files can still be downloaded.
    pub files_available: bool,
    pub files_expire_at: String,
    /// How long after the file is in place POM runs the data source.
    pub start_delay_seconds: u64,
    /// The part being sent when the file goes to POM in parts (none: one file).
    #[serde(default)]
    pub part: Option<UploadPart>,
}

/// Which part of a file split for POM's file limit is being sent (1-based).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct UploadPart {
    pub number: i32,
    pub count: i32,
}

impl UploadPart {
    /// "part 2 of 3".
    pub fn label(&self) -> String {
        format!("part {} of {}", self.number, self.count)
    }
}

/// A contact list an upload can go to, with its data sources.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UploadTarget {
    pub list_id: i64,
    pub list_name: String,
    pub organization: String,
    pub total_contacts: i64,
    pub sources: Vec<DataSourceRow>,
}

/// The date formats an upload may declare, POM's own first.
pub fn date_format_options() -> Vec<DateFormatOption> {
    [
        ("ymd", "YYYY-MM-DD (or YYYY/MM/DD)"),
        ("dmy", "DD/MM/YYYY"),
        ("mdy", "MM/DD/YYYY"),
    ]
    .into_iter()
    .map(|(value, label)| DateFormatOption {
        value: value.into(),
        label: label.into(),
    })
    .collect()
}
