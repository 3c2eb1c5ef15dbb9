//! "Agents now": the organization's logged-in agents by team and state (not ready by reason),
//! with the agent longest in each, from each agent's newest `agent_state` record. Teams are the
//! feed's (POM's), not OCM's agent → team mapping the agent reports use.

use sqlx::PgPool;
use time::OffsetDateTime;

use crate::dates::rfc3339;
use crate::error::AppError;
use crate::model::AgentsInState;

/// A state held longer than this is taken for a lost logout (a feed reset, a record lost), not
/// shown: no shift keeps an agent in one state for half a day.
const STALE_AFTER: time::Duration = time::Duration::hours(12);

/// The order states are shown in: the floor's flow from waiting to away.
const ORDER: [&str; 6] = [
    "ready",
    "preview",
    "talking",
    "wrap_up",
    "pending_not_ready",
    "not_ready",
];

/// Logged-in agents of `organization` by team, state and reason.
pub async fn now(
    pool: &PgPool,
    organization: &str,
    at: OffsetDateTime,
) -> Result<Vec<AgentsInState>, AppError> {
    let rows = sqlx::query!(
        r#"
        select team, state, aux_reason, count(*) as "agents!",
               (array_agg(agent_id order by since, agent_id))[1] as "longest_agent!",
               min(since) as "longest_since!"
          from agent_state_now
         where organization = $1 and state <> 'logged_out' and since >= $2
         group by team, state, aux_reason
        "#,
        organization,
        at - STALE_AFTER,
    )
    .fetch_all(pool)
    .await?;
    let mut agents: Vec<AgentsInState> = rows
        .into_iter()
        .map(|r| AgentsInState {
            team: r.team,
            state: r.state,
            reason: r.aux_reason,
            agents: r.agents,
            longest_agent: r.longest_agent,
            longest_since: rfc3339(r.longest_since),
            longest_minutes: (at - r.longest_since).whole_minutes().max(0),
        })
        .collect();
    let rank = |state: &str| {
        ORDER
            .iter()
            .position(|s| *s == state)
            .unwrap_or(ORDER.len())
    };
    agents.sort_by(|a, b| {
        (&a.team, rank(&a.state), &a.reason).cmp(&(&b.team, rank(&b.state), &b.reason))
    });
    Ok(agents)
}
