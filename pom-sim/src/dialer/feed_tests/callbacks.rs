//! Callbacks over three days of an infinite campaign: offered when due, to the owner first,
//! dialled, and ended at most once.

use std::collections::BTreeMap;

use super::super::super::feed::{Attempt, FeedRecord};
use super::super::tests::{instant, run, NOON};
use super::HOUR;

#[test]
fn callbacks_are_offered_dialled_and_end_once() {
    let mut world = super::super::super::demo::world(1, NOON);
    world.dialer.config.seed = 11;
    let campaign = world
        .campaign_by_name("Sales_Winback_Progressive")
        .unwrap()
        .id;
    let caller = super::super::super::rules::Caller {
        user: "pomadmin".into(),
        organization: None,
    };
    world.start_job(&caller, campaign, NOON).unwrap();
    run(&mut world, 60_000, NOON + 3 * 24 * HOUR);
    let mut created = BTreeMap::new();
    let mut history: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    let attempts: BTreeMap<&str, &Attempt> = world
        .feed
        .records
        .iter()
        .filter_map(|r| match r {
            FeedRecord::Attempt(a) => Some((a.session_id.as_str(), &**a)),
            FeedRecord::Callback(c) => {
                created.insert(c.callback_id.as_str(), &**c);
                None
            }
            _ => None,
        })
        .collect();
    let mut handed_over = 0;
    for record in &world.feed.records {
        let FeedRecord::CallbackEvent(e) = record else {
            continue;
        };
        history.entry(&e.callback_id).or_default().push(&e.event);
        let callback = created[e.callback_id.as_str()];
        let at = instant(&e.at);
        match e.event.as_str() {
            "pending" => {
                assert!(at >= instant(&callback.due_at) && at <= instant(&callback.expires_at));
                if callback.callback_type == "agent_owned" && !e.handed_over {
                    assert_eq!(e.agent_id, callback.agent_id, "the owner gets it");
                }
                if e.handed_over {
                    handed_over += 1;
                    let waited = at - instant(&callback.due_at);
                    assert!(waited >= time::Duration::minutes(5), "{waited}");
                }
            }
            "dialled" => {
                let attempt = attempts[e.session_id.as_deref().unwrap()];
                assert_eq!(attempt.callback_id.as_deref(), Some(e.callback_id.as_str()));
                assert_eq!(attempt.agent_id, e.agent_id);
            }
            "completed" => assert!(e.code.is_some()),
            _ => {}
        }
    }
    let mut ends = BTreeMap::<&str, usize>::new();
    for (id, events) in &history {
        assert_eq!(events[0], "created", "{id}: {events:?}");
        let finals: Vec<&&str> = events
            .iter()
            .filter(|e| ["completed", "cancelled", "expired"].contains(*e))
            .collect();
        assert!(finals.len() <= 1, "{id}: {events:?}");
        if let Some(last) = finals.first() {
            assert_eq!(events.last(), Some(*last), "{id}: nothing after its end");
            *ends.entry(last).or_default() += 1;
        }
        for pair in events.windows(2) {
            if pair[0] == "dialled" {
                let after = ["completed", "rescheduled", "expired"];
                assert!(after.contains(&pair[1]), "{id}: {events:?}");
            }
        }
    }
    assert_eq!(history.len(), created.len());
    assert!(
        ends.get("completed").is_some_and(|n| *n > 5) && ends.contains_key("expired"),
        "{ends:?}"
    );
    assert!(handed_over > 0, "an agent-owned callback handed over");
    let dialled = attempts
        .values()
        .filter(|a| a.callback_id.is_some())
        .count();
    let stats = &world.dialer.runs.values().next().unwrap().stats;
    assert_eq!(dialled as u64, stats.callbacks_dialled);
}
