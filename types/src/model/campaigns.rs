//! Campaigns and their jobs as the browser sees them: the live board of one organization, job
//! actions, scheduled starts, emergency stops and the dashboard's campaign figures.

use serde::{Deserialize, Serialize};

/// What a user may do to a job; which ones apply depends on the job's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum JobAction {
    Pause,
    Resume,
    Stop,
}

impl JobAction {
    pub fn as_str(self) -> &'static str {
        match self {
            JobAction::Pause => "pause",
            JobAction::Resume => "resume",
            JobAction::Stop => "stop",
        }
    }

    /// The button label.
    pub fn label(self) -> &'static str {
        match self {
            JobAction::Pause => "Pause",
            JobAction::Resume => "Resume",
            JobAction::Stop => "Stop",
        }
    }

    /// The actions POM accepts for a job in `state` (`JOB_ACTIVE`, `JOB_PAUSED`, …).
    pub fn valid_for(state: &str) -> Vec<JobAction> {
        match state {
            "JOB_ACTIVE" => vec![JobAction::Pause, JobAction::Stop],
            "JOB_PAUSED" => vec![JobAction::Resume, JobAction::Stop],
            _ => Vec::new(),
        }
    }
}

/// Whether a job in `state` still occupies its campaign (queued, dialling, paused or stopping).
pub fn job_is_open(state: &str) -> bool {
    matches!(
        state,
        "JOB_QUEUED" | "JOB_ACTIVE" | "JOB_PAUSED" | "JOB_STOPPING"
    )
}

/// A POM job state in plain words.
pub fn job_state_label(state: &str) -> &str {
    match state {
        "JOB_QUEUED" => "Queued",
        "JOB_ACTIVE" => "Active",
        "JOB_PAUSED" => "Paused",
        "JOB_STOPPING" => "Stopping",
        "JOB_STOPPED" => "Stopped",
        "JOB_COMPLETED" => "Completed",
        "JOB_UNLISTED" => "No longer listed by POM",
        other => other,
    }
}

/// Who did something and when (RFC 3339).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionStamp {
    pub username: String,
    pub at: String,
    /// The start was scheduled through OCM (`at` is then when it was scheduled).
    pub scheduled: bool,
}

/// A campaign's newest job.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CampaignJob {
    pub job_id: i64,
    /// POM's state name (`JOB_ACTIVE`, …).
    pub state: String,
    /// When OCM first saw the job in this state (RFC 3339); none before OCM has seen it.
    pub state_since: Option<String>,
    /// Who started it through OCM, and when; none when it was started elsewhere.
    pub started: Option<ActionStamp>,
}

/// One campaign on the board.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CampaignRow {
    pub name: String,
    /// `preview`, `progressive` or `predictive`, when POM says.
    pub kind: Option<String>,
    pub finite: Option<bool>,
    pub lists: Vec<String>,
    pub job: Option<CampaignJob>,
}

impl CampaignRow {
    /// Whether OCM offers "Start": no job of the campaign is queued, dialling, paused or stopping.
    pub fn can_start(&self) -> bool {
        self.job.as_ref().is_none_or(|job| !job_is_open(&job.state))
    }
}

/// The campaigns of one organization with their current jobs, as last read from POM.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CampaignBoard {
    pub organization: String,
    pub campaigns: Vec<CampaignRow>,
    /// When POM was last read successfully (RFC 3339); none if never.
    pub read_at: Option<String>,
    /// Why the last read failed; the campaigns are then the last known ones.
    pub pom_problem: Option<String>,
    /// The user may start, pause, resume, stop and schedule (supervisors and admins).
    pub can_act: bool,
    /// Organizations the user may switch to (admins: all; others: their own).
    pub organizations: Vec<String>,
    /// Changes whenever a campaign action of the organization is recorded or answered (newest
    /// action id, recent actions still pending), so every open board reads them again.
    pub actions_mark: (i64, i64),
}

/// What an action did, in plain words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionOutcome {
    pub message: String,
    pub job_id: Option<i64>,
}

/// A one-off start sent to POM with ScheduleCampaign.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScheduledStart {
    pub schedule_id: i64,
    pub campaign: String,
    /// The wall time POM was given, `yyyy/MM/dd HH:mm:ss`.
    pub start_local: String,
    pub time_zone: String,
    /// The same instant (RFC 3339, by the zone's standard offset).
    pub starts_at: String,
    /// The start time has passed (POM will have queued the job).
    pub due: bool,
    /// The job POM started for it, once OCM has seen it.
    pub job_id: Option<i64>,
    pub requested_by: String,
    pub requested_at: String,
}

/// Time zones offered for a schedule and the default one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScheduleOptions {
    pub zones: Vec<String>,
    pub default_zone: String,
}

/// One job's fate in an emergency stop.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StopOutcome {
    pub organization: String,
    pub campaign: String,
    pub job_id: i64,
    pub state_before: String,
    /// `ok`, `refused` or `failed`.
    pub outcome: String,
    pub message: String,
}

/// The result of an emergency stop.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmergencyStopReport {
    pub emergency_stop_id: i64,
    /// None: every organization.
    pub organization: Option<String>,
    pub jobs: Vec<StopOutcome>,
}

/// The banner shown to every signed-in user of an organization after an emergency stop.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmergencyBanner {
    pub emergency_stop_id: i64,
    pub by: String,
    pub at: String,
    /// None: every organization.
    pub organization: Option<String>,
    pub jobs_stopped: i32,
    pub jobs_found: i32,
}

/// Emergency mode in force: starts, resumes and schedules refused until an admin lifts it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmergencyMode {
    pub emergency_mode_id: i64,
    /// None: every organization.
    pub organization: Option<String>,
    pub reason: String,
    pub by: String,
    /// RFC 3339.
    pub at: String,
}

/// What every signed-in page shows about emergencies: the latest stop (for a day) and the
/// modes in force that concern the user.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct EmergencyNotices {
    pub stop: Option<EmergencyBanner>,
    pub modes: Vec<EmergencyMode>,
}

/// The phrase an admin types to confirm an emergency stop.
pub const EMERGENCY_PHRASE: &str = "STOP ALL DIALLING";

/// A running or paused job on the dashboard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenJobLine {
    pub organization: String,
    pub campaign: String,
    pub job_id: i64,
    pub state: String,
    pub state_since: String,
}

/// A user's campaign action (dashboard and campaigns page).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CampaignActionLine {
    pub at: String,
    pub username: String,
    pub organization: String,
    pub campaign: String,
    pub action: String,
    pub job_id: Option<i64>,
    /// `pending`, `ok`, `refused` or `failed`.
    pub outcome: String,
    pub message: Option<String>,
}

/// The dashboard's campaign block.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CampaignOverview {
    pub open_jobs: Vec<OpenJobLine>,
    /// Jobs seen starting today (the day in OCM_POM_TIME_ZONE).
    pub started_today: i64,
    /// Jobs seen stopped or completed today.
    pub ended_today: i64,
    pub recent_actions: Vec<CampaignActionLine>,
    /// When the server answered (RFC 3339): state ages are counted to this instant.
    pub as_of: String,
}
