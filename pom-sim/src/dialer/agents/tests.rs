//! An agent's call leaves its intervals behind, and agents stay with their job.

use super::*;

#[test]
fn a_call_leaves_ready_talking_and_wrap_up_behind() {
    let mut pool = AgentPool::new("Sales", 3, 0);
    assert_eq!(pool.agents[0].id, "SAL001");
    assert!(pool.agents[2].blended && !pool.agents[0].blended);
    pool.log_in(("Sales", 0));
    let index = pool.free_agent(1_000, false, None).unwrap();
    let job = JobTag {
        job_id: 9,
        campaign: "Sales_Predictive".into(),
        campaign_type: "predictive".into(),
    };
    let work = Work {
        organization: "Sales",
        session_id: "S1",
        job: Some(&job),
        preview_from: None,
        connect_at: 10_000,
        talk_end: 70_000,
        wrap_end: 80_000,
        aux_after: Some(("Break", 60_000)),
    };
    let intervals: Vec<AgentInterval> = pool
        .work(index, &work)
        .into_iter()
        .filter_map(|(_, r)| match r {
            FeedRecord::AgentInterval(i) => Some(i),
            _ => None,
        })
        .collect();
    let states: Vec<&str> = intervals.iter().map(|i| i.state.as_str()).collect();
    assert_eq!(
        states,
        [
            "ready",
            "talking",
            "wrap_up",
            "pending_not_ready",
            "not_ready"
        ]
    );
    assert!(intervals.iter().all(|i| i.job_id == Some(9)));
    assert_eq!(intervals[1].direction.as_deref(), Some("outbound"));
    assert_eq!(intervals[4].aux_code, Some(1));
    assert_eq!(intervals[4].session_id, None);
    assert_eq!(intervals[2].seconds + intervals[3].seconds, 10);
    assert_eq!(pool.agents[index].free_at_ms, 140_000);
    assert_eq!(pool.free_count(100_000), 2);
    pool.agents[1].job = Some(JobTag {
        job_id: 8,
        ..job.clone()
    });
    assert_eq!(pool.free_agent(100_000, false, Some(9)), Some(2));
    assert_eq!(pool.next_free_after(100_000), Some(140_000));
}

#[test]
fn each_state_is_announced_as_the_agent_enters_it() {
    let mut pool = AgentPool::new("Sales", 1, 0);
    let entered = |records: Vec<(i64, FeedRecord)>| -> Vec<(i64, String, Option<String>)> {
        records
            .into_iter()
            .filter_map(|(at, r)| match r {
                FeedRecord::AgentState(s) => Some((at, s.state, s.aux_reason)),
                _ => None,
            })
            .collect()
    };
    assert_eq!(
        entered(pool.log_in(("Sales", 0))),
        [(0, "ready".into(), None)]
    );
    let job = JobTag {
        job_id: 9,
        campaign: "Sales_Preview".into(),
        campaign_type: "preview".into(),
    };
    let work = Work {
        organization: "Sales",
        session_id: "S1",
        job: Some(&job),
        preview_from: Some(5_000),
        connect_at: 10_000,
        talk_end: 70_000,
        wrap_end: 80_000,
        aux_after: Some(("Break", 60_000)),
    };
    let states = entered(pool.work(0, &work));
    assert_eq!(
        states,
        [
            (5_000, "preview".into(), None),
            (10_000, "talking".into(), None),
            (70_000, "wrap_up".into(), None),
            (75_000, "pending_not_ready".into(), None),
            (80_000, "not_ready".into(), Some("Break".into())),
            (140_000, "ready".into(), None),
        ]
    );
    let out = entered(pool.log_out(("Sales", 100_000)));
    assert_eq!(
        out,
        [(140_000, "logged_out".into(), None)],
        "after the break"
    );
}
