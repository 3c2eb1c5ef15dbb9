//! An organization's pool of simulated agents: who is free when, and the state intervals (ready,
//! not ready with an AUX reason, talking, wrap-up) their calls leave behind, each announced as
//! the agent enters it (`agent_states.rs`).

use serde::{Deserialize, Serialize};

use super::super::feed::{iso, AgentInterval, FeedRecord};
use super::agent_states::{entered, with_entry};
use super::calls::aux_code;

/// The job an agent works for (`AGTJobAttached`): its id, campaign and campaign type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobTag {
    pub job_id: i64,
    pub campaign: String,
    pub campaign_type: String,
}

/// One agent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Agent {
    pub id: String,
    pub team: String,
    /// Also takes inbound calls.
    pub blended: bool,
    /// When the agent can take the next call.
    pub free_at_ms: i64,
    /// Since when the agent has been ready (the start of the next ready interval).
    pub ready_since_ms: i64,
    /// The job the agent is attached to: the one whose call it took last.
    #[serde(default)]
    pub job: Option<JobTag>,
    /// Since when the agent has been logged in; `None` while logged out.
    #[serde(default)]
    pub login_ms: Option<i64>,
}

/// The agents of one organization, and its next inbound call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentPool {
    pub agents: Vec<Agent>,
    pub next_inbound_ms: Option<i64>,
    pub inbound_count: u64,
}

/// What an agent does on a call; times in simulated milliseconds.
pub struct Work<'a> {
    pub organization: &'a str,
    pub session_id: &'a str,
    /// The outbound job of the call (the agent attaches to it); `None` for an inbound call.
    pub job: Option<&'a JobTag>,
    /// When the agent began previewing the contact (preview campaigns and callbacks).
    pub preview_from: Option<i64>,
    pub connect_at: i64,
    pub talk_end: i64,
    pub wrap_end: i64,
    /// Not ready after wrap-up: (reason, milliseconds).
    pub aux_after: Option<(&'a str, i64)>,
}

/// What an interval is about, besides its agent, state and span.
#[derive(Debug, Clone, Copy, Default)]
pub struct About<'a> {
    pub aux_reason: Option<&'a str>,
    pub session_id: Option<&'a str>,
    pub direction: Option<&'a str>,
}

/// An interval as a feed record, with the time it ends (when it is published). It carries the
/// job the agent is attached to.
pub fn interval(
    organization: &str,
    agent: &Agent,
    state: &str,
    (start, end): (i64, i64),
    about: About<'_>,
) -> (i64, FeedRecord) {
    let job = agent.job.as_ref();
    (
        end,
        FeedRecord::AgentInterval(AgentInterval {
            organization: organization.to_string(),
            agent_id: agent.id.clone(),
            team: agent.team.clone(),
            state: state.to_string(),
            aux_code: about.aux_reason.and_then(aux_code),
            aux_reason: about.aux_reason.map(str::to_string),
            start_at: iso(start),
            end_at: iso(end),
            seconds: (end - start) / 1000,
            session_id: about.session_id.map(str::to_string),
            direction: about.direction.map(str::to_string),
            job_id: job.map(|j| j.job_id),
            campaign: job.map(|j| j.campaign.clone()),
            campaign_type: job.map(|j| j.campaign_type.clone()),
        }),
    )
}

/// The ids of an organization's `size` agents: its first three letters and a number (`SAL001`).
pub fn agent_ids(organization: &str, size: usize) -> Vec<String> {
    let prefix: String = organization
        .chars()
        .filter(char::is_ascii_alphabetic)
        .take(3)
        .collect::<String>()
        .to_uppercase();
    (1..=size).map(|n| format!("{prefix}{n:03}")).collect()
}

impl AgentPool {
    /// `size` agents of `organization`, logged out, free from `now_ms`; every third one is
    /// blended.
    pub fn new(organization: &str, size: usize, now_ms: i64) -> Self {
        let agents = agent_ids(organization, size)
            .into_iter()
            .enumerate()
            .map(|(i, id)| Agent {
                id,
                team: format!("{organization} Team {}", if i % 2 == 0 { 'A' } else { 'B' }),
                blended: i % 3 == 2,
                free_at_ms: now_ms,
                ready_since_ms: now_ms,
                job: None,
                login_ms: None,
            })
            .collect();
        AgentPool {
            agents,
            next_inbound_ms: None,
            inbound_count: 0,
        }
    }

