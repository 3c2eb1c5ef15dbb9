//! The engine on a demo world driven with explicit times: determinism for a seed, independence
//! from how often time is looked at, and the rules of a run (window, DNC, retries, completion).

use super::super::demo;
use super::super::feed::FeedRecord;
use super::super::world::World;

/// 2026-11-23 12:00 UTC, a Monday.
pub(super) const NOON: i64 = 1_795_435_200_000;

pub(super) fn world_with_job(seed: u64) -> (World, i64) {
    let mut world = demo::world(1, NOON);
    world.dialer.config.seed = seed;
    world.dialer.config.agents_per_org = 12;
    let campaign = world.campaign_by_name("Sales_Renewals_Preview").unwrap().id;
    let caller = super::super::rules::Caller {
        user: "pomadmin".into(),
        organization: None,
    };
    let job = world.start_job(&caller, campaign, NOON).unwrap();
    (world, job)
}

pub(super) fn run(world: &mut World, step_ms: i64, until: i64) {
    let drop = std::env::temp_dir();
    let mut t = NOON;
    while t < until {
        t = (t + step_ms).min(until);
        world.advance(t, &drop);
    }
}

#[test]
fn the_same_seed_gives_the_same_feed_however_often_time_is_read() {
    let day = NOON + 12 * 3_600_000;
    let (mut fine, job) = world_with_job(7);
    run(&mut fine, 1_000, day);
    let (mut coarse, _) = world_with_job(7);
    run(&mut coarse, 3_600_000, day);
    assert!(
        fine.feed.records.len() > 1_000,
        "{}",
        fine.feed.records.len()
    );
    let first_difference = fine
        .feed
        .records
        .iter()
        .zip(&coarse.feed.records)
        .position(|(a, b)| a != b);
    assert_eq!(first_difference, None, "the feeds part at this record");
    assert_eq!(fine.feed.records.len(), coarse.feed.records.len());
    assert_eq!(fine.jobs[&job].state, "JOB_COMPLETED");
    let (mut other, _) = world_with_job(8);
    run(&mut other, 3_600_000, day);
    assert!(fine.feed != other.feed, "another seed, another run");
}

#[test]
fn a_run_respects_windows_dnc_and_retry_rules() {
    let (mut world, job) = world_with_job(3);
    run(&mut world, 60_000, NOON + 24 * 3_600_000);
    let stats = world.dialer.runs[&job].stats.clone();
    let contacts = 2_500 + 400;
    let skipped = stats.skipped_window + stats.skipped_dnc + stats.skipped_no_phone;
    assert_eq!(stats.dialled + skipped, contacts, "{stats:?}");
    assert!(stats.skipped_window > 0 && stats.retries > 0, "{stats:?}");
    let attempts: Vec<_> = world
        .feed
        .records
        .iter()
        .filter_map(|r| match r {
            FeedRecord::Attempt(a) => Some(a),
            _ => None,
        })
        .collect();
    assert_eq!(attempts.len() as u64, stats.attempts);
    let initial_dnc = demo::world(1, NOON);
    let mut kills = std::collections::BTreeMap::new();
    for record in &world.feed.records {
        if let FeedRecord::DialerKill(kill) = record {
            assert!(world.suppressed("Sales", &kill.address));
            kills
                .entry(kill.address.as_str())
                .or_insert(instant(&kill.added_at));
        }
    }
    let mut per_contact = std::collections::BTreeMap::<&str, Vec<(u32, bool)>>::new();
    for attempt in &attempts {
        per_contact
            .entry(&attempt.user_contact_id)
            .or_default()
            .push((attempt.attempt_number, attempt.callback_id.is_some()));
        assert!(!initial_dnc.suppressed("Sales", &attempt.address));
        let contact =
            &world.list_by_name(&attempt.list).unwrap().contacts[&attempt.user_contact_id];
        let zone = &contact.attributes["phoneNumber1TimeZone"];
        let offset = pom::zones::offset_minutes(zone).unwrap();
        let at = instant(&attempt.attempt_at).unix_timestamp() * 1000;
        let minute = pom::zones::local_minute_of_day(at, offset);
        assert!(
            (8 * 60..21 * 60).contains(&minute),
            "dialled at {minute} in {zone}"
        );
        if let Some(added) = kills.get(attempt.address.as_str()) {
            assert!(
                instant(&attempt.attempt_at) < *added,
                "dialled after the kill-list entry"
            );
        }
    }
    assert_eq!(per_contact.len() as u64, stats.dialled);
    for calls in per_contact.values() {
        let numbers: Vec<u32> = calls.iter().map(|(n, _)| *n).collect();
        let expected: Vec<u32> = (1..=numbers.len() as u32).collect();
        assert_eq!(numbers, expected);
        let without_callbacks = calls.iter().filter(|(_, callback)| !callback).count();
        assert!(without_callbacks <= 3, "{calls:?}");
    }
    let kinds: std::collections::BTreeSet<&str> =
        world.feed.records.iter().map(FeedRecord::kind).collect();
    for kind in ["attempt", "agent_interval", "callback", "dialer_kill"] {
        assert!(kinds.contains(kind), "no {kind} in {kinds:?}");
    }
}

pub(super) fn instant(iso: &str) -> time::OffsetDateTime {
    time::OffsetDateTime::parse(iso, &time::format_description::well_known::Rfc3339).unwrap()
}

#[test]
fn a_contact_being_dialled_cannot_be_deleted_until_its_call_ends() {
    let (mut world, _) = world_with_job(4);
    let t = NOON + 20_000;
    run(&mut world, 1_000, t);
    let list = world.list_by_name("Sales_Renewals").unwrap();
    let (id, until) = list
        .contacts
        .iter()
        .find_map(|(id, c)| {
            c.in_progress_until_ms
                .filter(|u| *u > t)
                .map(|u| (id.clone(), u))
        })
        .expect("a call in progress 20 s into the job");
    let caller = super::super::rules::Caller {
        user: "pomadmin".into(),
        organization: None,
    };
    let named = super::super::list_rules::ListRef::Name("Sales_Renewals");
    let refused = world.delete_contact(&caller, named, &id, t).unwrap_err();
    assert_eq!(refused.code, -33);
    let named = super::super::list_rules::ListRef::Name("Sales_Renewals");
    assert!(world.delete_contact(&caller, named, &id, until + 1).is_ok());
}
