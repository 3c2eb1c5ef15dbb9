//! The records one placed call leaves in the feed: its attempt, and after an agent's code a
//! callback (`CALLBACK`), a kill-list entry (`DNCREQ`) or the sales-screen record (`SALE`).

use rand::Rng;

use super::super::feed::{iso, Attempt, Callback, DialerKill, FeedRecord, Sale};
use super::super::world::World;
use super::callbacks::{Detail, OpenCallback};
use super::calls::{rng_for, CallPlan};
use super::launch::{Dial, Outcome};

/// What agents write in a callback's notes.
const NOTES: [&str; 4] = [
    "Customer asked to be called back",
    "Call back after payday",
    "Wants to discuss with partner first",
    "Busy at work, prefers the evening",
];

/// Products: (name, lowest and highest amount in pence).
type Catalogue = &'static [(&'static str, u32, u32)];

/// What each organization's agents sell.
const PRODUCTS: [(&str, Catalogue); 2] = [
    (
        "Sales",
        &[
            ("Fibre 500", 2_500, 6_000),
            ("Mobile SIM-only", 1_000, 3_000),
            ("TV Bundle", 4_000, 9_000),
            ("Home Insurance", 12_000, 40_000),
        ],
    ),
    (
        "Collections",
        &[
            ("Payment Arrangement", 5_000, 150_000),
            ("Settlement in Full", 20_000, 500_000),
        ],
    ),
];
const OTHER_PRODUCTS: Catalogue = &[("Standard Offer", 1_000, 10_000)];

impl World {
    /// The attempt and what the agent's code asks for, each with the time it is published.
    /// A `CALLBACK` code arranges the callback, which the engine then follows.
    pub(super) fn call_records(
        &mut self,
        dial: &Dial<'_>,
        plan: &CallPlan,
        outcome: &Outcome,
        t: i64,
    ) -> Vec<(i64, FeedRecord)> {
        let organization = dial.campaign.organization.clone();
        let done_at = outcome.end + outcome.wrap_ms;
        let mut records = vec![(
            outcome.end,
            FeedRecord::Attempt(Box::new(attempt(dial, plan, outcome, t))),
        )];
        let (Some(code), Some(agent_id)) = (&outcome.agent_code, &outcome.agent_id) else {
            return records;
        };
        if let Some((kind, due_after)) = plan.callback {
            let callback = self.arrange_callback(dial, (kind, due_after), agent_id, done_at);
            records.push((done_at, FeedRecord::Callback(Box::new(callback))));
        }
        match code.as_str() {
            "DNCREQ" => {
                let dnc_list = self
                    .dnc_lists
                    .values()
                    .find(|d| d.organization.as_deref() == Some(organization.as_str()))
                    .map(|d| d.name.clone())
                    .unwrap_or_else(|| organization.clone());
                records.push((
                    done_at,
                    FeedRecord::DialerKill(DialerKill {
                        session_id: dial.session_id.clone(),
                        organization,
                        dnc_list,
                        address: dial.address.clone(),
                        job_id: dial.job.job_id,
                        campaign: dial.campaign.name.clone(),
                        user_contact_id: dial.id.clone(),
                        added_at: iso(done_at),
                    }),
                ));
            }
            "SALE" => {
                let team = outcome.team.clone().unwrap_or_default();
                let sale = self.sale(dial, (agent_id, &team), done_at);
                records.push((done_at, FeedRecord::Sale(sale)));
            }
            _ => {}
        }
        records
    }

