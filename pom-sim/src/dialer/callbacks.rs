//! Callbacks from arrangement to their end (seed 004, "Callbacks"): a due callback is offered
//! to an agent as a preview by any active job of its campaign — an agent-owned one to its owner
//! when the owner is ready, to anyone after [`HANDOVER_AFTER_MS`] — and is dialled, cancelled
//! with a code or rescheduled; a call nobody answers reschedules it; past its expiry it expires.
//! Every step is a `callback_event`.

use rand::Rng;
use serde::{Deserialize, Serialize};

use super::super::feed::{iso, CallbackEvent, FeedRecord};
use super::super::world::{CampaignRec, World};
use super::calls::rng_for;
use super::launch::Outcome;
use super::pick::SkipReason;

/// How long an agent-owned callback waits for its owner before another agent takes it.
pub const HANDOVER_AFTER_MS: i64 = 5 * 60_000;

/// A callback not yet ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenCallback {
    pub campaign_id: i64,
    pub organization: String,
    pub campaign: String,
    pub list: String,
    pub contact: String,
    /// `standard`, `agent_owned` or `campaign`.
    pub kind: String,
    pub owner: Option<String>,
    pub due_ms: i64,
    pub expires_ms: i64,
    /// Offered to an agent and not yet settled: not offered again meanwhile.
    pub offered: bool,
    /// The number to dial instead of the contact's (`ScheduleCallBack`'s `Address`).
    #[serde(default)]
    pub address: Option<String>,
}

/// A due callback given to an agent.
pub struct Offer {
    pub id: String,
    pub list: String,
    pub contact: String,
    pub phone_attribute: &'static str,
    pub address: String,
    pub attempt: u32,
    pub agent: usize,
    pub handed_over: bool,
}

/// What a callback event says besides its name and time.
#[derive(Default)]
pub struct Detail {
    pub job_id: Option<i64>,
    pub agent_id: Option<String>,
    pub handed_over: bool,
    pub session_id: Option<String>,
    pub code: Option<String>,
    pub due_ms: Option<i64>,
}

impl World {
    /// Queues one event of callback `id`.
    pub(super) fn callback_event(&mut self, id: &str, event: &str, at: i64, detail: Detail) {
        let Some(open) = self.dialer.callbacks.get(id) else {
            return;
        };
        let record = FeedRecord::CallbackEvent(CallbackEvent {
            callback_id: id.to_string(),
            organization: open.organization.clone(),
            campaign: open.campaign.clone(),
            job_id: detail.job_id,
            list: open.list.clone(),
            user_contact_id: open.contact.clone(),
            event: event.to_string(),
            at: iso(at),
            agent_id: detail.agent_id,
            handed_over: detail.handed_over,
            session_id: detail.session_id,
            code: detail.code,
            due_at: detail.due_ms.map(iso),
        });
        self.dialer.queue([(at, record)]);
    }

    /// The first due callback of `campaign` that job `job_id` can give an agent at `t`, marked
    /// offered with its `pending` event. Callbacks whose contact is gone, not callable or on a
    /// DNC list are cancelled on the way.
    pub(super) fn offer_callback(
        &mut self,
        job_id: i64,
        campaign: &CampaignRec,
        t: i64,
    ) -> Option<Offer> {
        let mut due: Vec<(i64, String)> = self
            .dialer
            .callbacks
            .iter()
            .filter(|(_, c)| c.campaign_id == campaign.id && !c.offered && c.due_ms <= t)
            .map(|(id, c)| (c.due_ms, id.clone()))
            .collect();
        due.sort();
        for (due_ms, id) in due {
            let open = self.dialer.callbacks[&id].clone();
            let (phone_attribute, contact_address, attempt) =
                match self.why_not(campaign, &open.list, &open.contact, t, true) {
                    Ok(Some(found)) => found,
                    Ok(None) => {
                        self.end_callback(&id, "cancelled", t, job_id, "Contact_Deleted");
                        continue;
                    }
                    Err(reason @ (SkipReason::NotCallable | SkipReason::Dnc)) => {
                        let code = if reason == SkipReason::Dnc {
                            "DNC"
                        } else {
                            "Not_Callable"
                        };
                        self.end_callback(&id, "cancelled", t, job_id, code);
                        continue;
                    }
                    Err(_) => continue,
                };
            // A number given in place of the contact's is checked against the DNC lists too.
            if open
                .address
                .as_ref()
                .is_some_and(|a| self.suppressed(&open.organization, a))
            {
                self.end_callback(&id, "cancelled", t, job_id, "DNC");
                continue;
            }
            let pool = self.dialer.pools.get(&campaign.organization)?;
            let owner = open
                .owner
                .as_ref()
                .and_then(|owner| pool.agents.iter().position(|a| &a.id == owner))
                .filter(|i| {
                    let a = &pool.agents[*i];
                    a.login_ms.is_some() && a.free_at_ms <= t
                });
            let waits_for_owner = open.kind == "agent_owned" && t < due_ms + HANDOVER_AFTER_MS;
            let agent = match owner {
                Some(index) => index,
                None if waits_for_owner => continue,
                None => match pool.free_agent(t, false, Some(job_id)) {
                    Some(index) => index,
                    None => continue,
                },
            };
            let handed_over = open.owner.is_some() && owner.is_none();
            let agent_id = pool.agents[agent].id.clone();
            if let Some(c) = self.dialer.callbacks.get_mut(&id) {
                c.offered = true;
            }
            let detail = Detail {
                job_id: Some(job_id),
                agent_id: Some(agent_id),
                handed_over,
                ..Detail::default()
            };
            self.callback_event(&id, "pending", t, detail);
            let address = open.address.unwrap_or(contact_address);
            return Some(Offer {
                id,
                list: open.list,
                contact: open.contact,
                phone_attribute,
                address,
                attempt,
                agent,
                handed_over,
            });
        }
        None
    }

