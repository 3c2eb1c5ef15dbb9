//! Inbound calls for an organization's blended agents while it has an active job: answered by
//! a free blended agent (an `inbound_call` record and its talking and wrap-up intervals) or
//! abandoned after a wait. About a third of the callers are the organization's own contacts.

use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::super::feed::{iso, FeedRecord, InboundAbandon, InboundCall};
use super::super::world::World;
use super::agents;
use super::calls::rng_for;

impl World {
    /// An inbound call for blended agents at `t`: answered by a free one, or abandoned.
    pub(super) fn inbound(&mut self, organization: &str, t: i64) {
        let active = self.organization_active(organization);
        let seed = self.dialer.config.seed.to_le_bytes();
        let Some(pool) = self.dialer.pools.get_mut(organization) else {
            return;
        };
        if !active {
            pool.next_inbound_ms = None;
            return;
        }
        pool.inbound_count += 1;
        let count = pool.inbound_count;
        let call_id = format!("IN-{organization}-{count}");
        let mut rng = rng_for(&[&seed, b"inbound", call_id.as_bytes()]);
        let caller = self.caller(organization, &mut rng);
        let queue = format!("{organization} Inbound");
        let Some(pool) = self.dialer.pools.get_mut(organization) else {
            return;
        };
        pool.next_inbound_ms = Some(t + rng.gen_range(30_000..300_000));
        let records = match pool.free_agent(t, true, None) {
            Some(index) => {
                let talk_end = t + rng.gen_range(60_000..300_000);
                let wrap_end = talk_end + rng.gen_range(10_000..30_000);
                let mut records = pool.work(
                    index,
                    &agents::Work {
                        organization,
                        session_id: &call_id,
                        job: None,
                        preview_from: None,
                        connect_at: t,
                        talk_end,
                        wrap_end,
                        aux_after: None,
                    },
                );
                let agent = &pool.agents[index];
                records.push((
                    wrap_end,
                    FeedRecord::InboundCall(InboundCall {
                        call_id,
                        organization: organization.to_string(),
                        queue,
                        caller,
                        arrived_at: iso(t),
                        answered_at: iso(t),
                        end_at: iso(talk_end),
                        wait_seconds: 0,
                        agent_id: agent.id.clone(),
                        team: agent.team.clone(),
                        talk_seconds: (talk_end - t) / 1000,
                        wrap_up_seconds: (wrap_end - talk_end) / 1000,
                    }),
                ));
                records
            }
            None => {
                let wait = rng.gen_range(10_000..90_000);
                vec![(
                    t + wait,
                    FeedRecord::InboundAbandon(InboundAbandon {
                        call_id,
                        organization: organization.to_string(),
                        queue,
                        caller,
                        arrived_at: iso(t),
                        abandoned_at: iso(t + wait),
                        wait_seconds: wait / 1000,
                    }),
                )]
            }
        };
        self.dialer.queue(records);
    }

    /// Who calls: one of the organization's contacts (their first phone) about a third of the
    /// time, otherwise a number OCM has never seen.
    fn caller(&self, organization: &str, rng: &mut ChaCha8Rng) -> String {
        let stranger = format!("+44161{:07}", rng.gen_range(0..10_000_000));
        if rng.gen_range(0..3) != 0 {
            return stranger;
        }
        let lists: Vec<_> = self
            .lists
            .values()
            .filter(|l| l.organization == organization && !l.contacts.is_empty())
            .collect();
        if lists.is_empty() {
            return stranger;
        }
        let list = lists[rng.gen_range(0..lists.len())];
        let index = rng.gen_range(0..list.contacts.len());
        list.contacts
            .values()
            .nth(index)
            .and_then(|c| c.attributes.get("phoneNumber1"))
            .filter(|p| !p.is_empty())
            .cloned()
            .unwrap_or(stranger)
    }
}
