//! Simulated POM rules for campaigns and jobs: queued → active ⇄ paused → stopping → stopped,
//! infinite campaigns with one running job, state filters, schedules and completion codes.

use super::rules::{
    fault, zoned_schedule_time, Caller, Fault, EMPTY_RATE_PER_SEC, JOB_STATES, QUEUE_DELAY_MS,
    STOP_DELAY_MS,
};
use super::world::{JobRec, World};

impl World {
    /// Moves time-driven state forward: queued jobs start, stopping jobs stop, lists empty,
    /// imports read their files from `drop_dir`, active jobs dial.
    pub fn advance(&mut self, now_ms: i64, drop_dir: &std::path::Path) {
        let mut due: Vec<(i64, i64)> = Vec::new();
        for campaign in self.campaigns.values_mut() {
            due.extend(
                campaign
                    .schedules
                    .iter()
                    .filter(|(at, _)| *at <= now_ms)
                    .map(|(at, _)| (*at, campaign.id)),
            );
            campaign.schedules.retain(|(at, _)| *at > now_ms);
        }
        due.sort_unstable();
        for (at, campaign_id) in due {
            // A scheduled start queues a job exactly as RunCampaign does, at its own time.
            self.queue_job(campaign_id, at);
        }
        let mut activated = Vec::new();
        let mut stopped = Vec::new();
        for job in self.jobs.values_mut() {
            match (job.state.as_str(), job.transition_at_ms) {
                ("JOB_QUEUED", Some(at)) if now_ms >= at => {
                    job.state = "JOB_ACTIVE".into();
                    job.transition_at_ms = None;
                    activated.push((job.id, job.campaign_id, at));
                }
                ("JOB_STOPPING", Some(at)) if now_ms >= at => {
                    job.state = "JOB_STOPPED".into();
                    job.transition_at_ms = None;
                    stopped.push((at, job.id));
                }
                _ => {}
            }
        }
        stopped.sort_unstable();
        for (at, job_id) in stopped {
            self.record_job_event(job_id, "stopped", at);
        }
        for list in self.lists.values_mut() {
            let Some(task) = list.emptying.as_mut() else {
                continue;
            };
            let elapsed = (now_ms - task.last_step_ms).clamp(0, 86_400_000);
            let budget = (elapsed * EMPTY_RATE_PER_SEC / 1000) as usize;
            if budget == 0 {
                continue;
            }
            task.last_step_ms = now_ms;
            let cutoff = task.cutoff_ms;
            let doomed: Vec<String> = list
                .contacts
                .iter()
                .filter(|(_, c)| c.created_ms < cutoff)
                .take(budget)
                .map(|(id, _)| id.clone())
                .collect();
            for id in &doomed {
                list.contacts.remove(id);
            }
            if doomed.len() < budget {
                list.emptying = None;
            }
            list.last_update_ms = now_ms;
        }
        activated.sort_unstable_by_key(|(job, _, at)| (*at, *job));
        for (job_id, campaign_id, at) in activated {
            self.open_run(job_id, campaign_id, at);
            self.record_job_event(job_id, "started", at);
        }
        self.advance_imports(now_ms, drop_dir);
        self.run_dialer(now_ms);
    }

    pub(crate) fn campaign_for(&self, caller: &Caller, name: &str) -> Result<i64, Fault> {
        let campaign = self.campaign_by_name(name).ok_or_else(|| fault(-26, ""))?;
        if !caller.sees(&campaign.organization) {
            return Err(fault(-30, ""));
        }
        Ok(campaign.id)
    }

    fn job_for(&mut self, caller: &Caller, job_id: i64) -> Result<&mut JobRec, Fault> {
        let campaign_id = self
            .jobs
            .get(&job_id)
            .ok_or_else(|| fault(-1, ""))?
            .campaign_id;
        let organization = self
            .campaigns
            .get(&campaign_id)
            .map(|c| c.organization.clone())
            .unwrap_or_default();
        if !caller.sees(&organization) {
            return Err(fault(-30, ""));
        }
        self.jobs.get_mut(&job_id).ok_or_else(|| fault(-1, ""))
    }

    /// Starts a job of the campaign: queued now, active shortly after. Returns its id.
    pub fn start_job(
        &mut self,
        caller: &Caller,
        campaign_id: i64,
        now_ms: i64,
    ) -> Result<i64, Fault> {
        let campaign = self
            .campaigns
            .get(&campaign_id)
            .ok_or_else(|| fault(-26, ""))?;
        if !caller.sees(&campaign.organization) {
            return Err(fault(-30, ""));
        }
        let running = self.jobs.values().any(|j| {
            j.campaign_id == campaign_id
                && matches!(j.state.as_str(), "JOB_QUEUED" | "JOB_ACTIVE" | "JOB_PAUSED")
        });
        if !campaign.finite && running {
            return Err(fault(-51, ""));
        }
        Ok(self.queue_job(campaign_id, now_ms))
    }

