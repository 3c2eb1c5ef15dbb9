//! The reasons a job is not dialling, worked out from the facts OCM gathered about it (pure):
//! the most decisive first (emergency mode, who paused or stopped it), then agents
//! (`staffing.rs`), then what became of the contacts of its lists.

mod staffing;

use time::{Duration, OffsetDateTime};

use super::window::CallingWindow;
use crate::dates::rfc3339;
use crate::model::{AgentsInState, EmergencyMode, IdleCause, IdleReason, FEW_ATTEMPTS};
use types::words::plural;

/// What OCM knows about one job.
#[derive(Debug, Clone, Default)]
pub struct JobFacts {
    pub campaign: String,
    pub job_id: i64,
    /// POM's state name.
    pub state: String,
    pub state_since: Option<OffsetDateTime>,
    pub attempts_recent: i64,
    /// Contacts in its lists when it started, when the feed said.
    pub list_size: Option<i64>,
    /// Distinct contacts it attempted.
    pub contacts_tried: i64,
    /// First-pass skips: reason (as in `contact_skip.reason`) and contacts.
    pub skips: Vec<(String, i64)>,
    /// The earliest instant one of the contacts passed over outside their window may be called.
    pub next_window: Option<OffsetDateTime>,
    /// The window of some of them is open now.
    pub window_open_now: bool,
    /// Agents with time on this job within the recent window.
    pub agents_on_job: i64,
    /// Contacts whose last attempt in this job reached nobody, and the oldest such attempt.
    pub retry_waiting: i64,
    pub retry_oldest: Option<OffsetDateTime>,
    /// Why POM ended it (`lists_done`, `user_stop`), when it did.
    pub finish_reason: Option<String>,
    /// The last pause or stop through OCM that POM accepted: action, user, when.
    pub last_action: Option<(String, String, OffsetDateTime)>,
}

impl JobFacts {
    /// Contacts attempted, or passed over for good (on DNC, not callable, no phone, finished
    /// earlier). Those passed over for their window or an attempt in progress are reached on a
    /// later pass, so they still remain.
    pub fn dealt_with(&self) -> i64 {
        let for_good: i64 = self
            .skips
            .iter()
            .filter(|(reason, _)| FOR_GOOD.contains(&reason.as_str()))
            .map(|(_, n)| n)
            .sum();
        self.contacts_tried + for_good
    }
}

/// What OCM knows about the organization as a whole.
#[derive(Debug, Clone, Default)]
pub struct OrgFacts {
    pub emergency: Vec<EmergencyMode>,
    /// Agents whose newest session event is a login.
    pub agents_logged_in: i64,
    /// The logged-in agents by team and state, as "Agents now" shows them.
    pub agents_now: Vec<AgentsInState>,
    /// The contacts' local calling window OCM assumes.
    pub window: CallingWindow,
}

/// Skip reasons after which POM does not come back to the contact in this job.
const FOR_GOOD: [&str; 4] = ["dnc", "not_callable", "no_phone", "finished_earlier"];
/// How long before OCM saw a job in its state an OCM pause or stop may have been asked for to be
/// credited with it (the board sees a change at its next read of POM).
const CREDIT_WITHIN: Duration = Duration::minutes(10);

/// Whether the job needs explaining: not active, or active and placing few calls.
pub fn needs_reasons(job: &JobFacts) -> bool {
    job.state != "JOB_ACTIVE" || job.attempts_recent < FEW_ATTEMPTS
}

fn reason(cause: IdleCause, count: Option<i64>, words: String) -> IdleReason {
    IdleReason {
        cause,
        count,
        words,
        at: None,
        link: None,
    }
}

fn at(mut reason: IdleReason, when: Option<OffsetDateTime>) -> IdleReason {
    reason.at = when.map(rfc3339);
    reason
}

fn skipped(job: &JobFacts, name: &str) -> i64 {
    job.skips
        .iter()
        .filter(|(reason, _)| reason == name)
        .map(|(_, n)| n)
        .sum()
}

