//! An organization's pool of simulated agents: who is free when, and the state intervals (ready,
//! not ready with an AUX reason, talking, wrap-up) their calls leave behind.

use serde::{Deserialize, Serialize};

use super::super::feed::{iso, AgentInterval, FeedRecord};

/// One agent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Agent {
    pub id: String,
    pub team: String,
    /// Also takes inbound calls.
    pub blended: bool,
    /// When the agent can take the next call.
    pub free_at_ms: i64,
    /// Since when the agent has been ready (the start of the next ready interval).
    pub ready_since_ms: i64,
}

/// The agents of one organization, and its next inbound call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentPool {
    pub agents: Vec<Agent>,
    pub next_inbound_ms: Option<i64>,
    pub inbound_count: u64,
}

/// What an agent does on a connected call; times in simulated milliseconds.
pub struct Work<'a> {
    pub organization: &'a str,
    pub session_id: &'a str,
    pub connect_at: i64,
    pub talk_end: i64,
    pub wrap_end: i64,
    /// Not ready after wrap-up: (reason, milliseconds).
    pub aux_after: Option<(&'a str, i64)>,
}

/// An interval as a feed record, with the time it ends (when it is published).
pub fn interval(
    organization: &str,
    agent: &Agent,
    state: &str,
    (start, end): (i64, i64),
    aux_reason: Option<&str>,
    session_id: Option<&str>,
) -> (i64, FeedRecord) {
    (
        end,
        FeedRecord::AgentInterval(AgentInterval {
            organization: organization.to_string(),
            agent_id: agent.id.clone(),
            team: agent.team.clone(),
            state: state.to_string(),
            aux_reason: aux_reason.map(str::to_string),
            start_at: iso(start),
            end_at: iso(end),
            seconds: (end - start) / 1000,
            session_id: session_id.map(str::to_string),
        }),
    )
}

/// The ids of an organization's `size` agents: its first three letters and a number (`SAL001`).
pub fn agent_ids(organization: &str, size: usize) -> Vec<String> {
    let prefix: String = organization
        .chars()
        .filter(char::is_ascii_alphabetic)
        .take(3)
        .collect::<String>()
        .to_uppercase();
    (1..=size).map(|n| format!("{prefix}{n:03}")).collect()
}

impl AgentPool {
    /// `size` agents of `organization`, all ready from `now_ms`; every third one is blended.
    pub fn new(organization: &str, size: usize, now_ms: i64) -> Self {
        let agents = agent_ids(organization, size)
            .into_iter()
            .enumerate()
            .map(|(i, id)| Agent {
                id,
                team: format!("{organization} Team {}", if i % 2 == 0 { 'A' } else { 'B' }),
                blended: i % 3 == 2,
                free_at_ms: now_ms,
                ready_since_ms: now_ms,
            })
            .collect();
        AgentPool {
            agents,
            next_inbound_ms: None,
            inbound_count: 0,
        }
    }

    /// The agent idle longest among those free at `t` (optionally blended ones only).
    pub fn free_agent(&self, t: i64, blended_only: bool) -> Option<usize> {
        self.agents
            .iter()
            .enumerate()
            .filter(|(_, a)| a.free_at_ms <= t && (a.blended || !blended_only))
            .min_by_key(|(i, a)| (a.ready_since_ms, *i))
            .map(|(i, _)| i)
    }

    /// How many agents are free at `t`.
    pub fn free_count(&self, t: i64) -> usize {
        self.agents.iter().filter(|a| a.free_at_ms <= t).count()
    }

    /// The first moment after `t` an agent becomes free.
    pub fn next_free_after(&self, t: i64) -> Option<i64> {
        self.agents
            .iter()
            .map(|a| a.free_at_ms)
            .filter(|f| *f > t)
            .min()
    }

    /// Occupies agent `index` with a call; returns its intervals.
    pub fn work(&mut self, index: usize, work: &Work<'_>) -> Vec<(i64, FeedRecord)> {
        let agent = &mut self.agents[index];
        let org = work.organization;
        let session = Some(work.session_id);
        let mut intervals = Vec::new();
        if work.connect_at > agent.ready_since_ms {
            let span = (agent.ready_since_ms, work.connect_at);
            intervals.push(interval(org, agent, "ready", span, None, None));
        }
        let talk = (work.connect_at, work.talk_end);
        intervals.push(interval(org, agent, "talking", talk, None, session));
        if work.wrap_end > work.talk_end {
            let wrap = (work.talk_end, work.wrap_end);
            intervals.push(interval(org, agent, "wrap_up", wrap, None, session));
        }
        let mut free = work.wrap_end;
        if let Some((reason, millis)) = work.aux_after {
            let aux = (work.wrap_end, work.wrap_end + millis);
            intervals.push(interval(org, agent, "not_ready", aux, Some(reason), None));
            free = aux.1;
        }
        agent.free_at_ms = free;
        agent.ready_since_ms = free;
        intervals
    }

    /// Agent `index` goes not ready at `at` for `millis` (a nuisance call when it was connecting).
    pub fn go_aux(
        &mut self,
        index: usize,
        organization: &str,
        at: i64,
        reason: &str,
        millis: i64,
    ) -> Vec<(i64, FeedRecord)> {
        let agent = &mut self.agents[index];
        let mut intervals = Vec::new();
        if at > agent.ready_since_ms {
            let span = (agent.ready_since_ms, at);
            intervals.push(interval(organization, agent, "ready", span, None, None));
        }
        let aux = (at, at + millis);
        intervals.push(interval(
            organization,
            agent,
            "not_ready",
            aux,
            Some(reason),
            None,
        ));
        agent.free_at_ms = aux.1;
        agent.ready_since_ms = aux.1;
        intervals
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_call_leaves_ready_talking_and_wrap_up_behind() {
        let mut pool = AgentPool::new("Sales", 3, 0);
        assert_eq!(pool.agents[0].id, "SAL001");
        assert!(pool.agents[2].blended && !pool.agents[0].blended);
        let index = pool.free_agent(1_000, false).unwrap();
        let work = Work {
            organization: "Sales",
            session_id: "S1",
            connect_at: 10_000,
            talk_end: 70_000,
            wrap_end: 80_000,
            aux_after: Some(("Break", 60_000)),
        };
        let states: Vec<String> = pool
            .work(index, &work)
            .into_iter()
            .map(|(_, r)| match r {
                FeedRecord::AgentInterval(i) => i.state,
                _ => String::new(),
            })
            .collect();
        assert_eq!(states, ["ready", "talking", "wrap_up", "not_ready"]);
        assert_eq!(pool.agents[index].free_at_ms, 140_000);
        assert_eq!(pool.free_count(100_000), 2);
        assert_eq!(pool.next_free_after(100_000), Some(140_000));
    }
}
