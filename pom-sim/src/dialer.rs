//! The simulated dialler: active campaign jobs work through their lists at the campaign's pace,
//! agents of the organization take the answered calls, blended agents take inbound calls, and
//! every attempt, agent interval, callback, sale, inbound call, kill-list entry, job state change
//! and contact passed over goes to the feed when it ends. Events are handled in simulated-time order, so the outcome depends on the
//! seed and the commands, never on how often the clock is looked at.

mod agent_states;
mod agents;
mod breaks;
mod call_records;
mod callbacks;
mod calls;
mod connect;
mod inbound;
mod job_records;
mod launch;
mod pick;
mod preview;
mod publish;
mod scheduled;
mod sessions;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use self::agents::{agent_ids, Agent, AgentPool, JobTag};
pub use self::breaks::BreakRefused;
pub use self::callbacks::OpenCallback;
pub use self::job_records::{FINISHED_LISTS_DONE, FINISHED_USER_STOP};
pub use self::scheduled::{callback_time, CallbackRequest};
use super::feed::FeedRecord;
use super::world::World;

/// Settings of the engine.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DialerConfig {
    /// Agents per organization, created when its first job starts.
    pub agents_per_org: usize,
    pub seed: u64,
    /// Predictive jobs keep up to this many calls in flight per free agent.
    pub overdial: f64,
}

impl Default for DialerConfig {
    fn default() -> Self {
        DialerConfig {
            agents_per_org: 8,
            seed: 1,
            overdial: 2.0,
        }
    }
}

/// What a job did, for tests, the control API and the `job_event` that ends it. Skip counters
/// describe the first pass through the lists: with `dialled` they add up to the contacts the job
/// looked at, each one recorded in the feed (`contact_skip`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct JobStats {
    /// Contacts dialled from the list walk (retries are counted apart).
    pub dialled: u64,
    pub attempts: u64,
    pub retries: u64,
    pub connects: u64,
    pub nuisance: u64,
    pub skipped_dnc: u64,
    pub skipped_window: u64,
    pub skipped_finished: u64,
    pub skipped_uncallable: u64,
    pub skipped_in_progress: u64,
    pub skipped_no_phone: u64,
    /// Contacts the first pass had not reached when the job ended (stopped).
    pub skipped_not_reached: u64,
    /// Contacts added to the lists after the job started that its first pass never met.
    pub skipped_added_after: u64,
    /// Due callbacks dialled (apart from `dialled` and `retries`).
    pub callbacks_dialled: u64,
    /// Previews the agent cancelled (an attempt without a call).
    pub previews_cancelled: u64,
    /// Retries not made because the contact could no longer be dialled (window, DNC, …).
    pub retries_dropped: u64,
    pub passes: u64,
}

/// A contact to call again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Retry {
    pub due_ms: i64,
    pub list: String,
    pub contact: String,
}

/// The dialling state of one job.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct JobRun {
    pub campaign_id: i64,
    pub next_at_ms: i64,
    pub list_index: usize,
    /// The last contact id taken from the current list.
    pub cursor: Option<String>,
    pub retries: Vec<Retry>,
    /// End times of calls still in flight.
    pub in_flight: Vec<i64>,
    /// When the last record of the job's calls is published.
    pub busy_until_ms: i64,
    /// When the lists were found worked through (the job completes once its calls have ended).
    pub exhausted_at_ms: Option<i64>,
    pub stats: JobStats,
    /// When the job became active.
    pub started_ms: i64,
    /// (list, contact) met by the first pass, or recorded as never reached.
    pub seen: std::collections::BTreeSet<(String, String)>,
}

/// A contact's dialling history across jobs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactProgress {
    pub attempts: u32,
    pub finished: bool,
    pub last_code: String,
}

/// A record waiting for its end time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pending {
    pub at_ms: i64,
    pub seq: u64,
    pub record: FeedRecord,
}

/// The engine's whole state (part of the world, so snapshots carry it).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Dialer {
    pub config: DialerConfig,
    pub runs: BTreeMap<i64, JobRun>,
    pub pools: BTreeMap<String, AgentPool>,
    /// List name → user contact id → progress.
    pub progress: BTreeMap<String, BTreeMap<String, ContactProgress>>,
    pub pending: Vec<Pending>,
    /// Orders pending records that end at the same moment.
    pub sequence: u64,
    /// Calls placed, for session ids (apart from `sequence`, which job changes also move).
    pub calls: u64,
    /// Callbacks not yet ended, by id.
    pub callbacks: BTreeMap<String, OpenCallback>,
    /// Callbacks scheduled through the web service, for their ids.
    pub scheduled_callbacks: u64,
}

