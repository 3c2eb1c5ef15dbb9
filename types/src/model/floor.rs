//! The floor dashboard's live figures: "Why isn't it dialling?" (for each campaign whose newest
//! job places no calls or few, the reasons OCM can see with their counts), open jobs' progress
//! through their lists, and how fresh the sources behind them are.

use serde::{Deserialize, Serialize};

use super::freshness::SourceBehind;
use super::user::Role;
use crate::report::Chart;

/// Fewer attempts than this within the recent window count as "dials little".
pub const FEW_ATTEMPTS: i64 = 5;

/// One reason a job is not dialling, most decisive first on the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IdleCause {
    /// An admin's emergency mode concerns the organization.
    EmergencyMode,
    /// Paused through OCM by a named user.
    PausedBy,
    /// Stopped through OCM by a named user.
    StoppedBy,
    /// Paused or stopped, but not through OCM (in POM itself, or by POM).
    EndedOutsideOcm,
    /// Waiting in POM's queue for resources.
    Queued,
    /// POM completed the job: every contact of its lists was dealt with.
    ListsDone,
    /// No agent of the organization is logged in.
    NoAgentsLoggedIn,
    /// Agents are logged in, but every one is not ready, on a break or in wrap-up.
    NoAgentsReady,
    /// Agents are logged in, but none worked on this job lately.
    NoAgentsOnJob,
    /// Contacts passed over because their local time is outside the calling window.
    OutsideWindow,
    /// Contacts passed over because their number is on a DNC list.
    OnDnc,
    /// Contacts passed over as finished earlier (a final result in an earlier job).
    FinishedEarlier,
    /// Contacts passed over as not callable.
    NotCallable,
    /// Contacts passed over for having no phone number.
    NoPhone,
    /// Contacts last tried without reaching anyone, waiting for POM's retry rules.
    WaitingForRetry,
    /// Every contact of the job's lists has been tried or passed over.
    ListWalked,
    /// None of the above shows in the data OCM has.
    NothingFound,
}

impl IdleCause {
    pub fn as_str(self) -> &'static str {
        match self {
            IdleCause::EmergencyMode => "emergency_mode",
            IdleCause::PausedBy => "paused_by",
            IdleCause::StoppedBy => "stopped_by",
            IdleCause::EndedOutsideOcm => "ended_outside_ocm",
            IdleCause::Queued => "queued",
            IdleCause::ListsDone => "lists_done",
            IdleCause::NoAgentsLoggedIn => "no_agents_logged_in",
            IdleCause::NoAgentsReady => "no_agents_ready",
            IdleCause::NoAgentsOnJob => "no_agents_on_job",
            IdleCause::OutsideWindow => "outside_window",
            IdleCause::OnDnc => "on_dnc",
            IdleCause::FinishedEarlier => "finished_earlier",
            IdleCause::NotCallable => "not_callable",
            IdleCause::NoPhone => "no_phone",
            IdleCause::WaitingForRetry => "waiting_for_retry",
            IdleCause::ListWalked => "list_walked",
            IdleCause::NothingFound => "nothing_found",
        }
    }
}

impl IdleCause {
    /// What the reason's time means, in the words put before it.
    pub fn time_label(self) -> &'static str {
        match self {
            IdleCause::EmergencyMode => "on since",
            IdleCause::Queued => "since",
            IdleCause::OutsideWindow => "next window opens",
            IdleCause::WaitingForRetry => "the longest waiting since",
            _ => "at",
        }
    }
}

/// One reason with its count and the time it names, if any.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdleReason {
    pub cause: IdleCause,
    /// Contacts or agents it concerns, where it counts something.
    pub count: Option<i64>,
    /// The reason in plain words (times are in `at`, shown in the reader's format).
    pub words: String,
    /// The instant the words refer to (RFC 3339): since when, or when it changes.
    pub at: Option<String>,
    /// Where to see the rows behind it (a report or page), if OCM has one.
    pub link: Option<String>,
}

/// A campaign whose newest job is not dialling, or dials little.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdleCampaign {
    pub campaign: String,
    pub job_id: i64,
    /// POM's state name (`JOB_ACTIVE`, …).
    pub state: String,
    /// Attempts the job began within the recent window.
    pub attempts_recent: i64,
    pub reasons: Vec<IdleReason>,
}

/// An open job's progress through its lists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobNow {
    pub campaign: String,
    pub job_id: i64,
    /// POM's state name.
    pub state: String,
    /// Contacts in its lists when it started, when the call data says.
    pub list_size: Option<i64>,
    /// Contacts attempted or passed over so far.
    pub dealt_with: i64,
    /// Attempts per hour over the recent window.
    pub attempts_per_hour: i64,
    /// Minutes until the rest of its lists is reached at that rate, when it can be said.
    pub minutes_to_exhaustion: Option<i64>,
}

