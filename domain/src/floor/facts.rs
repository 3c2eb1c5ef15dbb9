//! The facts behind the floor's figures, read for one organization's jobs at once: the call
//! data (the jobs' summaries and skips kept by ingestion, their attempts, the zones of contacts
//! passed over outside their window, agents), OCM's campaign actions and emergency mode. Raw
//! call data is read for the last seven days of each job.

use std::collections::HashMap;
use std::sync::Arc;

use sqlx::PgPool;
use time::{Duration, OffsetDateTime};

use super::progress::ProgressCache;
use super::reasons::{JobFacts, OrgFacts};
use super::window::CallingWindow;
use crate::campaigns::emergency;
use crate::error::AppError;

/// How far back the call data of a job is read.
const LOOKBACK: Duration = Duration::days(7);
/// What "recent" covers: attempts and agents' time within it.
pub const RECENT: Duration = Duration::minutes(15);
/// How far back an agent's newest interval is looked for.
const NEWEST_WITHIN: Duration = Duration::hours(1);

/// Where the facts are read and what the answer assumes.
pub struct Reading<'a> {
    pub pool: &'a PgPool,
    pub organization: &'a str,
    pub now: OffsetDateTime,
    pub window: CallingWindow,
    /// Zone of contacts without `phoneNumber1TimeZone`.
    pub default_zone: &'a str,
    /// Jobs' progress through their contacts, kept between workings-out.
    pub progress: &'a Arc<ProgressCache>,
}

fn job(jobs: &mut [JobFacts], id: i64) -> Option<&mut JobFacts> {
    jobs.iter_mut().find(|j| j.job_id == id)
}