/// Something the engine does at a moment of simulated time.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Event {
    Complete(i64),
    Launch(i64),
    Inbound(String),
    Expire(String),
}

/// Simulated milliseconds an infinite job waits before looking at its lists again.
const NEXT_PASS_MS: i64 = 300_000;

impl Dialer {
    fn queue(&mut self, records: impl IntoIterator<Item = (i64, FeedRecord)>) {
        for (at_ms, record) in records {
            self.sequence += 1;
            let seq = self.sequence;
            self.pending.push(Pending { at_ms, seq, record });
        }
    }
}

impl World {
    /// A job became active at `at`: it starts dialling then, and its organization's agents log in.
    pub(super) fn open_run(&mut self, job_id: i64, campaign_id: i64, at: i64) {
        let Some(organization) = self
            .campaigns
            .get(&campaign_id)
            .map(|c| c.organization.clone())
        else {
            return;
        };
        let size = self.dialer.config.agents_per_org;
        let pool = self
            .dialer
            .pools
            .entry(organization.clone())
            .or_insert_with_key(|org| AgentPool::new(org, size, at));
        pool.next_inbound_ms.get_or_insert(at + 60_000);
        let logins = pool.log_in((&organization, at));
        self.dialer.queue(logins);
        self.dialer.runs.entry(job_id).or_insert(JobRun {
            campaign_id,
            next_at_ms: at,
            started_ms: at,
            ..JobRun::default()
        });
    }

    fn active(&self, job_id: i64) -> bool {
        self.jobs
            .get(&job_id)
            .is_some_and(|j| j.state == "JOB_ACTIVE")
    }

    pub(super) fn organization_active(&self, organization: &str) -> bool {
        self.dialer.runs.iter().any(|(id, run)| {
            self.active(*id)
                && self
                    .campaigns
                    .get(&run.campaign_id)
                    .is_some_and(|c| c.organization == organization)
        })
    }

    /// Handles every dialling event up to `now_ms` in time order. Before each event, records
    /// that ended by then are published (kill-list entries reach the DNC list), so what an event
    /// sees never depends on how often the clock was read.
    pub(super) fn run_dialer(&mut self, now_ms: i64) {
        while let Some((t, event)) = self.next_event(now_ms) {
            self.publish(t);
            match event {
                Event::Complete(job) => self.complete(job, t),
                Event::Launch(job) => self.launch(job, t),
                Event::Inbound(org) => self.inbound(&org, t),
                Event::Expire(callback) => self.expire_callback(&callback, t),
            }
        }
        self.publish(now_ms);
    }

    /// The earliest event at or before `now_ms`; at equal times completions go first, then
    /// launches (by job id), then inbound calls, then callback expiries.
    fn next_event(&self, now_ms: i64) -> Option<(i64, Event)> {
        let runs = self
            .dialer
            .runs
            .iter()
            .filter(|(id, _)| self.active(**id))
            .map(|(id, run)| match run.exhausted_at_ms {
                Some(at) => (at.max(run.busy_until_ms), Event::Complete(*id)),
                None => (run.next_at_ms, Event::Launch(*id)),
            });
        let inbound =
            self.dialer.pools.iter().filter_map(|(org, pool)| {
                Some((pool.next_inbound_ms?, Event::Inbound(org.clone())))
            });
        let expiry = self.next_expiry().map(|(at, id)| (at, Event::Expire(id)));
        runs.chain(inbound)
            .chain(expiry)
            .filter(|(t, _)| *t <= now_ms)
            .min()
    }
    /// A job whose lists are done and whose last call has ended: a finite one completes, an
    /// infinite one looks at its lists again later.
    fn complete(&mut self, job_id: i64, t: i64) {
        let Some(run) = self.dialer.runs.get_mut(&job_id) else {
            return;
        };
        run.exhausted_at_ms = None;
        let finite = self
            .campaigns
            .get(&run.campaign_id)
            .is_none_or(|c| c.finite);
        if !finite || !self.jobs.contains_key(&job_id) {
            run.list_index = 0;
            run.cursor = None;
            run.stats.passes += 1;
            run.next_at_ms = t + NEXT_PASS_MS;
            return;
        }
        if let Some(job) = self.jobs.get_mut(&job_id) {
            job.state = "JOB_COMPLETED".into();
            job.transition_at_ms = None;
        }
        self.record_job_event(job_id, "completed", t);
    }
}

#[cfg(test)]
mod feed_tests;
#[cfg(test)]
mod tests;
