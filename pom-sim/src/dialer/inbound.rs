//! Inbound calls for an organization's blended agents while it has an active job: answered by
//! a free blended agent (talking and wrap-up intervals) or abandoned after a wait.

use rand::Rng;

use super::super::feed::{iso, FeedRecord, InboundAbandon};
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
        let call_id = format!("IN-{organization}-{}", pool.inbound_count);
        let mut rng = rng_for(&[&seed, b"inbound", call_id.as_bytes()]);
        pool.next_inbound_ms = Some(t + rng.gen_range(30_000..300_000));
        let records = match pool.free_agent(t, true) {
            Some(index) => {
                let talk_end = t + rng.gen_range(60_000..300_000);
                pool.work(
                    index,
                    &agents::Work {
                        organization,
                        session_id: &call_id,
                        connect_at: t,
                        talk_end,
                        wrap_end: talk_end + rng.gen_range(10_000..30_000),
                        aux_after: None,
                    },
                )
            }
            None => {
                let wait = rng.gen_range(10_000..90_000);
                vec![(
                    t + wait,
                    FeedRecord::InboundAbandon(InboundAbandon {
                        call_id: call_id.clone(),
                        organization: organization.to_string(),
                        queue: format!("{organization} Inbound"),
                        caller: format!("+44161{:07}", rng.gen_range(0..10_000_000)),
                        arrived_at: iso(t),
                        abandoned_at: iso(t + wait),
                        wait_seconds: wait / 1000,
                    }),
                )]
            }
        };
        self.dialer.queue(records);
    }
}