    /// The logged-in agent idle longest among those free at `t` (optionally blended ones only),
    /// preferring agents already attached to `job` or to none, so agents stay with a job.
    pub fn free_agent(&self, t: i64, blended_only: bool, job: Option<i64>) -> Option<usize> {
        self.agents
            .iter()
            .enumerate()
            .filter(|(_, a)| a.login_ms.is_some() && a.free_at_ms <= t)
            .filter(|(_, a)| a.blended || !blended_only)
            .min_by_key(|(i, a)| {
                let elsewhere =
                    job.is_some() && a.job.as_ref().is_some_and(|j| Some(j.job_id) != job);
                (elsewhere, a.ready_since_ms, *i)
            })
            .map(|(i, _)| i)
    }

    /// How many logged-in agents are free at `t`.
    pub fn free_count(&self, t: i64) -> usize {
        self.agents
            .iter()
            .filter(|a| a.login_ms.is_some() && a.free_at_ms <= t)
            .count()
    }

    /// The first moment after `t` a logged-in agent becomes free.
    pub fn next_free_after(&self, t: i64) -> Option<i64> {
        self.agents
            .iter()
            .filter(|a| a.login_ms.is_some())
            .map(|a| a.free_at_ms)
            .filter(|f| *f > t)
            .min()
    }

    /// Occupies agent `index` with a call; returns its intervals. The ready time before an
    /// outbound call counts for the job that call came from.
    pub fn work(&mut self, index: usize, work: &Work<'_>) -> Vec<(i64, FeedRecord)> {
        let agent = &mut self.agents[index];
        if let Some(job) = work.job {
            agent.job = Some(job.clone());
        }
        let org = work.organization;
        let on_call = About {
            session_id: Some(work.session_id),
            direction: Some(if work.job.is_some() {
                "outbound"
            } else {
                "inbound"
            }),
            ..About::default()
        };
        let mut intervals = Vec::new();
        let previewing = work.preview_from.unwrap_or(work.connect_at);
        if previewing > agent.ready_since_ms {
            let span = (agent.ready_since_ms, previewing);
            intervals.push(interval(org, agent, "ready", span, About::default()));
        }
        if work.connect_at > previewing {
            let span = (previewing, work.connect_at);
            intervals.extend(with_entry(org, agent, "preview", span, on_call));
        }
        let talk = (work.connect_at, work.talk_end);
        intervals.extend(with_entry(org, agent, "talking", talk, on_call));
        // An agent who will go AUX asks for it half-way through wrap-up: pending not ready.
        let asked = match work.aux_after {
            Some(_) => work.talk_end + (work.wrap_end - work.talk_end) / 2,
            None => work.wrap_end,
        };
        if asked > work.talk_end {
            let wrap = (work.talk_end, asked);
            intervals.extend(with_entry(org, agent, "wrap_up", wrap, on_call));
        }
        if work.wrap_end > asked {
            let pending = (asked, work.wrap_end);
            intervals.extend(with_entry(
                org,
                agent,
                "pending_not_ready",
                pending,
                on_call,
            ));
        }
        let mut free = work.wrap_end;
        if let Some((reason, millis)) = work.aux_after {
            let aux = (work.wrap_end, work.wrap_end + millis);
            let about = About {
                aux_reason: Some(reason),
                ..About::default()
            };
            intervals.extend(with_entry(org, agent, "not_ready", aux, about));
            free = aux.1;
        }
        intervals.push(entered(org, agent, "ready", free, None));
        agent.free_at_ms = free;
        agent.ready_since_ms = free;
        intervals
    }

    /// Agent `index` goes not ready at `at` for `millis` as the call `session_id` of `job`
    /// connected: a nuisance call. The not-ready interval names that call.
    pub fn go_aux(
        &mut self,
        index: usize,
        (organization, job, session_id): (&str, &JobTag, &str),
        at: i64,
        (reason, millis): (&str, i64),
    ) -> Vec<(i64, FeedRecord)> {
        let agent = &mut self.agents[index];
        agent.job = Some(job.clone());
        let mut intervals = Vec::new();
        if at > agent.ready_since_ms {
            let span = (agent.ready_since_ms, at);
            intervals.push(interval(
                organization,
                agent,
                "ready",
                span,
                About::default(),
            ));
        }
        let aux = (at, at + millis);
        let about = About {
            aux_reason: Some(reason),
            session_id: Some(session_id),
            direction: Some("outbound"),
        };
        intervals.extend(with_entry(organization, agent, "not_ready", aux, about));
        intervals.push(entered(organization, agent, "ready", aux.1, None));
        agent.free_at_ms = aux.1;
        agent.ready_since_ms = aux.1;
        intervals
    }
}

#[cfg(test)]
mod tests;
