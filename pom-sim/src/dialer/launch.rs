//! One dialling step of a job: a due callback first (offered to an agent as a preview), else
//! wait for pace or agents and pick the next contact; then the preview, if the campaign has
//! one, and the call (`connect.rs`), whose records `call_records.rs` writes.

use std::collections::BTreeMap;

use super::super::world::{CampaignRec, World};
use super::agents::JobTag;
use super::callbacks::Detail;
use super::calls::{self, rng_for};
use super::pick::Pick;
use super::preview::{self, Decision};
use super::JobRun;

/// The contact being called and by which job.
pub(super) struct Dial<'a> {
    pub campaign: &'a CampaignRec,
    pub job: JobTag,
    pub list: String,
    pub id: String,
    pub phone_attribute: &'static str,
    pub address: String,
    pub attempt: u32,
    pub session_id: String,
    pub zone: String,
    /// The contact's attributes when it was dialled.
    pub contact: BTreeMap<String, String>,
    /// When the agent began previewing it (preview campaigns and callbacks).
    pub preview_from: Option<i64>,
    /// The callback this call fulfils.
    pub callback_id: Option<String>,
}

/// How the call went once the dialler and the agents had their say.
#[derive(Debug, Clone)]
pub(super) struct Outcome {
    pub agent_id: Option<String>,
    pub team: Option<String>,
    /// The agent's code at wrap-up (an agent talked to the customer, or cancelled a preview).
    pub agent_code: Option<String>,
    pub sys_code: String,
    pub connect_at: Option<i64>,
    pub end: i64,
    pub talk_ms: i64,
    pub wrap_ms: i64,
    /// (`no_agent` | `agent_aux`, the AUX reason) of a nuisance call.
    pub nuisance: Option<(&'static str, Option<&'static str>)>,
}

impl Outcome {
    /// `pimCompletionCode`: the agent's code, else the system's.
    pub fn code(&self) -> &str {
        self.agent_code.as_deref().unwrap_or(&self.sys_code)
    }
}

/// Whom a step calls and why.
struct Target {
    list: String,
    id: String,
    phone_attribute: &'static str,
    address: String,
    attempt: u32,
    why: Why,
}

enum Why {
    /// Next in the list walk.
    Fresh,
    Retry,
    Callback {
        id: String,
        handed_over: bool,
    },
}

impl World {
    /// Launches the next call of `job_id` at `t`, or moves its next launch time on.
    pub(super) fn launch(&mut self, job_id: i64, t: i64) {
        let Some(mut run) = self.dialer.runs.remove(&job_id) else {
            return;
        };
        self.step(&mut run, job_id, t);
        if run.next_at_ms <= t && run.exhausted_at_ms.is_none() {
            run.next_at_ms = t + 1;
        }
        self.dialer.runs.insert(job_id, run);
    }

    fn step(&mut self, run: &mut JobRun, job_id: i64, t: i64) {
        let Some(campaign) = self.campaigns.get(&run.campaign_id).cloned() else {
            run.exhausted_at_ms = Some(t);
            return;
        };
        run.in_flight.retain(|end| *end > t);
        if !self.dialer.pools.contains_key(&campaign.organization) {
            run.exhausted_at_ms = Some(t);
            return;
        }
        let pace = (1000.0 / campaign.dialing.calls_per_second.max(0.001)) as i64;
        if let Some(offer) = self.offer_callback(job_id, &campaign, t) {
            if let Some(later) = self.agent_reschedules(&offer.id) {
                self.reschedule(&offer.id, job_id, t, t + later);
            } else {
                let target = Target {
                    list: offer.list,
                    id: offer.contact,
                    phone_attribute: offer.phone_attribute,
                    address: offer.address,
                    attempt: offer.attempt,
                    why: Why::Callback {
                        id: offer.id,
                        handed_over: offer.handed_over,
                    },
                };
                self.dial(run, (job_id, &campaign), target, Some(offer.agent), t);
            }
            run.next_at_ms = t + pace.max(1);
            return;
        }
        let Some(reserved) = self.reserve(run, job_id, &campaign, t) else {
            return;
        };
        let target = match self.pick(run, job_id, &campaign, t) {
            Pick::Contact {
                list,
                id,
                phone_attribute,
                address,
                attempt,
                fresh,
            } => Target {
                list,
                id,
                phone_attribute,
                address,
                attempt,
                why: if fresh { Why::Fresh } else { Why::Retry },
            },
            Pick::Wait(at) => {
                run.next_at_ms = at;
                return;
            }
            Pick::Exhausted => {
                run.exhausted_at_ms = Some(t);
                return;
            }
        };
        self.dial(run, (job_id, &campaign), target, reserved, t);
        run.next_at_ms = t + pace.max(1);
    }

