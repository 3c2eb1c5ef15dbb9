//! Agents log in when their organization's first job becomes active and log out when its last
//! one finishes (`agent_session` records); a logout closes the agent's ready time, so no
//! interval is left open when the dialling stops.

use super::super::feed::{iso, AgentSession, FeedRecord};
use super::super::world::World;
use super::agent_states::entered;
use super::agents::{interval, About, AgentPool};

fn session(
    organization: &str,
    (agent_id, team): (&str, &str),
    event: &str,
    (login, at): (i64, i64),
) -> (i64, FeedRecord) {
    (
        at,
        FeedRecord::AgentSession(AgentSession {
            organization: organization.to_string(),
            agent_id: agent_id.to_string(),
            team: team.to_string(),
            event: event.to_string(),
            at: iso(at),
            login_at: iso(login),
            seconds: (event == "logout").then_some((at - login) / 1000),
        }),
    )
}

impl AgentPool {
    /// Logs in every logged-out agent at `at`, or once it is free; returns the login records.
    pub fn log_in(&mut self, (organization, at): (&str, i64)) -> Vec<(i64, FeedRecord)> {
        let mut records = Vec::new();
        for agent in self.agents.iter_mut().filter(|a| a.login_ms.is_none()) {
            let from = at.max(agent.free_at_ms);
            (agent.login_ms, agent.ready_since_ms, agent.free_at_ms) = (Some(from), from, from);
            let who = (agent.id.as_str(), agent.team.as_str());
            records.push(session(organization, who, "login", (from, from)));
            records.push(entered(organization, agent, "ready", from, None));
        }
        records
    }

    /// Logs every agent out at `at`, or when its current call or break ends, closing its ready
    /// time; returns the intervals and logout records.
    pub fn log_out(&mut self, (organization, at): (&str, i64)) -> Vec<(i64, FeedRecord)> {
        let mut records = Vec::new();
        for agent in self.agents.iter_mut() {
            let Some(login) = agent.login_ms.take() else {
                continue;
            };
            let out = at.max(agent.free_at_ms);
            if out > agent.ready_since_ms {
                let span = (agent.ready_since_ms, out);
                records.push(interval(
                    organization,
                    agent,
                    "ready",
                    span,
                    About::default(),
                ));
            }
            let who = (agent.id.as_str(), agent.team.as_str());
            records.push(session(organization, who, "logout", (login, out)));
            (agent.ready_since_ms, agent.free_at_ms, agent.job) = (out, out, None);
            records.push(entered(organization, agent, "logged_out", out, None));
        }
        records
    }
}

impl World {
    /// Logs the organization's agents out at `at` when none of its jobs is active any more.
    pub(super) fn log_out_if_idle(&mut self, organization: &str, at: i64) {
        if self.organization_active(organization) {
            return;
        }
        if let Some(pool) = self.dialer.pools.get_mut(organization) {
            let records = pool.log_out((organization, at));
            self.dialer.queue(records);
        }
    }
}