/// Why the job is in a state that places no calls, and by whom.
fn state_reasons(job: &JobFacts, org: &OrgFacts, out: &mut Vec<IdleReason>) {
    for mode in &org.emergency {
        let scope = mode.organization.as_deref().unwrap_or("every organization");
        let words = format!(
            "Emergency mode is in force for {scope}, turned on by {}: \"{}\". No job may start or resume until an admin lifts it.",
            mode.by, mode.reason
        );
        let mut r = reason(IdleCause::EmergencyMode, None, words);
        r.at = Some(mode.at.clone());
        out.push(r);
    }
    // OCM's action is credited only when it came just before OCM saw the job in this state: a
    // later change made in POM itself is not blamed on it.
    let by_ocm = |wanted: &str| {
        job.last_action.as_ref().filter(|(action, _, at)| {
            action == wanted
                && job.state_since.is_none_or(|since| {
                    *at <= since + Duration::seconds(5) && since - *at <= CREDIT_WITHIN
                })
        })
    };
    match job.state.as_str() {
        "JOB_PAUSED" => match by_ocm("pause") {
            Some((_, user, when)) => out.push(at(
                reason(
                    IdleCause::PausedBy,
                    None,
                    format!("Paused by {user} through OCM."),
                ),
                Some(*when),
            )),
            None => out.push(at(
                reason(
                    IdleCause::EndedOutsideOcm,
                    None,
                    "Paused outside OCM (in POM, or by POM itself).".into(),
                ),
                job.state_since,
            )),
        },
        "JOB_STOPPED" | "JOB_STOPPING" => match by_ocm("stop") {
            Some((_, user, when)) => out.push(at(
                reason(
                    IdleCause::StoppedBy,
                    None,
                    format!("Stopped by {user} through OCM."),
                ),
                Some(*when),
            )),
            None if org.emergency.is_empty() => out.push(at(
                reason(
                    IdleCause::EndedOutsideOcm,
                    None,
                    "Stopped outside OCM (in POM, or by POM itself).".into(),
                ),
                job.state_since,
            )),
            None => {}
        },
        "JOB_QUEUED" => out.push(at(
            reason(
                IdleCause::Queued,
                None,
                "Queued in POM, waiting for dialling resources.".into(),
            ),
            job.state_since,
        )),
        "JOB_COMPLETED" => out.push(at(
            reason(
                IdleCause::ListsDone,
                None,
                match job.finish_reason.as_deref() {
                    Some("user_stop") => "Completed: stopped before its lists were done.".into(),
                    _ => "Completed: POM reached the end of its lists.".into(),
                },
            ),
            job.state_since,
        )),
        _ => {}
    }
}

/// What became of the contacts of the job's lists.
fn contact_reasons(job: &JobFacts, org: &OrgFacts, out: &mut Vec<IdleReason>) {
    let window = format!(
        "their local time was outside the calling window ({})",
        org.window
    );
    let passed_over = [
        (IdleCause::OutsideWindow, "outside_window", window.as_str()),
        (IdleCause::OnDnc, "dnc", "on a DNC list"),
        (
            IdleCause::FinishedEarlier,
            "finished_earlier",
            "finished in an earlier job",
        ),
        (
            IdleCause::NotCallable,
            "not_callable",
            "marked not callable",
        ),
        (IdleCause::NoPhone, "no_phone", "without a phone number"),
    ];
    for (cause, name, why) in passed_over {
        let n = skipped(job, name);
        if n == 0 {
            continue;
        }
        let mut words = format!(
            "So far in this job, {} passed over: {why}.",
            plural(n, "contact", "contacts")
        );
        if cause == IdleCause::OutsideWindow && job.window_open_now {
            words.push_str(
                " The window is open now for some of them: POM reaches them on its next pass.",
            );
        }
        let mut r = reason(cause, Some(n), words);
        r.link = Some(format!(
            "/reports/not-attempted?job={}&reason={name}",
            job.job_id
        ));
        if cause == IdleCause::OutsideWindow && !job.window_open_now {
            r.at = job.next_window.map(rfc3339);
        }
        out.push(r);
    }
    if job.retry_waiting > 0 && job.state == "JOB_ACTIVE" {
        out.push(at(
            reason(
                IdleCause::WaitingForRetry,
                Some(job.retry_waiting),
                format!(
                    "{} last tried without reaching anyone: POM calls them again when its retry rules allow.",
                    plural(job.retry_waiting, "contact was", "contacts were"),
                ),
            ),
            job.retry_oldest,
        ));
    }
    if let Some(size) = job
        .list_size
        .filter(|size| *size > 0 && job.dealt_with() >= *size)
    {
        if job.state == "JOB_ACTIVE" {
            let advice = if job.retry_waiting > 0 {
                "once the retries are done, add contacts or stop the job"
            } else {
                "add contacts or stop the job"
            };
            out.push(reason(
                IdleCause::ListWalked,
                Some(size),
                format!(
                    "All {} of its lists have been tried or passed over for good: {advice}.",
                    plural(size, "contact", "contacts"),
                ),
            ));
        }
    }
}

/// The reasons for one job, most decisive first; never empty.
pub fn reasons(job: &JobFacts, org: &OrgFacts) -> Vec<IdleReason> {
    let mut out = Vec::new();
    state_reasons(job, org, &mut out);
    staffing::agent_reasons(job, org, &mut out);
    contact_reasons(job, org, &mut out);
    if out.is_empty() {
        out.push(reason(
            IdleCause::NothingFound,
            None,
            "OCM can see no reason: POM's pacing may have slowed dialling, or the call data may be behind (see the notices above and the times at the foot).".into(),
        ));
    }
    out
}

#[cfg(test)]
mod tests;
