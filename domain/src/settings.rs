//! The runtime settings OCM's services read, parsed once from the environment by
//! `server::config`: what the state carries and what each service is built with.

use std::time::Duration;

use crate::throttle::ThrottlePolicy;

/// Where OCM reaches POM. Only the base URL matters until the POM client lands.
#[derive(Debug, Clone)]
pub struct PomEndpoint {
    pub base_url: String,
    pub verify_tls: bool,
    /// The built-in simulator started in demo mode.
    pub simulated: bool,
}

/// Settings the backend needs at run time, parsed once from the environment by `server::config`.
#[derive(Debug, Clone)]
pub struct Settings {
    /// A session ends after this much inactivity.
    pub session_idle: Duration,
    /// The page warns this long before the session ends.
    pub session_warning: Duration,
    pub throttle: ThrottlePolicy,
    /// Users reach OCM over https: cookies OCM sets itself carry `Secure`.
    pub secure_cookies: bool,
    /// Demo mode: no POM configured; demo users exist.
    pub demo_mode: bool,
    pub pom: Option<PomEndpoint>,
    pub version: String,
    pub purge: PurgeSettings,
    pub jobs: JobSettings,
    pub dnc: DncSettings,
    pub call_data: CallDataSettings,
    /// How phone numbers are read and written for POM (DNC, uploads, purge filters).
    pub phone: crate::phone::PhoneRules,
    pub campaigns: CampaignSettings,
    pub uploads: UploadSettings,
    pub audit: AuditSettings,
    pub exports: ExportSettings,
    pub api: ApiSettings,
    /// The key of the erasure tombstones (never printed).
    pub erasure_key: std::sync::Arc<crate::erasure::tombstone::ErasureKey>,
    /// The configuration as `ocm check-config` prints it (secrets hidden), for the settings page.
    pub effective: Vec<crate::model::ConfigLine>,
}

/// Where call data comes from and how it is read (`docs/call-data.md`).
#[derive(Debug, Clone)]
pub struct CallDataSettings {
    /// The call-data feed: JSON lines after a cursor (`OCM_POM_FEED_URL`; demo mode: the
    /// simulator's `/__sim/feed`). None: nothing is ingested.
    pub feed_url: Option<String>,
    /// A folder of CSV files of the feed's kinds, read besides the feed
    /// (`OCM_CALL_DATA_IMPORT_DIR`). None: no folder.
    pub import_dir: Option<std::path::PathBuf>,
    /// The IANA zone whose days and hours reports use (`OCM_REPORT_TIME_ZONE`).
    pub time_zone: String,
    /// The share of answering-machine classifications estimated to be people, in percent, for
    /// the compliance view's UK rate (`OCM_COMPLIANCE_AMD_FALSE_POSITIVE_PERCENT`).
    pub amd_false_positive_percent: f64,
    /// Completion codes the job summaries count as NSP (`OCM_REPORT_NSP_CODES`), NTC
    /// (`OCM_REPORT_NTC_CODES`) and customer DNC requests (`OCM_REPORT_DNC_REQUEST_CODES`).
    pub nsp_codes: Vec<String>,
    pub ntc_codes: Vec<String>,
    pub dnc_request_codes: Vec<String>,
    /// How often the feed is read (`OCM_CALL_DATA_EVERY_MS`).
    pub every: Duration,
    /// Records per page (`OCM_CALL_DATA_PAGE`).
    pub page: u32,
    /// Months raw rows are kept (their partitions then dropped; summaries stay)
    /// (`OCM_CALL_DATA_RETENTION_MONTHS`).
    pub retention_months: u32,
}

impl Default for CallDataSettings {
    fn default() -> Self {
        CallDataSettings {
            feed_url: None,
            import_dir: None,
            time_zone: "Europe/London".to_string(),
            amd_false_positive_percent: 0.0,
            nsp_codes: vec!["NSP".to_string()],
            ntc_codes: vec!["CM_NTC".to_string()],
            dnc_request_codes: vec!["DNCREQ".to_string()],
            every: Duration::from_secs(5),
            page: 5_000,
            retention_months: 13,
        }
    }
}