/// Fills `jobs` (campaign, id, state and since already set) and returns the organization's facts.
pub async fn gather(reading: &Reading<'_>, jobs: &mut [JobFacts]) -> Result<OrgFacts, AppError> {
    let ids: Vec<i64> = jobs.iter().map(|j| j.job_id).collect();
    let (org, pool) = (reading.organization, reading.pool);
    let since = reading.now - LOOKBACK;
    let recent = reading.now - RECENT;
    // Attempts begun lately: the newest partition and the job index only.
    let recent_attempts = sqlx::query!(
        r#"
        select job_id, count(*) as "n!"
        from call_attempt
        where organization = $1 and job_id = any($2) and occurred_at >= $3 and attempt_at >= $3
        group by job_id
        "#,
        org,
        &ids,
        recent,
    )
    .fetch_all(pool)
    .await?;
    for row in recent_attempts {
        if let Some(j) = job(jobs, row.job_id) {
            j.attempts_recent = row.n;
        }
    }
    let progress = reading.progress.of(pool, org, &ids, since).await?;
    for j in jobs.iter_mut() {
        if let Some(p) = progress.get(&j.job_id) {
            j.contacts_tried = p.contacts_tried;
            j.retry_waiting = p.retry_waiting;
            j.retry_oldest = p.retry_oldest;
        }
    }
    // Skips and the jobs' own events come from the summaries ingestion keeps.
    let summaries = sqlx::query!(
        r#"
        select j.job_id, j.finish_reason, nullif(j.list_contacts, 0) as list_size,
               coalesce(array_agg(s.reason) filter (where s.reason is not null), '{}') as "reasons!",
               coalesce(array_agg(s.contacts) filter (where s.reason is not null), '{}') as "contacts!"
        from report_job j
        left join report_job_skip s using (organization, job_id)
        where j.organization = $1 and j.job_id = any($2)
        group by j.job_id, j.finish_reason, j.list_contacts
        "#,
        org,
        &ids,
    )
    .fetch_all(pool)
    .await?;
    for row in summaries {
        if let Some(j) = job(jobs, row.job_id) {
            j.finish_reason = row.finish_reason;
            j.list_size = row.list_size;
            j.skips = row.reasons.into_iter().zip(row.contacts).collect();
        }
    }
    // When the contacts passed over outside their window may be called: their zones.
    let outside: Vec<i64> = jobs
        .iter()
        .filter(|j| j.skips.iter().any(|(reason, _)| reason == "outside_window"))
        .map(|j| j.job_id)
        .collect();
    let zones = sqlx::query!(
        r#"
        select distinct job_id, coalesce(contact->>'phoneNumber1TimeZone', '') as "zone!"
        from contact_skip
        where organization = $1 and job_id = any($2) and occurred_at >= $3
          and reason = 'outside_window'
        "#,
        org,
        &outside,
        since,
    )
    .fetch_all(pool)
    .await?;
    for row in zones {
        let Some(j) = job(jobs, row.job_id) else {
            continue;
        };
        let zone = if row.zone.is_empty() {
            reading.default_zone
        } else {
            &row.zone
        };
        let opens = reading.window.next_opening(zone, reading.now).or_else(|| {
            reading
                .window
                .next_opening(reading.default_zone, reading.now)
        });
        j.window_open_now |= opens == Some(reading.now);
        j.next_window = match (j.next_window, opens) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
    }
    let actions = sqlx::query!(
        r#"
        select distinct on (job_id) job_id as "job_id!", action,
               case when emergency_stop_id is null then requested_by_name
                    else requested_by_name || '''s emergency stop' end as "by!",
               requested_at
        from campaign_action
        where organization = $1 and job_id = any($2) and outcome = 'ok'
          and action in ('start', 'pause', 'resume', 'stop')
        order by job_id, requested_at desc, campaign_action_id desc
        "#,
        org,
        &ids,
    )
    .fetch_all(pool)
    .await?;
    for row in actions {
        if let Some(j) = job(jobs, row.job_id) {
            j.last_action = Some((row.action, row.by, row.requested_at));
        }
    }
    let agents = agents(reading, &ids).await?;
    for (id, n) in &agents.on_job {
        if let Some(j) = job(jobs, *id) {
            j.agents_on_job = *n;
        }
    }
    Ok(OrgFacts {
        emergency: emergency::mode::in_force(pool, Some(org)).await?,
        agents_logged_in: agents.logged_in,
        // Filled from "Agents now" once it is read (floor.rs).
        agents_now: Vec::new(),
        window: reading.window,
    })
}

struct Agents {
    logged_in: i64,
    on_job: HashMap<i64, i64>,
}

/// Agents whose last session event is a login, and per job those who worked on it recently or
/// whose newest interval (within the hour) was on it (an agent waiting ready has no finished
/// interval yet). Intervals are read by time through their key, never a week of them.
async fn agents(reading: &Reading<'_>, ids: &[i64]) -> Result<Agents, AppError> {
    let (org, pool) = (reading.organization, reading.pool);
    let since = reading.now - LOOKBACK;
    let logged_in: Vec<String> = sqlx::query_scalar!(
        r#"
        select agent_id as "agent_id!" from (
            select distinct on (agent_id) agent_id, event
            from agent_session
            where organization = $1 and occurred_at >= $2
            order by agent_id, occurred_at desc, event
        ) s where event = 'login'
        "#,
        org,
        since,
    )
    .fetch_all(pool)
    .await?;
    let rows = sqlx::query!(
        r#"
        select job_id as "job_id!", count(distinct agent_id) as "n!" from (
            select agent_id, job_id from agent_interval
            where organization = $1 and job_id = any($2) and occurred_at >= $3
            union
            select * from (
                select distinct on (agent_id) agent_id, job_id from agent_interval
                where organization = $1 and agent_id = any($4) and occurred_at >= $5
                order by agent_id, occurred_at desc
            ) newest where job_id = any($2)
        ) worked
        group by job_id
        "#,
        org,
        ids,
        reading.now - RECENT,
        &logged_in,
        reading.now - NEWEST_WITHIN,
    )
    .fetch_all(pool)
    .await?;
    Ok(Agents {
        logged_in: logged_in.len() as i64,
        on_job: rows.into_iter().map(|r| (r.job_id, r.n)).collect(),
    })
}