impl JobNow {
    /// Contacts not yet attempted or passed over.
    pub fn remaining(&self) -> Option<i64> {
        self.list_size.map(|size| (size - self.dealt_with).max(0))
    }

    /// Penetration: the share of the list dealt with, in whole percent.
    pub fn penetration_percent(&self) -> Option<i64> {
        self.list_size
            .filter(|size| *size > 0)
            .map(|size| (100 * self.dealt_with.min(size)) / size)
    }
}

/// Today's figures in the report time zone, each backed by a report (the links are the page's).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FloorDay {
    /// The report day (`YYYY-MM-DD`) in `time_zone`.
    pub day: String,
    /// `OCM_REPORT_TIME_ZONE`.
    pub time_zone: String,
    pub attempts: i64,
    /// Attempts connected to an agent.
    pub connects: i64,
    /// Attempts answered by a person.
    pub live_answers: i64,
    /// The highest UK (Ofcom) abandoned-call rate of any campaign today, in percent, with that
    /// campaign: the compliance report's definition, per campaign and day.
    pub abandon_rate: Option<(f64, String)>,
    /// The limit the rate is held to (3 %).
    pub abandon_limit: f64,
    /// Sales recorded today.
    pub sales: i64,
    /// Open callbacks past their due time now.
    pub callbacks_overdue: i64,
    /// Open callbacks due within the next hour.
    pub callbacks_due: i64,
    /// Attempts and connects per 15 minutes so far today against the same weekday last week.
    pub by_quarter: Chart,
    /// Today's attempts by result.
    pub results: Chart,
    /// The reports (access keys: `call_attempts`, `compliance`, `sales`) an admin closed to the
    /// reader's role: their figures are blanked here, as the reports are refused.
    #[serde(default)]
    pub closed: Vec<String>,
}

impl FloorDay {
    /// Connects of attempts, in percent, once anything was attempted.
    pub fn connect_rate(&self) -> Option<f64> {
        (self.attempts > 0).then(|| 100.0 * self.connects as f64 / self.attempts as f64)
    }

    /// Whether the highest campaign rate is over the limit.
    pub fn abandon_breach(&self) -> bool {
        self.abandon_rate
            .as_ref()
            .is_some_and(|(rate, _)| *rate > self.abandon_limit)
    }
}

/// A team's agents in one state now, and the one longest in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentsInState {
    pub team: String,
    /// `ready`, `preview`, `talking`, `wrap_up`, `pending_not_ready` or `not_ready`.
    pub state: String,
    /// The not-ready reason (POM's reason name), for `not_ready`.
    pub reason: Option<String>,
    pub agents: i64,
    /// The agent longest in this state, since when (RFC 3339) and for how many whole minutes
    /// (minutes, so the figures change once a minute rather than every second).
    pub longest_agent: String,
    pub longest_since: String,
    pub longest_minutes: i64,
}

/// The floor dashboard's live figures for one organization.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FloorNow {
    pub organization: String,
    /// Today's figures and charts (none when they could not be read: `behind` says why).
    pub today: Option<FloorDay>,
    /// Per role other than admin, the reports closed to it (worked out with the figures, so
    /// serving a reader needs no query); emptied before the figures reach anyone.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub closed_by_role: Vec<(Role, Vec<String>)>,
    /// Logged-in agents by team and state, from the feed's `agent_state` records.
    pub agents: Vec<AgentsInState>,
    /// "Why isn't it dialling?": campaigns whose newest job dials little or not at all.
    pub idle: Vec<IdleCampaign>,
    /// Open jobs' progress.
    pub jobs: Vec<JobNow>,
    /// Campaigns whose jobs dial normally.
    pub dialling: Vec<String>,
    /// How many minutes "recent" covers.
    pub recent_minutes: i64,
    /// When the figures were worked out (RFC 3339).
    pub computed_at: String,
    /// When POM's job list was last read (RFC 3339).
    pub jobs_read_at: Option<String>,
    /// The newest call-data record OCM holds (RFC 3339).
    pub call_data_newest: Option<String>,
    /// Parts that could not be read this time (today's figures, the agents), in plain words.
    pub behind: Vec<String>,
    /// Sources that are behind (POM's job list, the call data), with since when: the figures
    /// leaning on them are as of then, not current.
    #[serde(default)]
    pub stale: Vec<SourceBehind>,
}
