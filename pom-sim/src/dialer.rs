//! The simulated dialler: active campaign jobs work through their lists at the campaign's pace,
//! agents of the organization take the answered calls, blended agents take inbound calls, and
//! every attempt, agent interval, callback, abandoned inbound call and kill-list entry goes to the
//! feed when it ends. Events are handled in simulated-time order, so the outcome depends on the
//! seed and the commands, never on how often the clock is looked at.

mod agents;
mod calls;
mod inbound;
mod launch;
mod pick;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use self::agents::{agent_ids, Agent, AgentPool};
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

/// What a job did, for tests and the control API. Skip counters describe the first pass.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct JobStats {
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
    pub sequence: u64,
}

/// Something the engine does at a moment of simulated time.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Event {
    Complete(i64),
    Launch(i64),
    Inbound(String),
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
            .entry(organization)
            .or_insert_with_key(|org| AgentPool::new(org, size, at));
        pool.next_inbound_ms.get_or_insert(at + 60_000);
        self.dialer.runs.entry(job_id).or_insert(JobRun {
            campaign_id,
            next_at_ms: at,
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
            }
        }
        self.publish(now_ms);
    }

    /// The earliest event at or before `now_ms`; at equal times completions go first, then
    /// launches (by job id), then inbound calls.
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
        runs.chain(inbound).filter(|(t, _)| *t <= now_ms).min()
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
        match self.jobs.get_mut(&job_id) {
            Some(job) if finite => {
                job.state = "JOB_COMPLETED".into();
                job.transition_at_ms = None;
            }
            _ => {
                run.list_index = 0;
                run.cursor = None;
                run.stats.passes += 1;
                run.next_at_ms = t + NEXT_PASS_MS;
            }
        }
    }

    /// The organization's DNC list, created (named as the organization) when it has none.
    fn organization_dnc_list(&mut self, organization: &str) -> &mut super::world::DncRec {
        let found = self
            .dnc_lists
            .values()
            .find(|d| d.organization.as_deref() == Some(organization))
            .map(|d| d.id);
        let id = found.unwrap_or_else(|| {
            let id = self.new_id();
            self.dnc_lists.insert(
                id,
                super::world::DncRec {
                    id,
                    name: organization.to_string(),
                    organization: Some(organization.to_string()),
                    addresses: Default::default(),
                    last_updated_ms: 0,
                },
            );
            id
        });
        self.dnc_lists.get_mut(&id).expect("found or just created")
    }

    /// Moves records whose time has come to the feed, in (time, sequence) order; kill-list
    /// entries reach the organization's DNC list at that moment.
    fn publish(&mut self, now_ms: i64) {
        let (mut due, waiting): (Vec<Pending>, Vec<Pending>) =
            std::mem::take(&mut self.dialer.pending)
                .into_iter()
                .partition(|p| p.at_ms <= now_ms);
        self.dialer.pending = waiting;
        due.sort_by_key(|p| (p.at_ms, p.seq));
        for pending in due {
            if let FeedRecord::DialerKill(kill) = &pending.record {
                let list = self.organization_dnc_list(&kill.organization);
                list.addresses.insert(kill.address.clone());
                list.last_updated_ms = pending.at_ms;
            }
            self.feed.records.push(pending.record);
        }
    }
}

#[cfg(test)]
mod tests;
