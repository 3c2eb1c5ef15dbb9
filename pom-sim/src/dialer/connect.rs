//! A call once placed: who takes it (`connect`: the reserved or a free agent, or nobody — a
//! nuisance call) and what it leaves (`settle`: the records, the contact's progress, its
//! "being dialled" mark and the job's retries).

use super::super::feed::FeedRecord;
use super::super::world::World;
use super::agents::Work;
use super::calls::{self, CallPlan, AUX_REASONS, NUISANCE_CODE};
use super::launch::{Dial, Outcome};
use super::{JobRun, Retry};

impl World {
    /// Places the call described by `plan` at `t` and queues its records; returns how it went.
    pub(super) fn place(
        &mut self,
        run: &mut JobRun,
        dial: &Dial<'_>,
        plan: &CallPlan,
        reserved: Option<usize>,
        t: i64,
    ) -> Outcome {
        let (outcome, records) = self.connect(dial, plan, reserved);
        self.settle(run, dial, plan, (&outcome, records), t);
        outcome
    }

    /// Counts the call, queues its records and moves the contact on: retried when its result
    /// allows (never a callback's call: the callback reschedules itself), finished otherwise.
    pub(super) fn settle(
        &mut self,
        run: &mut JobRun,
        dial: &Dial<'_>,
        plan: &CallPlan,
        (outcome, mut records): (&Outcome, Vec<(i64, FeedRecord)>),
        t: i64,
    ) {
        if outcome.nuisance.is_some() {
            run.stats.nuisance += 1;
        }
        if outcome.connect_at.is_some() {
            run.stats.connects += 1;
        }
        run.stats.attempts += 1;
        let end = outcome.end;
        let done_at = end + outcome.wrap_ms;
        records.extend(self.call_records(dial, plan, outcome, t));
        let code = outcome.code().to_string();
        let retry = calls::retryable(plan.result, &code)
            && dial.attempt < dial.campaign.dialing.max_attempts
            && dial.callback_id.is_none();
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

    /// Who takes the call: for a human answer, the reserved agent or a free one (a nuisance call
    /// when nobody is free or the agent goes AUX as it connects). Returns the outcome and the
    /// agent's intervals.
    pub(super) fn connect(
        &mut self,
        dial: &Dial<'_>,
        plan: &CallPlan,
        reserved: Option<usize>,
    ) -> (Outcome, Vec<(i64, FeedRecord)>) {
        let organization = dial.campaign.organization.as_str();
        let mut outcome = Outcome {
            agent_id: None,
            team: None,
            agent_code: None,
            sys_code: calls::system_code(plan.result).to_string(),
            connect_at: None,
            end: plan.end_at,
            talk_ms: 0,
            wrap_ms: 0,
            nuisance: None,
        };
        let pool = self
            .dialer
            .pools
            .get_mut(organization)
            .expect("pool opened with the run");
        let answered = match (plan.result, plan.answered_at) {
            ("answer_human", Some(answered)) => answered,
            _ => {
                // A preview or progressive agent waited on a call nobody answered.
                let Some(index) = reserved else {
                    return (outcome, Vec::new());
                };
                let agent = &pool.agents[index];
                (outcome.agent_id, outcome.team) =
                    (Some(agent.id.clone()), Some(agent.team.clone()));
                let Some(from) = dial.preview_from else {
                    pool.agents[index].free_at_ms = plan.end_at;
                    return (outcome, Vec::new());
                };
                let call = (organization, dial.session_id.as_str());
                let records = pool.previewed(index, call, (from, plan.end_at), None);
                return (outcome, records);
            }
        };
        outcome.sys_code = "Answer_Human".to_string();
        let Some(index) =
            reserved.or_else(|| pool.free_agent(answered, false, Some(dial.job.job_id)))
        else {
            outcome.nuisance = Some(("no_agent", None));
            outcome.sys_code = NUISANCE_CODE.to_string();
            outcome.end = answered + 2_000;
            return (outcome, Vec::new());
        };
        let agent = &pool.agents[index];
        (outcome.agent_id, outcome.team) = (Some(agent.id.clone()), Some(agent.team.clone()));
        if plan.aux_at_connect && reserved.is_none() {
            let reason = AUX_REASONS[dial.attempt as usize % AUX_REASONS.len()];
            let call = (organization, &dial.job, dial.session_id.as_str());
            let records = pool.go_aux(index, call, answered, (reason, 300_000));
            outcome.nuisance = Some(("agent_aux", Some(reason)));
            outcome.sys_code = NUISANCE_CODE.to_string();
            outcome.end = answered + 2_000;
            return (outcome, records);
        }
        (outcome.talk_ms, outcome.wrap_ms) = (plan.talk_ms, plan.wrap_ms);
        outcome.end = answered + plan.talk_ms;
        outcome.connect_at = Some(answered);
        outcome.agent_code = Some(plan.agent_code.clone());
        let records = pool.work(
            index,
            &Work {
                organization,
                session_id: &dial.session_id,
                job: Some(&dial.job),
                preview_from: dial.preview_from,
                connect_at: answered,
                talk_end: outcome.end,
                wrap_end: outcome.end + plan.wrap_ms,
                aux_after: plan.aux_after,
            },
        );
        (outcome, records)
    }
}
