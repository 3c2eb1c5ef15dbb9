//! One dialling step of a job: wait for pace or agents, pick the contact, place the call, and
//! queue what it leaves behind (attempt, agent intervals, callback, kill-list entry), updating the
//! contact's progress, its "being dialled" mark and the job's retries.

use super::super::feed::{iso, Attempt, Callback, DialerKill, FeedRecord};
use super::super::world::{CampaignRec, World};
use super::agents::Work;
use super::calls::{self, rng_for, CallPlan, AUX_REASONS, NUISANCE_CODE};
use super::pick::Pick;
use super::{JobRun, Retry};

/// The contact being called and by which job.
struct Dial<'a> {
    campaign: &'a CampaignRec,
    job_id: i64,
    list: String,
    id: String,
    address: String,
    attempt: u32,
    session_id: String,
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
        let Some(pool) = self.dialer.pools.get(&campaign.organization) else {
            run.exhausted_at_ms = Some(t);
            return;
        };
        let reserved = if campaign.kind == "predictive" {
            let free = pool.free_count(t) as f64;
            let allowed = (free * self.dialer.config.overdial).ceil() as usize;
            if run.in_flight.len() >= allowed.max(1) {
                let next_end = run.in_flight.iter().min().copied();
                let wake = [next_end, pool.next_free_after(t)]
                    .into_iter()
                    .flatten()
                    .min();
                run.next_at_ms = wake.unwrap_or(t + 60_000);
                return;
            }
            None
        } else {
            match pool.free_agent(t, false) {
                Some(index) => Some(index),
                None => {
                    run.next_at_ms = pool.next_free_after(t).unwrap_or(t + 60_000);
                    return;
                }
            }
        };
        let (list, id, address, attempt) = match self.pick(run, &campaign, t) {
            Pick::Contact {
                list,
                id,
                address,
                attempt,
            } => (list, id, address, attempt),
            Pick::Wait(at) => {
                run.next_at_ms = at;
                return;
            }
            Pick::Exhausted => {
                run.exhausted_at_ms = Some(t);
                return;
            }
        };
        self.dialer.sequence += 1;
        let dial = Dial {
            campaign: &campaign,
            job_id,
            session_id: format!("{job_id}-{:08}", self.dialer.sequence),
            list,
            id,
            address,
            attempt,
        };
        let seed = self.dialer.config.seed.to_le_bytes();
        let mut rng = rng_for(&[
            &seed,
            &job_id.to_le_bytes(),
            dial.list.as_bytes(),
            dial.id.as_bytes(),
            &attempt.to_le_bytes(),
        ]);
        let plan = calls::plan(&mut rng, &campaign.completion_codes, t);
        self.place(run, &dial, &plan, reserved, t);
        let pace = (1000.0 / campaign.dialing.calls_per_second.max(0.001)) as i64;
        run.next_at_ms = t + pace.max(1);
    }

    /// Places the call described by `plan` and queues its records.
    fn place(
        &mut self,
        run: &mut JobRun,
        dial: &Dial<'_>,
        plan: &CallPlan,
        reserved: Option<usize>,
        t: i64,
    ) {
        let organization = dial.campaign.organization.as_str();
        let human = plan.result == "answer_human";
        let mut records = Vec::new();
        let (mut agent, mut team, mut code) =
            (None, None, calls::system_code(plan.result).to_string());
        let (mut talk_ms, mut wrap_ms, mut nuisance, mut end) = (0, 0, false, plan.end_at);
        let mut connect_at = plan.answered_at;
        if let (true, Some(answered)) = (human, plan.answered_at) {
            let pool = self
                .dialer
                .pools
                .get_mut(organization)
                .expect("pool opened with the run");
            let index = reserved.or_else(|| pool.free_agent(answered, false));
            match index {
                Some(index) if plan.aux_at_connect && reserved.is_none() => {
                    let reason = AUX_REASONS[dial.attempt as usize % AUX_REASONS.len()];
                    records.extend(pool.go_aux(index, organization, answered, reason, 300_000));
                    agent = Some(index);
                    (nuisance, code, end) = (true, NUISANCE_CODE.to_string(), answered + 2_000);
                }
                Some(index) => {
                    (talk_ms, wrap_ms) = (plan.talk_ms, plan.wrap_ms);
                    end = answered + talk_ms;
                    records.extend(pool.work(
                        index,
                        &Work {
                            organization,
                            session_id: &dial.session_id,
                            connect_at: answered,
                            talk_end: end,
                            wrap_end: end + wrap_ms,
                            aux_after: plan.aux_after,
                        },
                    ));
                    agent = Some(index);
                    code = plan.agent_code.clone();
                    run.stats.connects += 1;
                }
                None => {
                    (nuisance, code, end) = (true, NUISANCE_CODE.to_string(), answered + 2_000);
                    connect_at = None;
                }
            }
            if let Some(index) = agent {
                let a = &pool.agents[index];
                (agent, team) = (Some(index), Some(a.team.clone()));
                if nuisance {
                    connect_at = None;
                }
            }
        } else if let Some(index) = reserved {
            // A preview or progressive agent waited on a call nobody answered.
            let pool = self
                .dialer
                .pools
                .get_mut(organization)
                .expect("pool opened with the run");
            pool.agents[index].free_at_ms = plan.end_at;
        }
        let agent_id = agent.and_then(|i| {
            self.dialer
                .pools
                .get(organization)
                .map(|p| p.agents[i].id.clone())
        });
        let done_at = end + wrap_ms;
        if nuisance {
            run.stats.nuisance += 1;
        }
        run.stats.attempts += 1;
        if dial.attempt == 1 {
            run.stats.dialled += 1;
        } else {
            run.stats.retries += 1;
        }
        records.push((
            end,
            FeedRecord::Attempt(Attempt {
                session_id: dial.session_id.clone(),
                organization: organization.to_string(),
                job_id: dial.job_id,
                campaign: dial.campaign.name.clone(),
                campaign_type: dial.campaign.kind.clone(),
                list: dial.list.clone(),
                user_contact_id: dial.id.clone(),
                address: dial.address.clone(),
                attempt_number: dial.attempt,
                attempt_at: iso(t),
                ringback_at: plan.ringback_at.map(iso),
                connect_at: connect_at.map(iso),
                end_at: iso(end),
                result: plan.result.to_string(),
                completion_code: code.clone(),
                agent_id: agent_id.clone(),
                team,
                talk_seconds: talk_ms / 1000,
                wrap_up_seconds: wrap_ms / 1000,
                nuisance,
            }),
        ));
        if let (Some((kind, due_after)), false) = (plan.callback, nuisance || agent.is_none()) {
            records.push((
                done_at,
                FeedRecord::Callback(Callback {
                    session_id: dial.session_id.clone(),
                    organization: organization.to_string(),
                    job_id: dial.job_id,
                    campaign: dial.campaign.name.clone(),
                    list: dial.list.clone(),
                    user_contact_id: dial.id.clone(),
                    address: dial.address.clone(),
                    callback_type: kind.to_string(),
                    agent_id: (kind == "agent_owned").then(|| agent_id.clone()).flatten(),
                    created_at: iso(done_at),
                    due_at: iso(done_at + due_after),
                }),
            ));
        }
        if code == "DNCREQ" {
            let dnc_list = self
                .dnc_lists
                .values()
                .find(|d| d.organization.as_deref() == Some(organization))
                .map(|d| d.name.clone())
                .unwrap_or_else(|| organization.to_string());
            records.push((
                done_at,
                FeedRecord::DialerKill(DialerKill {
                    session_id: dial.session_id.clone(),
                    organization: organization.to_string(),
                    dnc_list,
                    address: dial.address.clone(),
                    job_id: dial.job_id,
                    campaign: dial.campaign.name.clone(),
                    user_contact_id: dial.id.clone(),
                    added_at: iso(done_at),
                }),
            ));
        }
        let retry = calls::retryable(plan.result, &code)
            && dial.attempt < dial.campaign.dialing.max_attempts;
        let progress = self
            .dialer
            .progress
            .entry(dial.list.clone())
            .or_default()
            .entry(dial.id.clone())
            .or_default();
        progress.attempts = dial.attempt;
        progress.last_code = code;
        progress.finished = !retry;
        if retry {
            run.retries.push(Retry {
                due_ms: end + dial.campaign.dialing.retry_after_secs * 1000,
                list: dial.list.clone(),
                contact: dial.id.clone(),
            });
        }
        if let Some(contact) = self
            .lists
            .values_mut()
            .find(|l| l.name == dial.list)
            .and_then(|l| l.contacts.get_mut(&dial.id))
        {
            contact.in_progress_until_ms = Some(end);
        }
        run.in_flight.push(end);
        run.busy_until_ms = run.busy_until_ms.max(done_at);
        self.dialer.queue(records);
    }
}
