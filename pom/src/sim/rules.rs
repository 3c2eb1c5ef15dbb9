//! How the simulated POM behaves: organization scoping, job states, DNC rules, deletes of contacts
//! being dialled, asynchronous list emptying, scheduling — with POM's own return codes and message
//! texts (seed 004 digest §2.3 and §5).

use std::time::Instant;

use super::world::{JobRec, World};

/// Job states (only ACTIVE and COMPLETED are confirmed names; docs/pom.md).
pub const JOB_STATES: [&str; 6] = [
    "JOB_QUEUED",
    "JOB_ACTIVE",
    "JOB_PAUSED",
    "JOB_STOPPING",
    "JOB_STOPPED",
    "JOB_COMPLETED",
];
/// Sim milliseconds a queued job waits before it becomes active.
pub const QUEUE_DELAY_MS: i64 = 1_500;
/// Sim milliseconds a stopping job takes to stop.
pub const STOP_DELAY_MS: i64 = 1_500;
/// Contacts deleted per sim second while a list is being emptied.
pub const EMPTY_RATE_PER_SEC: i64 = 5_000;

/// A POM refusal: the SOAP return code and message text (REST maps it to a status).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fault {
    pub code: i32,
    pub message: String,
}

/// The fault with POM's documented text for `code`; `suffix` is appended where POM appends a value.
pub fn fault(code: i32, suffix: &str) -> Fault {
    let text = match code {
        -1 => "Job record not found.",
        -2 => "Contact record not found.",
        -9 => "Address already there in DNC list.",
        -12 => "Data Source record not found.",
        -14 => "Contact list not found.",
        -17 => "Cannot remove address - not in the DNC list.",
        -18 => "Address cannot be null.",
        -19 => "Invalid address for DNC ",
        -21 => "Access denied.",
        -26 => "Campaign record not found.",
        -28 => "Access Denied - Not a valid contact list for your organization.",
        -30 => "Access Denied - Not a valid campaign for your organization.",
        -32 => "No custom completion codes defined for this campaign.",
        -33 => "Cannot delete contact. It is being used.",
        -40 => "DNC list not found.",
        -51 => "Infinite campaign job already running.",
        -53 => "Invalid input for job state.",
        -55 => "Job state is not active.",
        -56 => "Job state is not paused.",
        -57 => "Job state is not in paused or active state.",
        -59 => "Failed to add schedule.",
        -60 => "Access Denied - Not a valid data import for your organization.",
        -61 => "Failed to empty contact list",
        -68 => "Infinite campaign without associated contact list.",
        _ => "Request failed.",
    };
    Fault {
        code,
        message: format!("{text}{suffix}"),
    }
}

/// Who is calling: a global user (no organization) or an organization user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    pub user: String,
    pub organization: Option<String>,
}

impl Caller {
    /// Whether the caller may see records of `organization`.
    pub fn sees(&self, organization: &str) -> bool {
        self.organization
            .as_deref()
            .is_none_or(|own| own == organization)
    }
}

/// Simulated time: real time since a base instant, multiplied by a speed-up factor.
#[derive(Debug, Clone, Copy)]
pub struct SimClock {
    base_real: Instant,
    base_sim_ms: i64,
    speed: f64,
}

impl SimClock {
    /// A clock starting at `start_ms` (Unix milliseconds) at normal speed.
    pub fn starting_at(start_ms: i64) -> Self {
        SimClock {
            base_real: Instant::now(),
            base_sim_ms: start_ms,
            speed: 1.0,
        }
    }

    /// Simulated Unix milliseconds now.
    pub fn now_ms(&self) -> i64 {
        self.base_sim_ms + (self.base_real.elapsed().as_secs_f64() * 1000.0 * self.speed) as i64
    }

    /// Changes the speed without a jump in time.
    pub fn set_speed(&mut self, speed: f64) {
        self.base_sim_ms = self.now_ms();
        self.base_real = Instant::now();
        self.speed = speed.clamp(0.01, 100_000.0);
    }

    /// Jumps simulated time forward.
    pub fn advance(&mut self, ms: i64) {
        self.base_sim_ms += ms.max(0);
    }

    /// The current speed-up factor.
    pub fn speed(&self) -> f64 {
        self.speed
    }
}