/// How long the audit log stays online and where older months are archived.
#[derive(Debug, Clone)]
pub struct AuditSettings {
    /// Months kept in the database, the current one included (`OCM_AUDIT_ONLINE_MONTHS`, 13).
    pub online_months: u32,
    /// Where archived months are written (`OCM_AUDIT_ARCHIVE_DIR`, default `.data/audit-archive`).
    pub archive_dir: std::path::PathBuf,
    /// Archives are deleted this many years after their month (`OCM_AUDIT_ARCHIVE_YEARS`, 7).
    pub archive_years: u32,
}

/// Where scheduled exports keep their files, for how long, and how they are delivered
/// (`docs/exports.md`).
#[derive(Debug, Clone)]
pub struct ExportSettings {
    /// The exports folder (`OCM_EXPORT_DIR`, default `.data/exports`); shared storage when
    /// several instances serve one database, since any of them may run a schedule or serve its file.
    pub dir: std::path::PathBuf,
    /// Files are erased this many days after their run (`OCM_EXPORT_RETENTION_DAYS`, 30).
    pub retention_days: u32,
    /// The mail server; `None`: schedules cannot send e-mail (`OCM_SMTP_HOST` unset).
    pub smtp: Option<SmtpSettings>,
    /// Files up to this size are attached; larger ones are sent as a link that needs sign-in
    /// (`OCM_EXPORT_ATTACH_MAX_MB`, 10).
    pub attach_max_bytes: u64,
    /// The only domains recipients may be at (`OCM_EXPORT_EMAIL_DOMAINS`; unset: the sender's
    /// domain); empty: any (`*`).
    pub email_domains: Vec<String>,
    /// SFTP destinations admins configured (`OCM_EXPORT_SFTP_DESTINATIONS`).
    pub destinations: Vec<ExportDestination>,
    /// Where users reach OCM, for links in e-mails (`OCM_PUBLIC_URL`).
    pub public_url: Option<String>,
    /// Attempts per delivery before it fails for good (`OCM_EXPORT_DELIVERY_ATTEMPTS`, 5).
    pub delivery_attempts: u32,
    /// The wait after the first failed attempt, four times longer after each next one
    /// (`OCM_EXPORT_RETRY_SECONDS`, 60: then 4, 16 and 64 minutes).
    pub retry_base: Duration,
}

impl Default for ExportSettings {
    fn default() -> Self {
        ExportSettings {
            dir: ".data/exports".into(),
            retention_days: 30,
            smtp: None,
            attach_max_bytes: 10 * 1_048_576,
            email_domains: Vec::new(),
            destinations: Vec::new(),
            public_url: None,
            delivery_attempts: 5,
            retry_base: Duration::from_secs(60),
        }
    }
}

/// How OCM reaches the mail server.
#[derive(Clone)]
pub struct SmtpSettings {
    pub host: String,
    pub port: u16,
    pub security: SmtpSecurity,
    /// User name and password, when the server asks for them.
    pub credentials: Option<(String, String)>,
    /// The sender, `OCM <ocm@example.com>`.
    pub from: String,
    /// A PEM file of certificates to trust besides the usual roots (a private mail server).
    pub ca_file: Option<std::path::PathBuf>,
    pub timeout: Duration,
}

// The password never reaches logs.
impl std::fmt::Debug for SmtpSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpSettings")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("security", &self.security)
            .field("user", &self.credentials.as_ref().map(|(user, _)| user))
            .field("password", &self.credentials.as_ref().map(|_| "***"))
            .field("from", &self.from)
            .field("ca_file", &self.ca_file)
            .finish()
    }
}

