//! Agents sent on a break from outside (the control API's `POST /__sim/agents/break`, the way a
//! supervisor sees a floor go to lunch): each goes not ready with an AUX reason now, or once its
//! current call and wrap-up end, for as long as asked, and is ready again after; the feed says so
//! as it does for the breaks agents take after calls.

use super::super::feed::FeedRecord;
use super::super::world::World;
use super::agent_states::{entered, with_entry};
use super::agents::{interval, About, AgentPool};
use super::calls::aux_code;

/// Why agents could not be sent on a break.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BreakRefused {
    /// Not one of the simulator's AUX reasons (`Break`, `Lunch`, `Training`, …).
    UnknownReason(String),
    /// The organization has no agents yet (they are created with its first active job).
    NoAgents(String),
    /// No such agent, or it is logged out.
    NotLoggedIn(String),
}

impl std::fmt::Display for BreakRefused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BreakRefused::UnknownReason(r) => write!(f, "{r} is not an AUX reason"),
            BreakRefused::NoAgents(o) => write!(f, "{o} has no agents yet"),
            BreakRefused::NotLoggedIn(a) => write!(f, "{a} is not a logged-in agent"),
        }
    }
}

impl AgentPool {
    /// Agent `index` goes not ready for `reason` from `at`, or once free, for `millis`; returns
    /// its records. Its ready time up to then is closed as an interval.
    pub fn take_break(
        &mut self,
        index: usize,
        organization: &str,
        at: i64,
        (reason, millis): (&str, i64),
    ) -> Vec<(i64, FeedRecord)> {
        let agent = &mut self.agents[index];
        let start = at.max(agent.free_at_ms);
        let mut records = Vec::new();
        if start > agent.ready_since_ms {
            let ready = (agent.ready_since_ms, start);
            records.push(interval(
                organization,
                agent,
                "ready",
                ready,
                About::default(),
            ));
        }
        let away = (start, start + millis);
        let about = About {
            aux_reason: Some(reason),
            ..About::default()
        };
        records.extend(with_entry(organization, agent, "not_ready", away, about));
        records.push(entered(organization, agent, "ready", away.1, None));
        (agent.free_at_ms, agent.ready_since_ms) = (away.1, away.1);
        records
    }
}

impl World {
    /// Sends `agents` of `organization` (none: every logged-in one) on a break with `reason`
    /// for `millis` from `now`; returns who was sent.
    pub fn send_on_break(
        &mut self,
        organization: &str,
        agents: Option<&[String]>,
        (reason, millis): (&str, i64),
        now: i64,
    ) -> Result<Vec<String>, BreakRefused> {
        if aux_code(reason).is_none() {
            return Err(BreakRefused::UnknownReason(reason.to_string()));
        }
        let pool = self
            .dialer
            .pools
            .get_mut(organization)
            .ok_or_else(|| BreakRefused::NoAgents(organization.to_string()))?;
        let indexes: Vec<usize> = match agents {
            None => (0..pool.agents.len())
                .filter(|i| pool.agents[*i].login_ms.is_some())
                .collect(),
            Some(ids) => ids
                .iter()
                .map(|id| {
                    pool.agents
                        .iter()
                        .position(|a| &a.id == id && a.login_ms.is_some())
                        .ok_or_else(|| BreakRefused::NotLoggedIn(id.clone()))
                })
                .collect::<Result<_, _>>()?,
        };
        let mut records = Vec::new();
        for index in &indexes {
            records.extend(pool.take_break(*index, organization, now, (reason, millis)));
        }
        let sent = indexes.iter().map(|i| pool.agents[*i].id.clone()).collect();
        self.dialer.queue(records);
        Ok(sent)
    }
}

#[cfg(test)]
mod tests {
    use super::super::super::feed::FeedRecord;
    use super::*;

    #[test]
    fn an_agent_on_a_call_goes_on_break_when_it_ends_and_is_ready_after() {
        let mut pool = AgentPool::new("Sales", 2, 0);
        pool.log_in(("Sales", 0));
        pool.agents[1].free_at_ms = 90_000;
        pool.agents[1].ready_since_ms = 90_000;
        let idle = pool.take_break(0, "Sales", 60_000, ("Lunch", 600_000));
        let busy = pool.take_break(1, "Sales", 60_000, ("Break", 600_000));
        let states = |records: &[(i64, FeedRecord)]| -> Vec<(i64, String)> {
            records
                .iter()
                .filter_map(|(at, r)| match r {
                    FeedRecord::AgentState(s) => Some((*at, s.state.clone())),
                    _ => None,
                })
                .collect()
        };
        assert_eq!(
            states(&idle),
            [(60_000, "not_ready".into()), (660_000, "ready".into())]
        );
        assert_eq!(
            states(&busy),
            [(90_000, "not_ready".into()), (690_000, "ready".into())]
        );
        assert_eq!(pool.free_count(600_000), 0, "nobody takes calls meanwhile");
        assert_eq!(pool.free_count(690_000), 2);
    }

    #[test]
    fn only_known_reasons_and_logged_in_agents() {
        let mut world = World::default();
        let none = world.send_on_break("Sales", None, ("Break", 1), 0);
        assert_eq!(none, Err(BreakRefused::NoAgents("Sales".into())));
        let mut pool = AgentPool::new("Sales", 2, 0);
        pool.log_in(("Sales", 0));
        world.dialer.pools.insert("Sales".into(), pool);
        let nap = world.send_on_break("Sales", None, ("Nap", 1), 0);
        assert_eq!(nap, Err(BreakRefused::UnknownReason("Nap".into())));
        let stranger = ["SAL009".to_string()];
        let refused = world.send_on_break("Sales", Some(&stranger), ("Break", 1), 0);
        assert_eq!(refused, Err(BreakRefused::NotLoggedIn("SAL009".into())));
        let sent = world.send_on_break("Sales", None, ("Break", 60_000), 0);
        assert_eq!(sent, Ok(vec!["SAL001".to_string(), "SAL002".to_string()]));
    }
}
