//! Agent time: each agent's intervals tile its sessions, and answered inbound calls have their
//! agent.

use std::collections::{BTreeMap, BTreeSet};

use super::super::super::feed::FeedRecord;
use super::super::super::world::World;
use super::super::tests::{instant, run, world_with_job, NOON};
use super::HOUR;

/// Each agent's intervals tile its sessions: the first starts at the login, each starts where
/// the one before ended, the last ends at the logout.
pub(super) fn check_agent_time(world: &World) {
    let mut timelines: BTreeMap<&str, Vec<(time::OffsetDateTime, time::OffsetDateTime, &str)>> =
        BTreeMap::new();
    let mut sessions: BTreeMap<&str, Vec<(time::OffsetDateTime, time::OffsetDateTime)>> =
        BTreeMap::new();
    for record in &world.feed.records {
        match record {
            FeedRecord::AgentInterval(i) => timelines.entry(&i.agent_id).or_default().push((
                instant(&i.start_at),
                instant(&i.end_at),
                &i.state,
            )),
            FeedRecord::AgentSession(s) if s.event == "logout" => sessions
                .entry(&s.agent_id)
                .or_default()
                .push((instant(&s.login_at), instant(&s.at))),
            _ => {}
        }
    }
    assert!(!sessions.is_empty());
    for (agent, spans) in &sessions {
        let mut timeline = timelines.remove(agent).unwrap_or_default();
        timeline.sort();
        let mut intervals = timeline.iter().peekable();
        for (login, logout) in spans {
            let mut at = *login;
            while let Some((start, end, state)) = intervals.next_if(|(s, _, _)| s < logout) {
                assert_eq!(
                    *start, at,
                    "{agent}: {state} interval after a gap or overlap"
                );
                at = *end;
            }
            assert_eq!(
                at, *logout,
                "{agent}: the session ends where its intervals end"
            );
        }
        assert!(
            intervals.next().is_none(),
            "{agent}: time outside a session"
        );
    }
}

#[test]
fn answered_inbound_calls_have_their_agent_and_some_callers_are_contacts() {
    let (mut world, _) = world_with_job(9);
    run(&mut world, 60_000, NOON + 12 * HOUR);
    let numbers: BTreeSet<&String> = world
        .lists
        .values()
        .filter(|l| l.organization == "Sales")
        .flat_map(|l| {
            l.contacts
                .values()
                .filter_map(|c| c.attributes.get("phoneNumber1"))
        })
        .collect();
    let (mut answered, mut known) = (0, 0);
    for record in &world.feed.records {
        let FeedRecord::InboundCall(call) = record else {
            continue;
        };
        answered += 1;
        known += usize::from(numbers.contains(&call.caller));
        let talking = world.feed.records.iter().find_map(|r| match r {
            FeedRecord::AgentInterval(i)
                if i.session_id.as_deref() == Some(call.call_id.as_str())
                    && i.state == "talking" =>
            {
                Some(i)
            }
            _ => None,
        });
        let talking = talking.expect("the agent's talking interval");
        assert_eq!(
            (talking.agent_id.as_str(), talking.direction.as_deref()),
            (call.agent_id.as_str(), Some("inbound"))
        );
        assert_eq!(talking.seconds, call.talk_seconds);
    }
    assert!(
        answered > 5 && known > 0,
        "{answered} answered, {known} from contacts"
    );
}