/// How the connection to the mail server is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpSecurity {
    /// Plain connection upgraded with STARTTLS, which must succeed (port 587).
    StartTls,
    /// TLS from the first byte (port 465).
    Tls,
    /// No encryption: only for a relay on the same host or network.
    None,
}

/// An SFTP server scheduled exports may be sent to, named by admins.
#[derive(Debug, Clone)]
pub struct ExportDestination {
    pub name: String,
    /// The one organization whose schedules may use it; `None`: every organization's.
    pub organization: Option<String>,
    pub sftp: pom::sftp::SftpConfig,
}

impl Default for AuditSettings {
    fn default() -> Self {
        AuditSettings {
            online_months: 13,
            archive_dir: ".data/audit-archive".into(),
            archive_years: 7,
        }
    }
}

/// How manual contact uploads are checked, sent and kept.
#[derive(Debug, Clone)]
pub struct UploadSettings {
    pub max_file_bytes: u64,
    pub max_rows: u64,
    /// The data source runs this long after the file is in place (seed 001: five minutes).
    pub start_delay: Duration,
    /// Original and converted files are kept this long, then erased.
    pub retention: Duration,
    /// Files with at most this many rows can be checked against POM's DNC lists first.
    pub dnc_check_max_rows: u64,
    /// How often POM's import job is read while an upload is followed.
    pub follow_every: Duration,
    /// Converted files larger than this go to POM as parts, one import after another (POM's
    /// file import takes files up to 50 MB).
    pub pom_part_bytes: u64,
}

impl Default for UploadSettings {
    fn default() -> Self {
        UploadSettings {
            max_file_bytes: 200 * 1_048_576,
            max_rows: 1_000_000,
            start_delay: Duration::from_secs(300),
            retention: Duration::from_secs(30 * 86_400),
            dnc_check_max_rows: 2_000,
            follow_every: Duration::from_secs(2),
            pom_part_bytes: 50_000_000,
        }
    }
}

/// How campaign jobs are watched and scheduled.
#[derive(Debug, Clone)]
pub struct CampaignSettings {
    /// One POM job-list read per interval while anyone watches (at most one per organization).
    pub poll_interval: Duration,
    /// How long an organization's campaign catalogue (ids, types, lists) is reused.
    pub catalogue_ttl: Duration,
    /// The time zone offered first for schedules (seed 001's configured time zone).
    pub time_zone: String,
    /// How long the emergency-stop banner stays up.
    pub banner_for: Duration,
    /// The calling window OCM assumes POM keeps, to say when contacts outside it may be called.
    pub calling_window: crate::floor::window::CallingWindow,
}

impl Default for CampaignSettings {
    fn default() -> Self {
        CampaignSettings {
            poll_interval: Duration::from_secs(1),
            catalogue_ttl: Duration::from_secs(60),
            time_zone: "UTC".into(),
            banner_for: Duration::from_secs(24 * 3_600),
            calling_window: Default::default(),
        }
    }
}

/// How an organization's name finds its POM DNC list (`OCM_DNC_LIST_MATCH`), case-insensitively.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListMatch {
    /// The list is named as the organization (the default).
    Exact,
    /// The list's name starts with the organization's.
    Prefix,
    /// The list's name contains the organization's.
    Contains,
}

impl ListMatch {
    /// The setting's spelling, as messages to admins name it.
    pub fn as_str(self) -> &'static str {
        match self {
            ListMatch::Exact => "exact",
            ListMatch::Prefix => "prefix",
            ListMatch::Contains => "contains",
        }
    }
}

impl std::fmt::Display for ListMatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How DNC uploads are checked and sent.
#[derive(Debug, Clone)]
pub struct DncSettings {
    /// Larger files are refused before they are read (`OCM_DNC_MAX_FILE_MB`, default 50).
    pub max_file_bytes: u64,
    /// Files with more data rows are refused (`OCM_DNC_MAX_ROWS`, default 1,000,000).
    pub max_rows: u64,
    /// How the organization's DNC list is found by name (`OCM_DNC_LIST_MATCH`).
    pub list_match: ListMatch,
    /// Addresses per POM call when sending.
    pub batch: usize,
}

