//! A job's calls: codes, nuisance causes, intervals and sales agree with the attempts.

use std::collections::BTreeMap;

use super::super::super::feed::FeedRecord;
use super::super::super::world::World;
use super::{attempts, events};

/// Codes, nuisance causes, intervals and sales agree with the attempts.
pub(super) fn check_calls(world: &World, job: i64) {
    let intervals: Vec<_> = world
        .feed
        .records
        .iter()
        .filter_map(|r| match r {
            FeedRecord::AgentInterval(i) => Some(i),
            _ => None,
        })
        .collect();
    let sales: BTreeMap<&str, _> = world
        .feed
        .records
        .iter()
        .filter_map(|r| match r {
            FeedRecord::Sale(s) => Some((s.session_id.as_str(), s)),
            _ => None,
        })
        .collect();
    let (mut no_agent, mut agent_aux, mut sold, mut cancelled) = (0, 0, 0, 0);
    for a in attempts(world, job) {
        assert_eq!(
            a.completion_code,
            *a.agent_completion_code
                .as_ref()
                .unwrap_or(&a.sys_completion_code)
        );
        assert_eq!(a.nuisance, a.sys_completion_code == "Nuisance_Call");
        assert_eq!(
            (a.phone_attribute.as_str(), a.zone.as_str()),
            ("phoneNumber1", "London")
        );
        assert_eq!(a.contact.get("phoneNumber1"), Some(&a.address));
        let on_call = |state: &str| {
            intervals
                .iter()
                .filter(|i| {
                    i.session_id.as_deref() == Some(a.session_id.as_str()) && i.state == state
                })
                .collect::<Vec<_>>()
        };
        match a.nuisance_reason.as_deref() {
            Some("no_agent") => {
                no_agent += 1;
                assert!(a.answered_at.is_some() && a.connect_at.is_none() && a.agent_id.is_none());
            }
            Some("agent_aux") => {
                agent_aux += 1;
                let aux = on_call("not_ready");
                assert_eq!(aux.len(), 1, "{a:?}");
                assert_eq!(aux[0].aux_reason, a.aux_reason);
                assert_eq!(aux[0].agent_id, *a.agent_id.as_ref().unwrap());
                assert!(a.answered_at.is_some() && a.connect_at.is_none());
            }
            None => {}
            Some(other) => panic!("nuisance reason {other}"),
        }
        if a.result == "preview_cancelled" {
            cancelled += 1;
            let states: Vec<&str> = on_call("preview")
                .iter()
                .chain(&on_call("wrap_up"))
                .map(|i| i.state.as_str())
                .collect();
            assert_eq!(states, ["preview", "wrap_up"], "{a:?}");
            assert!(a.ringback_at.is_none() && a.connect_at.is_none());
        }
        if a.connect_at.is_some() {
            let talking = on_call("talking");
            assert_eq!(talking.len(), 1, "{a:?}");
            assert_eq!(talking[0].seconds, a.talk_seconds);
            assert_eq!(talking[0].job_id, Some(job));
            assert_eq!(talking[0].direction.as_deref(), Some("outbound"));
            assert_eq!(talking[0].campaign_type.as_deref(), Some("predictive"));
        }
        let sale = sales.get(a.session_id.as_str());
        assert_eq!(
            sale.is_some(),
            a.agent_completion_code.as_deref() == Some("SALE")
        );
        if let Some(sale) = sale {
            sold += 1;
            assert_eq!(Some(&sale.agent_id), a.agent_id.as_ref());
            assert!(["secured", "unsecured"].contains(&sale.category.as_str()));
            assert!(sale.amount.parse::<f64>().unwrap() > 0.0);
        }
    }
    assert!(
        no_agent > 0 && agent_aux > 0 && sold > 0,
        "{no_agent} {agent_aux} {sold}"
    );
    let talking_outbound = intervals
        .iter()
        .filter(|i| {
            i.state == "talking"
                && i.job_id == Some(job)
                && i.direction.as_deref() == Some("outbound")
        })
        .count();
    let answered = attempts(world, job)
        .iter()
        .filter(|a| a.connect_at.is_some())
        .count();
    let stats = events(world, job)
        .last()
        .and_then(|e| e.counters.clone())
        .unwrap();
    assert_eq!(cancelled, stats.previews_cancelled);
    assert_eq!(
        talking_outbound, answered,
        "each talking interval has its attempt"
    );
}
