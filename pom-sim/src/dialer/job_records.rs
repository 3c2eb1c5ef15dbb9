//! What the feed says about a job rather than a call: its state changes (`job_event`, with the
//! list sizes at its start and its counters at its end) and the contacts it passed over
//! (`contact_skip`), including, when it ends, those its first pass never reached.

use super::super::feed::{iso, ContactSkip, FeedRecord, JobEvent, ListSize};
use super::super::world::{CampaignRec, World};
use super::pick::SkipReason;

/// Why a job finished, as in `job_event.finish_reason`.
pub const FINISHED_LISTS_DONE: &str = "lists_done";
pub const FINISHED_USER_STOP: &str = "user_stop";

impl World {
    /// A `contact_skip` record for one contact of `campaign`'s job at `t`.
    pub(super) fn skip_record(
        &self,
        job_id: i64,
        campaign: &CampaignRec,
        (list, id): (&str, &str),
        reason: SkipReason,
        t: i64,
    ) -> Option<(i64, FeedRecord)> {
        let contact = self.list_by_name(list)?.contacts.get(id)?;
        Some((
            t,
            FeedRecord::ContactSkip(ContactSkip {
                job_id,
                organization: campaign.organization.clone(),
                campaign: campaign.name.clone(),
                list: list.to_string(),
                user_contact_id: id.to_string(),
                reason: reason.name().to_string(),
                at: iso(t),
                contact: contact.attributes.clone(),
            }),
        ))
    }

    /// Records a change of `job_id`'s state at `at` (`event`: `queued`, `started`, `paused`,
    /// `resumed`, `stopping`, `stopped` or `completed`). A finished job first records the
    /// contacts of its lists that its first pass never reached.
    pub(crate) fn record_job_event(&mut self, job_id: i64, event: &str, at: i64) {
        let Some(job) = self.jobs.get(&job_id) else {
            return;
        };
        let state = job.state.clone();
        let Some(campaign) = self.campaigns.get(&job.campaign_id).cloned() else {
            return;
        };
        let finish_reason = match event {
            "completed" => Some(FINISHED_LISTS_DONE),
            "stopped" => Some(FINISHED_USER_STOP),
            _ => None,
        };
        if finish_reason.is_some() {
            self.record_unreached(job_id, &campaign, at);
        }
        let list_sizes = if event == "started" {
            campaign
                .lists
                .iter()
                .map(|list| ListSize {
                    list: list.clone(),
                    contacts: self
                        .list_by_name(list)
                        .map_or(0, |l| l.contacts.len() as u64),
                })
                .collect()
        } else {
            Vec::new()
        };
        let counters = finish_reason.map(|_| {
            self.dialer
                .runs
                .get(&job_id)
                .map(|run| run.stats.clone())
                .unwrap_or_default()
        });
        let record = FeedRecord::JobEvent(JobEvent {
            job_id,
            organization: campaign.organization.clone(),
            campaign: campaign.name.clone(),
            campaign_type: campaign.kind.clone(),
            event: event.to_string(),
            state,
            at: iso(at),
            finish_reason: finish_reason.map(str::to_string),
            list_sizes,
            counters,
        });
        self.dialer.queue([(at, record)]);
        if finish_reason.is_some() {
            self.log_out_if_idle(&campaign.organization, at);
        }
    }

    /// The contacts in the job's lists at `at` that its first pass never looked at: added after
    /// the job started, or not reached before it ended. Counted and recorded once.
    fn record_unreached(&mut self, job_id: i64, campaign: &CampaignRec, at: i64) {
        let Some(mut run) = self.dialer.runs.remove(&job_id) else {
            return;
        };
        let mut records = Vec::new();
        for list_name in &campaign.lists {
            let Some(list) = self.list_by_name(list_name) else {
                continue;
            };
            for (id, contact) in &list.contacts {
                let key = (list_name.clone(), id.clone());
                if run.seen.contains(&key) {
                    continue;
                }
                let reason = if contact.created_ms > run.started_ms {
                    SkipReason::AddedAfterStart
                } else {
                    SkipReason::JobEndedFirst
                };
                *reason.counter(&mut run.stats) += 1;
                records.extend(self.skip_record(job_id, campaign, (list_name, id), reason, at));
                run.seen.insert(key);
            }
        }
        self.dialer.runs.insert(job_id, run);
        self.dialer.queue(records);
    }
}
