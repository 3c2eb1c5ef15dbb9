//! A demo world that has already been dialling: every campaign started `hours` before now and
//! the engine run up to now, so call data, agent time, callbacks and sales exist from the first
//! minute (`--demo-history-hours`, OCM's `OCM_DEMO_DIALLING_HOURS`). The campaigns keep dialling
//! afterwards in real time.

use crate::rules::Caller;
use crate::world::World;

/// The longest history a demo may ask for.
pub const MAX_HOURS: u32 = 72;

/// The demo world of `seed` as it is at `now_ms` after `hours` of dialling (at most
/// [`MAX_HOURS`]). Preview campaigns get a 30-second preview timer, all but one.
pub fn world_with_history(seed: u64, now_ms: i64, hours: u32) -> World {
    let start = now_ms - i64::from(hours.min(MAX_HOURS)) * 3_600_000;
    let mut world = super::world(seed, start);
    world.dialer.config.seed = seed;
    let caller = Caller {
        user: "pomadmin".into(),
        organization: None,
    };
    let campaigns: Vec<(i64, String)> = world
        .campaigns
        .values()
        .map(|c| (c.id, c.kind.clone()))
        .collect();
    let mut timed = false;
    for (id, kind) in campaigns {
        if kind == "preview" {
            if let Some(campaign) = world.campaigns.get_mut(&id) {
                campaign.dialing.preview_seconds = timed.then_some(30);
            }
            timed = true;
        }
        // A demo campaign that cannot start is left idle; the others still run.
        let _ = world.start_job(&caller, id, start);
    }
    let drop = std::env::temp_dir();
    let mut t = start;
    while t < now_ms {
        t = (t + 60_000).min(now_ms);
        world.advance(t, &drop);
    }
    world
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_demo_with_history_has_every_kind_of_record() {
        let now = 1_795_435_200_000;
        let world = world_with_history(1, now, 8);
        let kinds: std::collections::BTreeSet<&str> =
            world.feed.records.iter().map(|r| r.kind()).collect();
        let active = world
            .jobs
            .values()
            .filter(|j| j.state == "JOB_ACTIVE")
            .count();
        assert!(active >= 2, "the infinite campaigns go on dialling");
        for kind in crate::feed::KINDS {
            assert!(kinds.contains(kind), "no {kind}");
        }
    }
}