impl Default for DncSettings {
    fn default() -> Self {
        DncSettings {
            max_file_bytes: 50 * 1024 * 1024,
            max_rows: 1_000_000,
            list_match: ListMatch::Exact,
            batch: 500,
        }
    }
}

/// How purges read, delete and keep snapshots.
#[derive(Debug, Clone)]
pub struct PurgeSettings {
    /// At most this many POM calls in flight per purge, restore or retry job; below it the job's
    /// gate (`pom_gate`) finds how many POM sustains (`OCM_PURGE_CONCURRENCY`, default 32).
    pub concurrency: usize,
    /// At most this many POM calls per second per job (`OCM_PURGE_RATE_PER_SECOND`, default 1000).
    pub rate_per_second: u32,
    /// Snapshots are kept this long (`OCM_SNAPSHOT_RETENTION_DAYS`, default 30).
    pub snapshot_retention: Duration,
    /// Seed 001's `DirectPurge`: "not equal to" on it means "everything except these"
    /// (`OCM_DIRECT_PURGE_ATTRIBUTE`, default `userContactId`).
    pub direct_attribute: String,
    /// Seed 001's `ContactListFilter`: names containing it are manual-upload lists
    /// (`OCM_CONTACT_LIST_FILTER`, default `Manual_Upload`).
    pub manual_list_filter: String,
    /// Contacts per page when OCM reads a whole list.
    pub read_page_size: u32,
    /// Calls per contact while POM answers "attempt in progress", the first included (seed 001:
    /// at most 5; `OCM_PURGE_IN_PROGRESS_TRIES`).
    pub in_progress_tries: u32,
}

impl Default for PurgeSettings {
    fn default() -> Self {
        PurgeSettings {
            concurrency: 32,
            rate_per_second: 1000,
            snapshot_retention: Duration::from_secs(30 * 86_400),
            direct_attribute: "userContactId".into(),
            manual_list_filter: "Manual_Upload".into(),
            read_page_size: 1000,
            in_progress_tries: 5,
        }
    }
}

/// How the durable job runner claims and watches jobs.
#[derive(Debug, Clone)]
pub struct JobSettings {
    /// Another instance may take over a job whose heartbeat is older than this
    /// (`OCM_JOB_STALE_AFTER_SECONDS`, default 30).
    pub stale_after: Duration,
    pub heartbeat_every: Duration,
    /// Jobs one instance runs at once.
    pub parallel: usize,
}

impl Default for JobSettings {
    fn default() -> Self {
        JobSettings {
            stale_after: Duration::from_secs(30),
            heartbeat_every: Duration::from_secs(1),
            parallel: 2,
        }
    }
}

/// The automation API (`docs/api.md`).
#[derive(Debug, Clone)]
pub struct ApiSettings {
    /// How long a bearer token lives (`OCM_API_TOKEN_SECONDS`).
    pub token_lifetime: Duration,
    /// Calls per minute one client may make (`OCM_API_RATE_PER_MINUTE`); a burst of a minute's
    /// worth is allowed, then 429 with `Retry-After`.
    pub rate_per_minute: u32,
    /// The largest request body (`OCM_API_MAX_BODY_BYTES`).
    pub max_body_bytes: usize,
    /// Whether webhooks may go to loopback and private addresses
    /// (`OCM_WEBHOOK_PRIVATE_ADDRESSES=allow`; refused by default).
    pub webhook_private_addresses: bool,
}

impl Default for ApiSettings {
    fn default() -> Self {
        ApiSettings {
            token_lifetime: Duration::from_secs(3_600),
            rate_per_minute: 600,
            max_body_bytes: 1024 * 1024,
            webhook_private_addresses: false,
        }
    }
}