    /// Ends callback `id` with `event` (`cancelled` or `completed`) and `code`.
    pub(super) fn end_callback(&mut self, id: &str, event: &str, at: i64, job: i64, code: &str) {
        let detail = Detail {
            job_id: Some(job),
            code: Some(code.to_string()),
            ..Detail::default()
        };
        self.callback_event(id, event, at, detail);
        self.dialer.callbacks.remove(id);
    }

    /// After the callback's call: completed when an agent spoke to the customer, otherwise
    /// due again after the campaign's retry delay, or expired when that is past its expiry.
    pub(super) fn callback_called(&mut self, id: &str, job: i64, outcome: &Outcome, session: &str) {
        let done_at = outcome.end + outcome.wrap_ms;
        if let Some(code) = &outcome.agent_code {
            let detail = Detail {
                job_id: Some(job),
                agent_id: outcome.agent_id.clone(),
                session_id: Some(session.to_string()),
                code: Some(code.clone()),
                ..Detail::default()
            };
            self.callback_event(id, "completed", done_at, detail);
            self.dialer.callbacks.remove(id);
            return;
        }
        let Some(open) = self.dialer.callbacks.get(id) else {
            return;
        };
        let retry_ms = self
            .campaigns
            .get(&open.campaign_id)
            .map_or(900_000, |c| c.dialing.retry_after_secs * 1000);
        let due_ms = outcome.end + retry_ms;
        if due_ms > open.expires_ms {
            // No time left to try again: it expires, at the earliest when this call ended.
            let at = outcome.end.max(open.expires_ms);
            self.expire_callback(id, at);
            return;
        }
        self.reschedule(id, job, outcome.end, due_ms);
    }

    /// Callback `id` is due again at `due_ms`, from `at`.
    pub(super) fn reschedule(&mut self, id: &str, job: i64, at: i64, due_ms: i64) {
        if let Some(c) = self.dialer.callbacks.get_mut(id) {
            (c.offered, c.due_ms) = (false, due_ms);
        }
        let detail = Detail {
            job_id: Some(job),
            due_ms: Some(due_ms),
            ..Detail::default()
        };
        self.callback_event(id, "rescheduled", at, detail);
    }

    /// An agent who reschedules instead of dialling picks a time one to four hours later.
    pub(super) fn agent_reschedules(&self, id: &str) -> Option<i64> {
        let seed = self.dialer.config.seed.to_le_bytes();
        let due = self.dialer.callbacks.get(id)?.due_ms;
        let mut rng = rng_for(&[&seed, b"callback", id.as_bytes(), &due.to_le_bytes()]);
        (rng.gen_range(0..100) < 5).then(|| rng.gen_range(4..=16) * 15 * 60_000)
    }

    /// The earliest expiry of a callback not on offer, for the event loop.
    pub(super) fn next_expiry(&self) -> Option<(i64, String)> {
        self.dialer
            .callbacks
            .iter()
            .filter(|(_, c)| !c.offered)
            .map(|(id, c)| (c.expires_ms, id.clone()))
            .min()
    }

    /// Callback `id` reached its expiry without being fulfilled.
    pub(super) fn expire_callback(&mut self, id: &str, at: i64) {
        self.callback_event(id, "expired", at, Detail::default());
        self.dialer.callbacks.remove(id);
    }
}