    /// Registers the callback the agent arranged at `at` (the end of wrap-up) and queues its
    /// `created` event.
    fn arrange_callback(
        &mut self,
        dial: &Dial<'_>,
        (kind, due_after): (&str, i64),
        agent_id: &str,
        at: i64,
    ) -> Callback {
        let id = format!("CB-{}", dial.session_id);
        let due_ms = at + due_after;
        let expires_ms = due_ms + dial.campaign.dialing.callback_expiry_minutes * 60_000;
        let owner = (kind == "agent_owned").then(|| agent_id.to_string());
        self.dialer.callbacks.insert(
            id.clone(),
            OpenCallback {
                campaign_id: dial.campaign.id,
                organization: dial.campaign.organization.clone(),
                campaign: dial.campaign.name.clone(),
                list: dial.list.clone(),
                contact: dial.id.clone(),
                kind: kind.to_string(),
                owner: owner.clone(),
                due_ms,
                expires_ms,
                offered: false,
                address: None,
            },
        );
        let detail = Detail {
            job_id: Some(dial.job.job_id),
            agent_id: Some(agent_id.to_string()),
            due_ms: Some(due_ms),
            ..Detail::default()
        };
        self.callback_event(&id, "created", at, detail);
        Callback {
            callback_id: id,
            session_id: Some(dial.session_id.clone()),
            organization: dial.campaign.organization.clone(),
            job_id: dial.job.job_id,
            campaign: dial.campaign.name.clone(),
            list: dial.list.clone(),
            user_contact_id: dial.id.clone(),
            address: dial.address.clone(),
            callback_type: kind.to_string(),
            agent_id: owner,
            created_at: iso(at),
            due_at: iso(due_ms),
            expires_at: iso(expires_ms),
            time_zone: dial.contact.get("phoneNumber1TimeZone").cloned(),
            notes: NOTES[dial.attempt as usize % NOTES.len()].to_string(),
        }
    }

    /// The sales-screen record the agent submits at the end of wrap-up: a product of the
    /// organization's catalogue, secured (paid on the call) about two times in three.
    fn sale(&self, dial: &Dial<'_>, (agent_id, team): (&str, &str), at: i64) -> Sale {
        let seed = self.dialer.config.seed.to_le_bytes();
        let mut rng = rng_for(&[&seed, b"sale", dial.session_id.as_bytes()]);
        let catalogue = PRODUCTS
            .iter()
            .find(|(org, _)| *org == dial.campaign.organization)
            .map_or(OTHER_PRODUCTS, |(_, products)| *products);
        let (product, low, high) = catalogue[rng.gen_range(0..catalogue.len())];
        let pence = rng.gen_range(low..=high);
        Sale {
            sale_id: format!("SALE-{}", dial.session_id),
            session_id: dial.session_id.clone(),
            organization: dial.campaign.organization.clone(),
            job_id: dial.job.job_id,
            campaign: dial.campaign.name.clone(),
            list: dial.list.clone(),
            user_contact_id: dial.id.clone(),
            agent_id: agent_id.to_string(),
            team: team.to_string(),
            product: product.to_string(),
            category: if rng.gen_range(0..3) < 2 {
                "secured"
            } else {
                "unsecured"
            }
            .to_string(),
            amount: format!("{}.{:02}", pence / 100, pence % 100),
            currency: "GBP".to_string(),
            submitted_at: iso(at),
        }
    }
}

fn attempt(dial: &Dial<'_>, plan: &CallPlan, outcome: &Outcome, t: i64) -> Attempt {
    let (nuisance_reason, aux_reason) = match outcome.nuisance {
        Some((reason, aux)) => (Some(reason.to_string()), aux.map(str::to_string)),
        None => (None, None),
    };
    Attempt {
        session_id: dial.session_id.clone(),
        organization: dial.campaign.organization.clone(),
        job_id: dial.job.job_id,
        campaign: dial.campaign.name.clone(),
        campaign_type: dial.campaign.kind.clone(),
        list: dial.list.clone(),
        user_contact_id: dial.id.clone(),
        address: dial.address.clone(),
        phone_attribute: dial.phone_attribute.to_string(),
        zone: dial.zone.clone(),
        attempt_number: dial.attempt,
        attempt_at: iso(t),
        ringback_at: plan.ringback_at.map(iso),
        answered_at: plan.answered_at.map(iso),
        connect_at: outcome.connect_at.map(iso),
        end_at: iso(outcome.end),
        result: plan.result.to_string(),
        completion_code: outcome.code().to_string(),
        sys_completion_code: outcome.sys_code.clone(),
        agent_completion_code: outcome.agent_code.clone(),
        agent_id: outcome.agent_id.clone(),
        team: outcome.team.clone(),
        talk_seconds: outcome.talk_ms / 1000,
        wrap_up_seconds: outcome.wrap_ms / 1000,
        nuisance: outcome.nuisance.is_some(),
        nuisance_reason,
        aux_reason,
        callback_id: dial.callback_id.clone(),
        contact: dial.contact.clone(),
    }
}