    /// Whether the job may call now: a predictive job while its calls in flight stay within
    /// the overdial allowance (`Some(None)`), others when an agent is free to reserve
    /// (`Some(Some(agent))`). `None`: not now (the next try is set).
    fn reserve(
        &self,
        run: &mut JobRun,
        job_id: i64,
        campaign: &CampaignRec,
        t: i64,
    ) -> Option<Option<usize>> {
        let pool = self.dialer.pools.get(&campaign.organization)?;
        if campaign.kind == "predictive" {
            let free = pool.free_count(t) as f64;
            let allowed = (free * self.dialer.config.overdial).ceil() as usize;
            if run.in_flight.len() >= allowed.max(1) {
                let next_end = run.in_flight.iter().min().copied();
                let wake = [next_end, pool.next_free_after(t)]
                    .into_iter()
                    .flatten()
                    .min();
                run.next_at_ms = wake.unwrap_or(t + 60_000);
                return None;
            }
            return Some(None);
        }
        match pool.free_agent(t, false, Some(job_id)) {
            Some(index) => Some(Some(index)),
            None => {
                run.next_at_ms = pool.next_free_after(t).unwrap_or(t + 60_000);
                None
            }
        }
    }

    /// Calls `target` at `t`: after a preview on preview campaigns and for callbacks.
    fn dial(
        &mut self,
        run: &mut JobRun,
        (job_id, campaign): (i64, &CampaignRec),
        target: Target,
        reserved: Option<usize>,
        t: i64,
    ) {
        self.dialer.calls += 1;
        let (zone, contact) = self
            .list_by_name(&target.list)
            .map(|l| {
                let attributes = l.contacts.get(&target.id).map(|c| c.attributes.clone());
                (l.zone.clone(), attributes.unwrap_or_default())
            })
            .unwrap_or_default();
        let (callback_id, handed_over) = match &target.why {
            Why::Fresh => (None, false),
            Why::Retry => (None, false),
            Why::Callback { id, handed_over } => (Some(id.clone()), *handed_over),
        };
        let counter = match target.why {
            Why::Fresh => &mut run.stats.dialled,
            Why::Retry => &mut run.stats.retries,
            Why::Callback { .. } => &mut run.stats.callbacks_dialled,
        };
        *counter += 1;
        let mut dial = Dial {
            campaign,
            job: JobTag {
                job_id,
                campaign: campaign.name.clone(),
                campaign_type: campaign.kind.clone(),
            },
            session_id: format!("{job_id}-{:08}", self.dialer.calls),
            list: target.list,
            id: target.id,
            phone_attribute: target.phone_attribute,
            address: target.address,
            attempt: target.attempt,
            zone,
            contact,
            preview_from: None,
            callback_id,
        };
        let seed = self.dialer.config.seed.to_le_bytes();
        let mut dial_at = t;
        let previewed = campaign.kind == "preview" || dial.callback_id.is_some();
        if let (true, Some(agent)) = (previewed, reserved) {
            let mut rng = rng_for(&[&seed, b"preview", dial.session_id.as_bytes()]);
            // Callbacks are previewed without a timer: the customer asked for this call.
            let timed = campaign
                .dialing
                .preview_seconds
                .filter(|_| dial.callback_id.is_none());
            match preview::decide(&mut rng, timed, &campaign.completion_codes, t) {
                Decision::Cancel { at, code, wrap_end } => {
                    self.cancel_preview(run, &dial, agent, (t, at, wrap_end), &code);
                    if let Some(id) = &dial.callback_id {
                        self.end_callback(id, "cancelled", at, job_id, &code);
                    }
                    return;
                }
                Decision::Dial { at } => (dial.preview_from, dial_at) = (Some(t), at),
            }
        }
        if let Some(id) = dial.callback_id.clone() {
            let detail = Detail {
                job_id: Some(job_id),
                agent_id: reserved.and_then(|i| self.agent_id(campaign, i)),
                handed_over,
                session_id: Some(dial.session_id.clone()),
                ..Detail::default()
            };
            self.callback_event(&id, "dialled", dial_at, detail);
        }
        let mut rng = rng_for(&[
            &seed,
            &job_id.to_le_bytes(),
            dial.list.as_bytes(),
            dial.id.as_bytes(),
            &dial.attempt.to_le_bytes(),
        ]);
        let plan = calls::plan(&mut rng, &campaign.completion_codes, dial_at);
        let outcome = self.place(run, &dial, &plan, reserved, dial_at);
        if let Some(id) = &dial.callback_id {
            self.callback_called(id, job_id, &outcome, &dial.session_id);
        }
    }

    fn agent_id(&self, campaign: &CampaignRec, index: usize) -> Option<String> {
        let pool = self.dialer.pools.get(&campaign.organization)?;
        pool.agents.get(index).map(|a| a.id.clone())
    }
}
