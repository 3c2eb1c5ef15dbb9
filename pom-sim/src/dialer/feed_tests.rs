//! The feed tells a job's whole story and its parts agree: every contact of its lists is dialled
//! or passed over exactly once, the passed-over reasons match the job's counters, system and
//! agent codes are apart, nuisance calls say why, talking time has its attempt, sales follow
//! `SALE`, and answered inbound calls have their agent.

use std::collections::{BTreeMap, BTreeSet};

use super::super::feed::{Attempt, ContactSkip, FeedRecord, JobEvent};
use super::super::world::{ContactRec, World};
use super::tests::{run, world_with_job, NOON};
use super::JobStats;

mod agent_time;
mod callbacks;
mod calls;

use agent_time::check_agent_time;
use calls::check_calls;

const HOUR: i64 = 3_600_000;

fn of_job<'a, T>(
    world: &'a World,
    job: i64,
    pick: impl Fn(&'a FeedRecord) -> Option<&'a T>,
    job_of: impl Fn(&T) -> i64,
) -> Vec<&'a T> {
    world
        .feed
        .records
        .iter()
        .filter_map(pick)
        .filter(|r| job_of(r) == job)
        .collect()
}

fn attempts<'a>(world: &'a World, job: i64) -> Vec<&'a Attempt> {
    let pick = |r: &'a FeedRecord| match r {
        FeedRecord::Attempt(a) => Some(&**a),
        _ => None,
    };
    of_job(world, job, pick, |a: &Attempt| a.job_id)
}

fn skips<'a>(world: &'a World, job: i64) -> Vec<&'a ContactSkip> {
    let pick = |r: &'a FeedRecord| match r {
        FeedRecord::ContactSkip(s) => Some(s),
        _ => None,
    };
    of_job(world, job, pick, |s: &ContactSkip| s.job_id)
}

fn events<'a>(world: &'a World, job: i64) -> Vec<&'a JobEvent> {
    let pick = |r: &'a FeedRecord| match r {
        FeedRecord::JobEvent(e) => Some(e),
        _ => None,
    };
    of_job(world, job, pick, |e: &JobEvent| e.job_id)
}

fn reason_counter(stats: &JobStats, reason: &str) -> u64 {
    match reason {
        "dnc" => stats.skipped_dnc,
        "outside_window" => stats.skipped_window,
        "not_callable" => stats.skipped_uncallable,
        "no_phone" => stats.skipped_no_phone,
        "finished_earlier" => stats.skipped_finished,
        "attempt_in_progress" => stats.skipped_in_progress,
        "job_ended_first" => stats.skipped_not_reached,
        "added_after_start" => stats.skipped_added_after,
        other => panic!("unknown reason {other}"),
    }
}

/// Every contact of the job's lists is the first attempt of the job or one skip, never both;
/// the skips by reason and the attempts are the counters of the job's last event.
fn check_contacts_accounted(world: &World, job: i64) -> JobStats {
    let last = *events(world, job).last().expect("job events");
    let stats = last.counters.clone().expect("a finished job has counters");
    let dialled: BTreeSet<(&str, &str)> = attempts(world, job)
        .iter()
        .map(|a| (a.list.as_str(), a.user_contact_id.as_str()))
        .collect();
    let mut skipped = BTreeSet::new();
    let mut by_reason: BTreeMap<&str, u64> = BTreeMap::new();
    for skip in skips(world, job) {
        let key = (skip.list.as_str(), skip.user_contact_id.as_str());
        assert!(skipped.insert(key), "{key:?} skipped twice");
        assert!(!dialled.contains(&key), "{key:?} dialled and skipped");
        *by_reason.entry(&skip.reason).or_default() += 1;
        assert!(skip.contact.contains_key("ACCOUNT_NO"));
    }
    for (reason, n) in &by_reason {
        assert_eq!(reason_counter(&stats, reason), *n, "{reason}: {stats:?}");
    }
    assert_eq!(dialled.len() as u64, stats.dialled);
    assert_eq!(attempts(world, job).len() as u64, stats.attempts);
    let by_why = stats.dialled + stats.retries + stats.callbacks_dialled;
    assert_eq!(by_why, stats.attempts, "{stats:?}");
    let campaign = &world.campaigns[&world.jobs[&job].campaign_id];
    for list in &campaign.lists {
        for id in world.list_by_name(list).unwrap().contacts.keys() {
            let key = (list.as_str(), id.as_str());
            assert!(
                dialled.contains(&key) || skipped.contains(&key),
                "{key:?} neither dialled nor skipped"
            );
        }
    }
    stats
}

