//! DNC uploads, single-address actions and the DNC List report as both sides see them.

use serde::{Deserialize, Serialize};

use super::jobs::JobView;

/// What an upload does (seed 001's two flows).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum DncMode {
    /// (b) Phone numbers and e-mail addresses added to the organization's POM DNC list.
    #[default]
    DncList,
    /// (a) User contact ids marked uncallable in one contact list.
    Uncallable,
}

impl DncMode {
    pub fn as_str(self) -> &'static str {
        match self {
            DncMode::DncList => "dnc_list",
            DncMode::Uncallable => "uncallable",
        }
    }

    pub fn parse(value: &str) -> Option<DncMode> {
        match value {
            "dnc_list" => Some(DncMode::DncList),
            "uncallable" => Some(DncMode::Uncallable),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            DncMode::DncList => "Add to the organization's DNC list",
            DncMode::Uncallable => "Mark contacts uncallable in a list",
        }
    }
}

/// One row of the pre-flight sample.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SampleRow {
    /// The row number in the file (1 is the first line, the header when there is one).
    pub row: u64,
    pub original: String,
    /// The value as it will be sent, when valid.
    pub value: Option<String>,
    /// A phone number as people write it (`+1 555-123-4567`), when valid.
    #[serde(default)]
    pub shown: Option<String>,
    /// Why the row is rejected (invalid, duplicate, empty).
    pub problem: Option<String>,
    /// Why a valid number deserves a look (`not a valid US number`).
    #[serde(default)]
    pub warning: Option<String>,
}

/// Counts of one rejection reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReasonCount {
    pub reason: String,
    pub count: u64,
}

impl ReasonCount {
    /// Counts per reason, as a pre-flight tallies them.
    pub fn list(counts: &[(String, u64)]) -> Vec<ReasonCount> {
        counts
            .iter()
            .map(|(reason, count)| ReasonCount {
                reason: reason.clone(),
                count: *count,
            })
            .collect()
    }
}

/// Choices the user can change on the pre-flight page.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct PreflightOptions {
    /// `,` `;` `\t` `|`; none: detected.
    pub delimiter: Option<String>,
    /// Spreadsheets with several sheets; none: the first.
    pub sheet: Option<String>,
    /// 0-based column; none: detected from the header.
    pub column: Option<u32>,
}

/// An upload after pre-flight (or refused, with the reason).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DncUploadView {
    pub upload_id: i64,
    pub created_at: String,
    pub created_by: String,
    pub organization: String,
    pub mode: DncMode,
    /// The contact list (mode uncallable) or DNC list (mode dnc_list) it goes to.
    pub target: String,
    pub file_name: String,
    pub file_sha256: String,
    pub file_bytes: i64,
    /// `preflight`, `refused`, `sent` (confirmed and queued).
    pub state: String,
    /// Why the file was refused.
    pub problem: Option<String>,
    /// `CSV (UTF-8, ';')`, `XLSX`, …
    pub format: String,
    pub sheets: Vec<String>,
    pub sheet: Option<String>,
    pub delimiter: Option<String>,
    pub columns: Vec<String>,
    pub column: u32,
    pub rows: u64,
    pub valid: u64,
    pub duplicates: u64,
    pub empty: u64,
    pub invalid: Vec<ReasonCount>,
    /// Accepted phone numbers that deserve a look, by warning (`not a valid US number`).
    pub warnings: Vec<ReasonCount>,
    /// How phone numbers are read and sent (`OCM_PHONE_REGION`, `OCM_POM_PHONE_FORMAT`).
    pub phone_rules: String,
    pub sample: Vec<SampleRow>,
    pub job: Option<JobView>,
    /// After sending: accepted by POM and refused by POM.
    pub accepted: i64,
    pub failed: i64,
}

/// A recent upload, for the list on `/dnc`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DncUploadRow {
    pub upload_id: i64,
    pub created_at: String,
    pub created_by: String,
    pub mode: DncMode,
    pub target: String,
    pub file_name: String,
    pub state: String,
    pub valid: u64,
    pub accepted: i64,
    pub failed: i64,
}

/// Where an upload can go: the user's contact lists (mode uncallable) and DNC lists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DncTargets {
    pub contact_lists: Vec<(i64, String)>,
    pub dnc_lists: Vec<(i64, String)>,
    /// Addresses on each DNC list shown.
    pub dnc_list_sizes: Vec<(i64, i64)>,
    /// The DNC list matching the organization (the default for mode dnc_list).
    pub default_dnc_list: Option<i64>,
    /// Admins may pick another DNC list.
    pub may_choose_dnc_list: bool,
    pub max_file_mb: u64,
}

/// `IsDNC` on the common list and the organization's list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DncCheck {
    /// The address as sent (in POM's form).
    pub address: String,
    /// A phone number as people write it (`+1 212-555-0147`).
    pub shown: Option<String>,
    /// Why a possible phone number deserves a look (`not a valid US number`).
    pub warning: Option<String>,
    /// On either list in any form.
    pub common: bool,
    pub organization: bool,
    /// Every form looked up: POM's own first, then the others POM may hold (`+12125550147`,
    /// `12125550147`, `2125550147`).
    pub forms: Vec<String>,
    /// The forms found on a list, with the list (`2125550147 (organization's list)`).
    pub listed_as: Vec<String>,
}

/// The result of a single add or remove.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DncActionResult {
    pub address: String,
    /// A phone number as people write it (`+1 212-555-0147`).
    pub shown: Option<String>,
    pub done: bool,
    pub message: String,
}
