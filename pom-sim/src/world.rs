//! The simulator's POM: organizations, users, attributes, contact lists and contacts, DNC lists,
//! data sources, campaigns, jobs and import jobs, with a clock that can run faster than real time.
//! Plain data (serialisable for snapshots); the rules that change it live in `rules.rs`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// A POM user: global (no organization) or confined to one organization.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SimUser {
    pub password: String,
    pub organization: Option<String>,
}

/// An attribute definition (system or custom) with its value type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttributeDef {
    pub name: String,
    /// `STRING`, `NUMBER`, `DATE`, `PHONE`, `EMAIL` or `BOOLEAN`.
    pub kind: String,
    pub display_name: String,
    pub system: bool,
}

/// One contact: its user contact id and attribute values (REST names such as `phoneNumber1`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactRec {
    pub attributes: BTreeMap<String, String>,
    pub created_ms: i64,
    pub callable: bool,
    /// While set and in the future, the contact is being dialled: deletes fail.
    pub in_progress_until_ms: Option<i64>,
}

/// An `EmptyContactList` in progress.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmptyTask {
    /// Contacts created before this instant are deleted.
    pub cutoff_ms: i64,
    pub last_step_ms: i64,
}

/// A contact list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListRec {
    pub id: i64,
    pub name: String,
    pub organization: String,
    pub zone: String,
    pub last_update_ms: i64,
    pub contacts: BTreeMap<String, ContactRec>,
    pub emptying: Option<EmptyTask>,
}

/// A DNC list: the common one (no organization) or an organization's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DncRec {
    pub id: i64,
    pub name: String,
    pub organization: Option<String>,
    pub addresses: std::collections::BTreeSet<String>,
    pub last_updated_ms: i64,
}

/// A file data source feeding one list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DataSourceRec {
    pub name: String,
    pub list_name: String,
    pub organization: String,
    /// `append` or `replace`.
    pub kind: String,
    /// The file the data source reads, relative to the SFTP drop.
    pub file_path: String,
    #[serde(default)]
    pub layout: FileLayout,
}

/// How a data source reads its file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct FileLayout {
    pub delimiter: char,
    pub header_row: bool,
    /// The attribute of each column; empty: the header row's names.
    pub columns: Vec<String>,
    /// Phone-number patterns (`*` any run, `?` one character) whose contacts are rejected.
    pub reject_patterns: Vec<String>,
    /// Contacts whose phone or e-mail is on a DNC list (common or the organization's) are left out.
    pub check_dnc: bool,
}

impl Default for FileLayout {
    fn default() -> Self {
        FileLayout {
            delimiter: ',',
            header_row: true,
            columns: Vec::new(),
            reject_patterns: Vec::new(),
            check_dnc: true,
        }
    }
}

/// How a campaign dials: pace, retries and the contacts' local calling window.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DialingRules {
    /// Calls launched per simulated second at most.
    pub calls_per_second: f64,
    /// Attempts per contact (first call plus retries) for busy, no answer, machine and failed.
    pub max_attempts: u32,
    pub retry_after_secs: i64,
    /// Local calling window of the contact, minutes after midnight: [start, end).
    pub window_start_minute: i64,
    pub window_end_minute: i64,
    /// Zone of contacts without `phoneNumber1TimeZone`.
    pub default_time_zone: String,
    /// A timed preview dials by itself after this many seconds; none: the agent decides.
    pub preview_seconds: Option<i64>,
    /// A callback not dialled within this many minutes after it is due expires.
    pub callback_expiry_minutes: i64,
}

impl Default for DialingRules {
    fn default() -> Self {
        DialingRules {
            calls_per_second: 5.0,
            max_attempts: 3,
            retry_after_secs: 900,
            window_start_minute: 8 * 60,
            window_end_minute: 21 * 60,
            default_time_zone: "UTC".into(),
            preview_seconds: None,
            callback_expiry_minutes: 120,
        }
    }
}

/// A campaign.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CampaignRec {
    pub id: i64,
    pub name: String,
    pub organization: String,
    /// `preview`, `progressive` or `predictive`.
    pub kind: String,
    pub finite: bool,
    pub lists: Vec<String>,
    pub completion_codes: Vec<String>,
    /// One-off starts requested with ScheduleCampaign: (start in sim ms, time zone).
    pub schedules: Vec<(i64, String)>,
    #[serde(default)]
    pub dialing: DialingRules,
}

/// A campaign job.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobRec {
    pub id: i64,
    pub campaign_id: i64,
    pub state: String,
    /// When a queued job becomes active, or a stopping job stopped.
    pub transition_at_ms: Option<i64>,
}

/// An import job of a data source with the ten counters of `ImportJobStatus`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportJobRec {
    pub id: i64,
    pub data_source: String,
    pub list_name: String,
    pub state: String,
    pub start_ms: i64,
    pub error: Option<String>,
    pub counters: [i64; 10],
    /// When the current phase (file copy) ends, or when the run started.
    #[serde(default)]
    pub phase_at_ms: i64,
    /// The attribute of each column, resolved when the file was read.
    #[serde(default)]
    pub columns: Vec<String>,
    /// Rows processed so far, and how many the file has.
    #[serde(default)]
    pub cursor: usize,
    #[serde(default)]
    pub total_rows: usize,
    /// User contact ids met in the file (duplicates, and what a replace keeps).
    #[serde(default)]
    pub seen: std::collections::BTreeSet<String>,
    /// The file's rows, read at the end of the copy; not in snapshots (they hold the whole file).
    #[serde(skip)]
    pub rows: Vec<super::imports::ImportRow>,
}

/// Everything the simulated POM knows.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct World {
    /// Left out of snapshots: they would expose passwords through the unauthenticated control API.
    #[serde(skip)]
    pub users: BTreeMap<String, SimUser>,
    pub organizations: Vec<String>,
    pub zones: Vec<String>,
    pub attributes: Vec<AttributeDef>,
    pub lists: BTreeMap<i64, ListRec>,
    pub dnc_lists: BTreeMap<i64, DncRec>,
    pub data_sources: BTreeMap<String, DataSourceRec>,
    pub campaigns: BTreeMap<i64, CampaignRec>,
    pub jobs: BTreeMap<i64, JobRec>,
    pub import_jobs: BTreeMap<i64, ImportJobRec>,
    pub next_id: i64,
    #[serde(default)]
    pub dialer: super::dialer::Dialer,
    #[serde(default)]
    pub feed: super::feed::Feed,
}

impl World {
    /// A fresh id for any record.
    pub fn new_id(&mut self) -> i64 {
        self.next_id += 1;
        self.next_id
    }

    /// The list with this name.
    pub fn list_by_name(&self, name: &str) -> Option<&ListRec> {
        self.lists.values().find(|l| l.name == name)
    }

    /// The campaign with this name.
    pub fn campaign_by_name(&self, name: &str) -> Option<&CampaignRec> {
        self.campaigns.values().find(|c| c.name == name)
    }

    /// Whether `address` is on the common DNC list or `organization`'s.
    pub fn suppressed(&self, organization: &str, address: &str) -> bool {
        self.dnc_lists.values().any(|d| {
            d.organization.as_deref().is_none_or(|o| o == organization)
                && d.addresses.contains(address)
        })
    }

    /// The attribute definition with this (case-sensitive) name.
    pub fn attribute(&self, name: &str) -> Option<&AttributeDef> {
        self.attributes.iter().find(|a| a.name == name)
    }
}
