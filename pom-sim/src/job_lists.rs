//! `AddContactListToJob` (Agent API, seed 004): a contact list added to a campaign's running job.
//! The simulator keeps lists per campaign, not per job, so the list joins the campaign's lists
//! and the running job dials it from its next pick; POM's faults as the guide lists them.

use crate::list_rules::ListRef;
use crate::rules::{fault, Caller, Fault};
use crate::world::World;

/// Job states in which a list may be added ("running": active or paused).
const RUNNING: [&str; 2] = ["JOB_ACTIVE", "JOB_PAUSED"];

impl World {
    /// Adds `list` to `campaign`'s running job: `-26`/`-30` campaign unknown or another
    /// organization's, `-27` no running job, `-14`/`-28` list unknown or not the campaign's
    /// organization's, `-35` already there.
    pub fn add_list_to_job(
        &mut self,
        caller: &Caller,
        campaign: &str,
        list: &str,
    ) -> Result<(), Fault> {
        let campaign_id = self.campaign_for(caller, campaign)?;
        let running = self
            .jobs
            .values()
            .any(|j| j.campaign_id == campaign_id && RUNNING.contains(&j.state.as_str()));
        if !running {
            return Err(fault(-27, &format!(" {campaign}")));
        }
        let organization = self.campaigns[&campaign_id].organization.clone();
        let found = self.list_for(caller, ListRef::Name(list))?;
        if found.organization != organization {
            return Err(fault(-28, ""));
        }
        let name = found.name.clone();
        let lists = &mut self
            .campaigns
            .get_mut(&campaign_id)
            .ok_or_else(|| fault(-26, ""))?
            .lists;
        if lists.contains(&name) {
            return Err(fault(-35, ""));
        }
        lists.push(name);
        Ok(())
    }
}
