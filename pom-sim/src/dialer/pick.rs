//! Which contact a job dials next: due retries first, then the next contact of its lists in
//! order, skipping (and counting) contacts that are not callable, already finished, being dialled,
//! on a DNC list, without a phone number or outside their local calling window.

use super::super::world::{CampaignRec, World};
use super::JobRun;
use pom::zones;

/// The next thing a job can do.
#[derive(Debug, PartialEq, Eq)]
pub enum Pick {
    Contact {
        list: String,
        id: String,
        address: String,
        attempt: u32,
    },
    /// Nothing to dial before this time (retries pending).
    Wait(i64),
    /// Lists worked through and no retries left.
    Exhausted,
}

impl World {
    /// The next contact `run` dials at `t`.
    pub(super) fn pick(&mut self, run: &mut JobRun, campaign: &CampaignRec, t: i64) -> Pick {
        while let Some(position) = run.retries.iter().position(|r| r.due_ms <= t) {
            let retry = run.retries.remove(position);
            match self.eligible(run, campaign, &retry.list, &retry.contact, t, false) {
                Some(pick) => return pick,
                None => run.stats.retries_dropped += 1,
            }
        }
        while let Some(list_name) = campaign.lists.get(run.list_index) {
            let from = match &run.cursor {
                Some(after) => std::ops::Bound::Excluded(after.clone()),
                None => std::ops::Bound::Unbounded,
            };
            let next = self.list_by_name(list_name).and_then(|list| {
                list.contacts
                    .range((from, std::ops::Bound::Unbounded))
                    .next()
                    .map(|(id, _)| id.clone())
            });
            let Some(id) = next else {
                run.list_index += 1;
                run.cursor = None;
                continue;
            };
            run.cursor = Some(id.clone());
            let list_name = list_name.clone();
            if let Some(pick) = self.eligible(run, campaign, &list_name, &id, t, true) {
                return pick;
            }
        }
        match run.retries.iter().map(|r| r.due_ms).min() {
            Some(due) => Pick::Wait(due),
            None => Pick::Exhausted,
        }
    }

    /// The contact as a pick when it may be dialled at `t`; otherwise counts why not (for fresh
    /// contacts on the first pass, so the counts add up to the list).
    fn eligible(
        &mut self,
        run: &mut JobRun,
        campaign: &CampaignRec,
        list_name: &str,
        id: &str,
        t: i64,
        fresh: bool,
    ) -> Option<Pick> {
        let list = self.list_by_name(list_name)?;
        let contact = list.contacts.get(id)?;
        let progress = self.dialer.progress.get(list_name).and_then(|p| p.get(id));
        let counted = fresh && run.stats.passes == 0;
        let stats = &mut run.stats;
        let skip = |counter: &mut u64| {
            if counted {
                *counter += 1;
            }
            None
        };
        if !contact.callable {
            return skip(&mut stats.skipped_uncallable);
        }
        if progress.is_some_and(|p| p.finished) {
            return skip(&mut stats.skipped_finished);
        }
        if contact.in_progress_until_ms.is_some_and(|u| u > t) {
            return skip(&mut stats.skipped_in_progress);
        }
        let Some(address) = ["phoneNumber1", "phoneNumber2"]
            .iter()
            .find_map(|a| contact.attributes.get(*a).filter(|v| !v.is_empty()))
            .cloned()
        else {
            return skip(&mut stats.skipped_no_phone);
        };
        if self.suppressed(&list.organization, &address) {
            return skip(&mut stats.skipped_dnc);
        }
        let rules = &campaign.dialing;
        let offset = contact
            .attributes
            .get("phoneNumber1TimeZone")
            .and_then(|z| zones::offset_minutes(z))
            .or_else(|| zones::offset_minutes(&rules.default_time_zone))
            .unwrap_or(0);
        let minute = zones::local_minute_of_day(t, offset);
        if minute < rules.window_start_minute || minute >= rules.window_end_minute {
            return skip(&mut stats.skipped_window);
        }
        Some(Pick::Contact {
            list: list_name.to_string(),
            id: id.to_string(),
            address,
            attempt: progress.map_or(0, |p| p.attempts) + 1,
        })
    }
}
