//! Agent intervals and sessions, and inbound calls, into their raw tables with their summaries;
//! agents' state changes, each agent's newest kept in `agent_state_now`.

use sqlx::PgConnection;

use super::super::records::{AgentInterval, AgentSession, AgentState, Inbound};

/// Inserts agent intervals not yet stored, with agent time per day.
pub async fn intervals(
    tx: &mut PgConnection,
    tz: &str,
    rows: &[(i64, &AgentInterval)],
) -> Result<i64, sqlx::Error> {
    if rows.is_empty() {
        return Ok(0);
    }
    let col = |f: fn(&AgentInterval) -> String| rows.iter().map(|(_, r)| f(r)).collect::<Vec<_>>();
    let opt = |f: fn(&AgentInterval) -> Option<String>| {
        rows.iter().map(|(_, r)| f(r)).collect::<Vec<_>>()
    };
    let end: Vec<time::OffsetDateTime> = rows.iter().map(|(_, r)| r.end_at).collect();
    let start: Vec<time::OffsetDateTime> = rows.iter().map(|(_, r)| r.start_at).collect();
    let codes: Vec<Option<i32>> = rows.iter().map(|(_, r)| r.aux_code).collect();
    let seconds: Vec<i32> = rows.iter().map(|(_, r)| r.seconds).collect();
    let jobs: Vec<Option<i64>> = rows.iter().map(|(_, r)| r.job_id).collect();
    let cursors: Vec<i64> = rows.iter().map(|(c, _)| *c).collect();
    sqlx::query_scalar!(
        r#"with new as (
             insert into agent_interval
             select * from unnest($2::timestamptz[], $3::text[], $4::text[], $5::timestamptz[],
                                  $6::text[], $7::text[], $8::int[], $9::text[], $10::int[],
                                  $11::text[], $12::text[], $13::bigint[], $14::text[], $15::text[],
                                  $16::bigint[])
             on conflict do nothing
             returning *)
           select report_add_intervals($1, coalesce(array_agg(new::agent_interval), '{}')) as "added!"
             from new"#,
        tz,
        &end,
        &col(|r| r.organization.clone()),
        &col(|r| r.agent_id.clone()),
        &start,
        &col(|r| r.team.clone()),
        &col(|r| r.state.clone()),
        &codes as &[Option<i32>],
        &opt(|r| r.aux_reason.clone()) as &[Option<String>],
        &seconds,
        &opt(|r| r.session_id.clone()) as &[Option<String>],
        &opt(|r| r.direction.clone()) as &[Option<String>],
        &jobs as &[Option<i64>],
        &opt(|r| r.campaign.clone()) as &[Option<String>],
        &opt(|r| r.campaign_type.clone()) as &[Option<String>],
        &cursors,
    )
    .fetch_one(&mut *tx)
    .await
}

/// Inserts agent logins and logouts not yet stored, with logged-in time per day.
pub async fn sessions(
    tx: &mut PgConnection,
    tz: &str,
    rows: &[(i64, &AgentSession)],
) -> Result<i64, sqlx::Error> {
    if rows.is_empty() {
        return Ok(0);
    }
    let col = |f: fn(&AgentSession) -> String| rows.iter().map(|(_, r)| f(r)).collect::<Vec<_>>();
    let at: Vec<time::OffsetDateTime> = rows.iter().map(|(_, r)| r.at).collect();
    let login: Vec<time::OffsetDateTime> = rows.iter().map(|(_, r)| r.login_at).collect();
    let seconds: Vec<Option<i32>> = rows.iter().map(|(_, r)| r.seconds).collect();
    let cursors: Vec<i64> = rows.iter().map(|(c, _)| *c).collect();
    sqlx::query_scalar!(
        r#"with new as (
             insert into agent_session
             select * from unnest($2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::text[],
                                  $7::timestamptz[], $8::int[], $9::bigint[])
             on conflict do nothing
             returning *)
           select report_add_sessions($1, coalesce(array_agg(new::agent_session), '{}')) as "added!"
             from new"#,
        tz,
        &at,
        &col(|r| r.organization.clone()),
        &col(|r| r.agent_id.clone()),
        &col(|r| r.event.clone()),
        &col(|r| r.team.clone()),
        &login,
        &seconds as &[Option<i32>],
        &cursors,
    )
    .fetch_one(&mut *tx)
    .await
}