    /// Adds a queued job that becomes active after [`QUEUE_DELAY_MS`]; returns its id.
    fn queue_job(&mut self, campaign_id: i64, now_ms: i64) -> i64 {
        let id = self.new_id();
        let transition_at_ms = Some(now_ms.saturating_add(QUEUE_DELAY_MS));
        self.jobs.insert(
            id,
            JobRec {
                id,
                campaign_id,
                state: "JOB_QUEUED".into(),
                transition_at_ms,
            },
        );
        self.record_job_event(id, "queued", now_ms);
        id
    }

    /// `RunCampaign` by name.
    pub fn run_campaign(&mut self, caller: &Caller, name: &str, now_ms: i64) -> Result<i64, Fault> {
        let id = self.campaign_for(caller, name)?;
        self.start_job(caller, id, now_ms)
    }

    /// Pause (`-55`), resume (`-56`) or stop (`-57`) a job.
    pub fn job_action(
        &mut self,
        caller: &Caller,
        job_id: i64,
        action: &str,
        now_ms: i64,
    ) -> Result<(), Fault> {
        let job = self.job_for(caller, job_id)?;
        let event = match (action, job.state.as_str()) {
            ("pause", "JOB_ACTIVE") => {
                job.state = "JOB_PAUSED".into();
                "paused"
            }
            ("pause", _) => return Err(fault(-55, "")),
            ("resume", "JOB_PAUSED") => {
                job.state = "JOB_ACTIVE".into();
                if let Some(run) = self.dialer.runs.get_mut(&job_id) {
                    run.next_at_ms = run.next_at_ms.max(now_ms);
                    let campaign_id = run.campaign_id;
                    self.open_run(job_id, campaign_id, now_ms);
                }
                "resumed"
            }
            ("resume", _) => return Err(fault(-56, "")),
            ("stop", "JOB_ACTIVE" | "JOB_PAUSED") => {
                job.state = "JOB_STOPPING".into();
                job.transition_at_ms = Some(now_ms + STOP_DELAY_MS);
                "stopping"
            }
            _ => return Err(fault(-57, "")),
        };
        self.record_job_event(job_id, event, now_ms);
        Ok(())
    }

    /// Checks a job-state filter (`-53` for an unknown state).
    pub fn check_states(states: &[String]) -> Result<(), Fault> {
        if states.iter().all(|s| JOB_STATES.contains(&s.as_str())) {
            Ok(())
        } else {
            Err(fault(-53, ""))
        }
    }

    /// `GetCampaignJobs`: (job id, state) of the campaign's jobs in `states` (all when empty).
    pub fn campaign_jobs(
        &self,
        caller: &Caller,
        name: &str,
        states: &[String],
    ) -> Result<Vec<(i64, String)>, Fault> {
        Self::check_states(states)?;
        let id = self.campaign_for(caller, name)?;
        Ok(self
            .jobs
            .values()
            .filter(|j| j.campaign_id == id && (states.is_empty() || states.contains(&j.state)))
            .map(|j| (j.id, j.state.clone()))
            .collect())
    }

    /// `GetCampaignDetails`: without states, one row per campaign with job id -1 and no state.
    pub fn campaign_details(
        &self,
        caller: &Caller,
        states: &[String],
    ) -> Result<Vec<(String, i64, Option<String>)>, Fault> {
        Self::check_states(states)?;
        let visible = self
            .campaigns
            .values()
            .filter(|c| caller.sees(&c.organization));
        if states.is_empty() {
            return Ok(visible.map(|c| (c.name.clone(), -1, None)).collect());
        }
        Ok(visible
            .flat_map(|c| {
                self.jobs
                    .values()
                    .filter(move |j| j.campaign_id == c.id && states.contains(&j.state))
                    .map(move |j| (c.name.clone(), j.id, Some(j.state.clone())))
            })
            .collect())
    }

    /// `ScheduleCampaign` (`-59` for a start time not in `yyyy/MM/dd HH:mm:ss`).
    pub fn schedule_campaign(
        &mut self,
        caller: &Caller,
        name: &str,
        start: &str,
        zone: &str,
    ) -> Result<(), Fault> {
        let id = self.campaign_for(caller, name)?;
        let at = zoned_schedule_time(start, zone)?;
        if let Some(campaign) = self.campaigns.get_mut(&id) {
            campaign.schedules.push((at, zone.to_string()));
        }
        Ok(())
    }

    /// `GetContactListNames` (`-68` for an infinite campaign without lists).
    pub fn contact_list_names(&self, caller: &Caller, name: &str) -> Result<Vec<String>, Fault> {
        let id = self.campaign_for(caller, name)?;
        let campaign = &self.campaigns[&id];
        if !campaign.finite && campaign.lists.is_empty() {
            return Err(fault(-68, ""));
        }
        Ok(campaign.lists.clone())
    }

    /// `GetAllCompletionCodesForCampaign` of the job's campaign (`-32` when it has none).
    pub fn completion_codes(&mut self, caller: &Caller, job_id: i64) -> Result<Vec<String>, Fault> {
        let campaign_id = self.job_for(caller, job_id)?.campaign_id;
        let codes = self
            .campaigns
            .get(&campaign_id)
            .map(|c| c.completion_codes.clone())
            .unwrap_or_default();
        if codes.is_empty() {
            return Err(fault(-32, ""));
        }
        Ok(codes)
    }
}