fn add_contact(world: &mut World, list: &str, id: &str, at: i64) {
    let list = world.lists.values_mut().find(|l| l.name == list).unwrap();
    let mut attributes = list.contacts.values().next().unwrap().attributes.clone();
    attributes.insert("ACCOUNT_NO".into(), format!("AC-{id}"));
    let contact = ContactRec {
        attributes,
        created_ms: at,
        callable: true,
        in_progress_until_ms: None,
    };
    list.contacts.insert(id.to_string(), contact);
}

#[test]
fn a_completed_predictive_job_tells_its_whole_story() {
    let (mut world, job) = world_with_job(5);
    let campaign = world.jobs[&job].campaign_id;
    world.campaigns.get_mut(&campaign).unwrap().kind = "predictive".into();
    // Few agents and a keen pace, so some answered calls find nobody free.
    (
        world.dialer.config.agents_per_org,
        world.dialer.config.overdial,
    ) = (4, 3.0);
    let renewals = world
        .lists
        .values_mut()
        .find(|l| l.name == "Sales_Renewals")
        .unwrap();
    let mut contacts = renewals.contacts.values_mut();
    contacts.next().unwrap().callable = false;
    contacts.next().unwrap().attributes.remove("phoneNumber1");
    let on_dnc = contacts.next().unwrap().attributes["phoneNumber1"].clone();
    world
        .organization_dnc_list("Sales")
        .addresses
        .insert(on_dnc);
    run(&mut world, 60_000, NOON + 10 * 60_000);
    // One contact the walk has passed already, one it will reach.
    add_contact(&mut world, "Sales_Renewals", "0000001", NOON + 10 * 60_000);
    add_contact(&mut world, "Sales_Renewals", "9999999", NOON + 10 * 60_000);
    run(&mut world, 60_000, NOON + 30 * HOUR);
    assert_eq!(world.jobs[&job].state, "JOB_COMPLETED");

    let names: Vec<&str> = events(&world, job)
        .iter()
        .map(|e| e.event.as_str())
        .collect();
    assert_eq!(names, ["queued", "started", "completed"]);
    let started = events(&world, job)[1];
    let sizes: Vec<(&str, u64)> = started
        .list_sizes
        .iter()
        .map(|s| (s.list.as_str(), s.contacts))
        .collect();
    assert_eq!(
        sizes,
        [("Sales_Renewals", 2_500), ("Sales_Manual_Upload", 400)]
    );
    assert_eq!(
        events(&world, job)[2].finish_reason.as_deref(),
        Some("lists_done")
    );

    let stats = check_contacts_accounted(&world, job);
    assert_eq!(stats.skipped_added_after, 1, "{stats:?}");
    assert!(
        stats.skipped_window > 0 && stats.skipped_dnc > 0,
        "{stats:?}"
    );
    let late = skips(&world, job)
        .into_iter()
        .find(|s| s.reason == "added_after_start")
        .unwrap();
    assert_eq!(late.user_contact_id, "0000001");

    check_calls(&world, job);
    check_agent_time(&world);
}

#[test]
fn a_stopped_job_records_the_contacts_it_never_reached() {
    let (mut world, job) = world_with_job(6);
    run(&mut world, 60_000, NOON + HOUR);
    let caller = super::super::rules::Caller {
        user: "pomadmin".into(),
        organization: None,
    };
    world.job_action(&caller, job, "stop", NOON + HOUR).unwrap();
    run(&mut world, 60_000, NOON + 2 * HOUR);
    assert_eq!(world.jobs[&job].state, "JOB_STOPPED");
    let names: Vec<&str> = events(&world, job)
        .iter()
        .map(|e| e.event.as_str())
        .collect();
    assert_eq!(names, ["queued", "started", "stopping", "stopped"]);
    let stopped = events(&world, job)[3];
    assert_eq!(stopped.finish_reason.as_deref(), Some("user_stop"));
    assert_eq!(stopped.state, "JOB_STOPPED");
    let stats = check_contacts_accounted(&world, job);
    assert!(stats.skipped_not_reached > 1_000, "{stats:?}");
    check_agent_time(&world);
}