/// Inserts agents' state changes not yet stored and keeps each agent's newest in
/// `agent_state_now` (replaced only by a newer record: by time, then cursor).
pub async fn states(
    tx: &mut PgConnection,
    rows: &[(i64, &AgentState)],
) -> Result<i64, sqlx::Error> {
    if rows.is_empty() {
        return Ok(0);
    }
    let col = |f: fn(&AgentState) -> String| rows.iter().map(|(_, r)| f(r)).collect::<Vec<_>>();
    let opt =
        |f: fn(&AgentState) -> Option<String>| rows.iter().map(|(_, r)| f(r)).collect::<Vec<_>>();
    let at: Vec<time::OffsetDateTime> = rows.iter().map(|(_, r)| r.at).collect();
    let aux_codes: Vec<Option<i32>> = rows.iter().map(|(_, r)| r.aux_code).collect();
    let jobs: Vec<Option<i64>> = rows.iter().map(|(_, r)| r.job_id).collect();
    let cursors: Vec<i64> = rows.iter().map(|(c, _)| *c).collect();
    sqlx::query_scalar!(
        r#"with new as (
             insert into agent_state
             select * from unnest($1::timestamptz[], $2::text[], $3::text[], $4::text[], $5::text[],
                                  $6::int[], $7::text[], $8::bigint[], $9::text[], $10::bigint[])
             on conflict do nothing
             returning *),
           newest as (
             select distinct on (organization, agent_id) * from new
              order by organization, agent_id, occurred_at desc, feed_cursor desc),
           kept as (
             insert into agent_state_now as s
             select organization, agent_id, team, state, aux_code, aux_reason, occurred_at, job_id,
                    campaign, feed_cursor
               from newest
             on conflict (organization, agent_id) do update set
                 team = excluded.team, state = excluded.state, aux_code = excluded.aux_code,
                 aux_reason = excluded.aux_reason, since = excluded.since,
                 job_id = excluded.job_id, campaign = excluded.campaign,
                 feed_cursor = excluded.feed_cursor
             where (s.since, s.feed_cursor) < (excluded.since, excluded.feed_cursor))
           select count(*) as "added!" from new"#,
        &at,
        &col(|r| r.organization.clone()),
        &col(|r| r.agent_id.clone()),
        &col(|r| r.team.clone()),
        &col(|r| r.state.clone()),
        &aux_codes as &[Option<i32>],
        &opt(|r| r.aux_reason.clone()) as &[Option<String>],
        &jobs as &[Option<i64>],
        &opt(|r| r.campaign.clone()) as &[Option<String>],
        &cursors,
    )
    .fetch_one(&mut *tx)
    .await
}

/// Inserts inbound calls (answered and abandoned) not yet stored, with calls per hour.
pub async fn inbound(
    tx: &mut PgConnection,
    tz: &str,
    rows: &[(i64, &Inbound)],
) -> Result<i64, sqlx::Error> {
    if rows.is_empty() {
        return Ok(0);
    }
    let col = |f: fn(&Inbound) -> String| rows.iter().map(|(_, r)| f(r)).collect::<Vec<_>>();
    let opt =
        |f: fn(&Inbound) -> Option<String>| rows.iter().map(|(_, r)| f(r)).collect::<Vec<_>>();
    let int = |f: fn(&Inbound) -> i32| rows.iter().map(|(_, r)| f(r)).collect::<Vec<_>>();
    let arrived: Vec<time::OffsetDateTime> = rows.iter().map(|(_, r)| r.arrived_at).collect();
    let ended: Vec<time::OffsetDateTime> = rows.iter().map(|(_, r)| r.ended_at).collect();
    let answered: Vec<bool> = rows.iter().map(|(_, r)| r.answered).collect();
    let cursors: Vec<i64> = rows.iter().map(|(c, _)| *c).collect();
    sqlx::query_scalar!(
        r#"with new as (
             insert into inbound_call
             select * from unnest($2::timestamptz[], $3::text[], $4::text[], $5::bool[], $6::text[],
                                  $7::text[], $8::timestamptz[], $9::int[], $10::text[], $11::text[],
                                  $12::int[], $13::int[], $14::bigint[])
             on conflict do nothing
             returning *)
           select report_add_inbound($1, coalesce(array_agg(new::inbound_call), '{}')) as "added!"
             from new"#,
        tz,
        &arrived,
        &col(|r| r.organization.clone()),
        &col(|r| r.call_id.clone()),
        &answered,
        &col(|r| r.queue.clone()),
        &col(|r| r.caller.clone()),
        &ended,
        &int(|r| r.wait_seconds),
        &opt(|r| r.agent_id.clone()) as &[Option<String>],
        &opt(|r| r.team.clone()) as &[Option<String>],
        &int(|r| r.talk_seconds),
        &int(|r| r.wrap_up_seconds),
        &cursors,
    )
    .fetch_one(&mut *tx)
    .await
}