/// Parses `yyyy/MM/dd HH:mm:ss` (POM's schedule format) into Unix milliseconds, reading the wall
/// time as UTC (the simulator treats time-zone names as opaque labels).
pub fn parse_schedule_time(value: &str) -> Option<i64> {
    let format = time::macros::format_description!("[year]/[month]/[day] [hour]:[minute]:[second]");
    let parsed = time::PrimitiveDateTime::parse(value.trim(), format).ok()?;
    Some((parsed.assume_utc().unix_timestamp_nanos() / 1_000_000) as i64)
}

/// A phone number (optional `+`, 6–15 digits), an e-mail address or a SIP address.
pub fn valid_dnc_address(address: &str) -> bool {
    let phone = address.strip_prefix('+').unwrap_or(address);
    let is_phone = (6..=15).contains(&phone.len()) && phone.bytes().all(|b| b.is_ascii_digit());
    let is_email = address.split_once('@').is_some_and(|(user, domain)| {
        !user.is_empty() && domain.contains('.') && !domain.ends_with('.')
    });
    is_phone || is_email || address.starts_with("sip:")
}

impl World {
    /// Moves time-driven state forward: queued jobs start, stopping jobs stop, lists empty.
    pub fn advance(&mut self, now_ms: i64) {
        for job in self.jobs.values_mut() {
            match (job.state.as_str(), job.transition_at_ms) {
                ("JOB_QUEUED", Some(at)) if now_ms >= at => {
                    job.state = "JOB_ACTIVE".into();
                    job.transition_at_ms = None;
                }
                ("JOB_STOPPING", Some(at)) if now_ms >= at => {
                    job.state = "JOB_STOPPED".into();
                    job.transition_at_ms = None;
                }
                _ => {}
            }
        }
        for list in self.lists.values_mut() {
            let Some(task) = list.emptying.as_mut() else {
                continue;
            };
            let budget = ((now_ms - task.last_step_ms).max(0) * EMPTY_RATE_PER_SEC / 1000) as usize;
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
        for job in self.import_jobs.values_mut() {
            if job.state == "QUEUED" && now_ms >= job.start_ms {
                // No file has been delivered to the data source's folder (the SFTP drop comes with
                // the simulator's second part), so the run ends the way POM ends it: in ERROR.
                job.state = "ERROR".into();
                job.error = Some("The data source file was not found.".into());
            }
        }
    }

    fn campaign_for(&self, caller: &Caller, name: &str) -> Result<i64, Fault> {
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
        let id = self.new_id();
        self.jobs.insert(
            id,
            JobRec {
                id,
                campaign_id,
                state: "JOB_QUEUED".into(),
                transition_at_ms: Some(now_ms + QUEUE_DELAY_MS),
            },
        );
        Ok(id)
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
        match (action, job.state.as_str()) {
            ("pause", "JOB_ACTIVE") => job.state = "JOB_PAUSED".into(),
            ("pause", _) => return Err(fault(-55, "")),
            ("resume", "JOB_PAUSED") => job.state = "JOB_ACTIVE".into(),
            ("resume", _) => return Err(fault(-56, "")),
            ("stop", "JOB_ACTIVE" | "JOB_PAUSED") => {
                job.state = "JOB_STOPPING".into();
                job.transition_at_ms = Some(now_ms + STOP_DELAY_MS);
            }
            _ => return Err(fault(-57, "")),
        }
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
        let at = parse_schedule_time(start).ok_or_else(|| fault(-59, ""))?;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schedule_times_use_pom_format() {
        assert_eq!(parse_schedule_time("1970/01/01 00:00:01"), Some(1000));
        assert_eq!(parse_schedule_time("1970-01-01 00:00:01"), None);
    }

    #[test]
    fn dnc_addresses_are_phones_emails_or_sip() {
        for good in [
            "+441632960001",
            "07700900123",
            "jo@example.com",
            "sip:jo@example.com",
        ] {
            assert!(valid_dnc_address(good), "{good}");
        }
        for bad in ["", "12", "phone", "jo@", "+44 1632"] {
            assert!(!valid_dnc_address(bad), "{bad}");
        }
    }

    #[test]
    fn org_users_see_only_their_organization() {
        let org_user = Caller {
            user: "u".into(),
            organization: Some("Sales".into()),
        };
        assert!(org_user.sees("Sales") && !org_user.sees("Collections"));
        assert!(Caller {
            user: "g".into(),
            organization: None
        }
        .sees("Collections"));
    }
}
