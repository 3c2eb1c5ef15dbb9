//! Which contact a job dials next: due retries first, then the next contact of its lists in
//! order, passing over contacts that are not callable, already finished, being dialled, on a DNC
//! list, without a phone number or outside their local calling window. On the first pass each
//! one passed over is counted and recorded (`contact_skip`).

use super::super::world::{CampaignRec, World};
use super::{preview, JobRun, JobStats};
use pom::zones;

/// The next thing a job can do.
#[derive(Debug, PartialEq, Eq)]
pub enum Pick {
    Contact {
        list: String,
        id: String,
        /// The attribute dialled (`phoneNumber1` or `phoneNumber2`) and its value.
        phone_attribute: &'static str,
        address: String,
        attempt: u32,
        /// Taken from the list walk (a retry otherwise).
        fresh: bool,
    },
    /// Nothing to dial before this time (retries pending).
    Wait(i64),
    /// Lists worked through and no retries left.
    Exhausted,
}

/// Why a contact is passed over, as in `contact_skip.reason`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SkipReason {
    NotCallable,
    FinishedEarlier,
    AttemptInProgress,
    NoPhone,
    Dnc,
    OutsideWindow,
    JobEndedFirst,
    AddedAfterStart,
}

impl SkipReason {
    pub fn name(self) -> &'static str {
        match self {
            SkipReason::NotCallable => "not_callable",
            SkipReason::FinishedEarlier => "finished_earlier",
            SkipReason::AttemptInProgress => "attempt_in_progress",
            SkipReason::NoPhone => "no_phone",
            SkipReason::Dnc => "dnc",
            SkipReason::OutsideWindow => "outside_window",
            SkipReason::JobEndedFirst => "job_ended_first",
            SkipReason::AddedAfterStart => "added_after_start",
        }
    }

    /// The job counter this reason adds to.
    pub fn counter(self, stats: &mut JobStats) -> &mut u64 {
        match self {
            SkipReason::NotCallable => &mut stats.skipped_uncallable,
            SkipReason::FinishedEarlier => &mut stats.skipped_finished,
            SkipReason::AttemptInProgress => &mut stats.skipped_in_progress,
            SkipReason::NoPhone => &mut stats.skipped_no_phone,
            SkipReason::Dnc => &mut stats.skipped_dnc,
            SkipReason::OutsideWindow => &mut stats.skipped_window,
            SkipReason::JobEndedFirst => &mut stats.skipped_not_reached,
            SkipReason::AddedAfterStart => &mut stats.skipped_added_after,
        }
    }
}

const PHONE_ATTRIBUTES: [&str; 2] = ["phoneNumber1", "phoneNumber2"];

impl World {
    /// The next contact `run` dials at `t`.
    pub(super) fn pick(
        &mut self,
        run: &mut JobRun,
        job_id: i64,
        campaign: &CampaignRec,
        t: i64,
    ) -> Pick {
        while let Some(position) = run.retries.iter().position(|r| r.due_ms <= t) {
            let retry = run.retries.remove(position);
            match self.why_not(campaign, &retry.list, &retry.contact, t, false) {
                Ok(Some((phone_attribute, address, attempt))) => {
                    return Pick::Contact {
                        list: retry.list,
                        id: retry.contact,
                        phone_attribute,
                        address,
                        attempt,
                        fresh: false,
                    }
                }
                _ => run.stats.retries_dropped += 1,
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
            let first_pass = run.stats.passes == 0;
            if first_pass {
                run.seen.insert((list_name.clone(), id.clone()));
            }
            match self.why_not(campaign, &list_name, &id, t, false) {
                Ok(Some((phone_attribute, address, attempt))) => {
                    return Pick::Contact {
                        list: list_name,
                        id,
                        phone_attribute,
                        address,
                        attempt,
                        fresh: true,
                    }
                }
                Ok(None) => {}
                Err(reason) if first_pass => {
                    *reason.counter(&mut run.stats) += 1;
                    let skip = self.skip_record(job_id, campaign, (&list_name, &id), reason, t);
                    self.dialer.queue(skip);
                }
                Err(_) => {}
            }
        }
        match run.retries.iter().map(|r| r.due_ms).min() {
            Some(due) => Pick::Wait(due),
            None => Pick::Exhausted,
        }
    }

    /// What dialling the contact at `t` would use (attribute, address, attempt number), or why
    /// it may not be dialled; `Ok(None)` when it is gone from its list. A callback's contact is
    /// dialled although an earlier call finished it.
    pub(super) fn why_not(
        &self,
        campaign: &CampaignRec,
        list_name: &str,
        id: &str,
        t: i64,
        callback: bool,
    ) -> Result<Option<(&'static str, String, u32)>, SkipReason> {
        let Some(list) = self.list_by_name(list_name) else {
            return Ok(None);
        };
        let Some(contact) = list.contacts.get(id) else {
            return Ok(None);
        };
        let progress = self.dialer.progress.get(list_name).and_then(|p| p.get(id));
        if !contact.callable {
            return Err(SkipReason::NotCallable);
        }
        if !callback && progress.is_some_and(|p| p.finished) {
            return Err(SkipReason::FinishedEarlier);
        }
        if contact.in_progress_until_ms.is_some_and(|u| u > t) {
            return Err(SkipReason::AttemptInProgress);
        }
        let (phone_attribute, address) = PHONE_ATTRIBUTES
            .iter()
            .find_map(|a| {
                let value = contact.attributes.get(*a).filter(|v| !v.is_empty())?;
                Some((*a, value.clone()))
            })
            .ok_or(SkipReason::NoPhone)?;
        if self.suppressed(&list.organization, &address) {
            return Err(SkipReason::Dnc);
        }
        let rules = &campaign.dialing;
        let offset = contact
            .attributes
            .get("phoneNumber1TimeZone")
            .and_then(|z| zones::offset_minutes(z))
            .or_else(|| zones::offset_minutes(&rules.default_time_zone))
            .unwrap_or(0);
        // A previewed call is placed up to the longest preview later: it must still be inside
        // the window then, so nobody is called outside their hours.
        let previewed = callback || campaign.kind == "preview";
        let latest = t + if previewed { preview::LONGEST_MS } else { 0 };
        let inside = |at: i64| {
            let minute = zones::local_minute_of_day(at, offset);
            (rules.window_start_minute..rules.window_end_minute).contains(&minute)
        };
        if !inside(t) || !inside(latest) {
            return Err(SkipReason::OutsideWindow);
        }
        let attempt = progress.map_or(0, |p| p.attempts) + 1;
        Ok(Some((phone_attribute, address, attempt)))
    }
}
