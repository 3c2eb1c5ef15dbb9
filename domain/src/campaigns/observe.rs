//! Turns a read of POM (catalogue + job list) into board rows: each campaign's newest job, when
//! OCM first saw it in its state (open jobs are written to `campaign_job` when their state
//! changes), and who started it through OCM.

use std::collections::{HashMap, HashSet};

use pom::client::rest::JobSummary;
use pom::client::CampaignInfo;
use sqlx::PgPool;

use crate::dates::rfc3339;
use crate::error::AppError;
use crate::model::{job_is_open, ActionStamp, CampaignJob, CampaignRow};

/// Job id → (state, since) as last written by this server.
pub type Seen = HashMap<i64, (String, String)>;

/// The board rows of one organization, in catalogue order.
pub async fn rows(
    pool: &PgPool,
    seen: &mut Seen,
    organization: &str,
    catalogue: &[CampaignInfo],
    jobs: &[JobSummary],
) -> Result<Vec<CampaignRow>, AppError> {
    let mut newest: HashMap<&str, &JobSummary> = HashMap::new();
    for job in jobs {
        let slot = newest.entry(job.campaign_name.as_str()).or_insert(job);
        if job.job_id > slot.job_id {
            *slot = job;
        }
    }
    // Every open job is tracked (finite campaigns can run several), and so is any job the
    // table still holds as open, so that its end is seen even when it is not the newest.
    let open_known: HashSet<i64> = sqlx::query_scalar!(
        r#"
        select job_id from campaign_job
        where organization = $1 and state in ('JOB_QUEUED', 'JOB_ACTIVE', 'JOB_PAUSED', 'JOB_STOPPING')
        "#,
        organization,
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .collect();
    let names: HashSet<&str> = catalogue.iter().map(|c| c.campaign_name.as_str()).collect();
    let mut since: HashMap<i64, String> = HashMap::new();
    for job in jobs
        .iter()
        .filter(|j| names.contains(j.campaign_name.as_str()))
    {
        let is_newest = newest
            .get(job.campaign_name.as_str())
            .is_some_and(|n| n.job_id == job.job_id);
        if is_newest || job_is_open(&job.job_state) || open_known.contains(&job.job_id) {
            let at = state_since(pool, seen, organization, job).await?;
            since.insert(job.job_id, at);
        }
    }
    // A job POM no longer lists at all cannot be open any more: it ends as "unlisted".
    let listed: HashSet<i64> = jobs.iter().map(|j| j.job_id).collect();
    let vanished: Vec<i64> = open_known
        .iter()
        .copied()
        .filter(|id| !listed.contains(id))
        .collect();
    if !vanished.is_empty() {
        sqlx::query!(
            "update campaign_job set state = 'JOB_UNLISTED', state_since = now() where job_id = any($1)",
            &vanished
        )
        .execute(pool)
        .await?;
        for id in &vanished {
            seen.remove(id);
        }
    }
    let mut rows = Vec::with_capacity(catalogue.len());
    let mut job_ids = Vec::new();
    for campaign in catalogue {
        let job = newest.get(campaign.campaign_name.as_str()).map(|job| {
            job_ids.push(job.job_id);
            CampaignJob {
                job_id: job.job_id,
                state: job.job_state.clone(),
                state_since: since.get(&job.job_id).cloned(),
                started: None,
            }
        });
        rows.push(CampaignRow {
            name: campaign.campaign_name.clone(),
            kind: campaign.campaign_type.clone(),
            finite: campaign.finite,
            lists: campaign.contact_lists.clone(),
            job,
        });
    }
    let starts = started_by(pool, organization, &job_ids).await?;
    for job in rows.iter_mut().filter_map(|r| r.job.as_mut()) {
        job.started = starts.get(&job.job_id).cloned();
    }
    Ok(rows)
}

/// When the job entered its current state as far as OCM knows; written when it changes.
async fn state_since(
    pool: &PgPool,
    seen: &mut Seen,
    organization: &str,
    job: &JobSummary,
) -> Result<String, AppError> {
    if let Some((state, since)) = seen.get(&job.job_id) {
        if *state == job.job_state {
            return Ok(since.clone());
        }
    }
    let written = sqlx::query!(
        r#"
        insert into campaign_job (job_id, organization, campaign, state, first_state)
        values ($1, $2, $3, $4, $4)
        on conflict (job_id) do update set
            state = excluded.state,
            state_since = case when campaign_job.state = excluded.state
                               then campaign_job.state_since else now() end,
            last_seen_at = now()
        returning state_since, (xmax = 0) as "first_sighting!"
        "#,
        job.job_id,
        organization,
        job.campaign_name,
        job.job_state,
    )
    .fetch_one(pool)
    .await?;
    if written.first_sighting {
        link_schedule(pool, organization, job).await?;
    }
    let since = rfc3339(written.state_since);
    seen.insert(job.job_id, (job.job_state.clone(), since.clone()));
    Ok(since)
}

/// A job OCM sees for the first time, not started by an OCM "Start", is the one POM started for
/// the campaign's latest due schedule without a job (due within the last hour: POM starts it at
/// its time, OCM reads POM every few seconds, or every 30 s while nobody watches).
async fn link_schedule(
    pool: &PgPool,
    organization: &str,
    job: &JobSummary,
) -> Result<(), AppError> {
    sqlx::query!(
        r#"
        update campaign_schedule set job_id = $3
        where campaign_schedule_id = (
            select campaign_schedule_id from campaign_schedule
            where organization = $1 and campaign = $2 and job_id is null
              and starts_at <= now() + interval '1 minute'
              and starts_at > now() - interval '1 hour'
              and not exists (select 1 from campaign_action a
                              where a.job_id = $3 and a.action = 'start')
              -- An OCM start still waiting for POM's answer (and its job id) may be this job.
              and not exists (select 1 from campaign_action p
                              where p.organization = $1 and p.campaign = $2
                                and p.action = 'start' and p.outcome = 'pending')
            order by starts_at desc
            limit 1)
        "#,
        organization,
        job.campaign_name,
        job.job_id,
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// Who started each of these jobs through OCM: a "Start", or a schedule POM carried out.
async fn started_by(
    pool: &PgPool,
    organization: &str,
    job_ids: &[i64],
) -> Result<HashMap<i64, ActionStamp>, AppError> {
    if job_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows = sqlx::query!(
        r#"
        select distinct on (job_id) job_id as "job_id!", requested_by_name as "requested_by_name!",
               requested_at as "requested_at!", scheduled as "scheduled!"
        from (select job_id, requested_by_name, requested_at, false as scheduled
              from campaign_action
              where organization = $1 and action = 'start' and outcome = 'ok' and job_id = any($2)
              union all
              select job_id, requested_by_name, requested_at, true
              from campaign_schedule
              where organization = $1 and job_id = any($2)) starts
        order by job_id, requested_at desc
        "#,
        organization,
        job_ids,
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let stamp = ActionStamp {
                username: r.requested_by_name,
                at: rfc3339(r.requested_at),
                scheduled: r.scheduled,
            };
            (r.job_id, stamp)
        })
        .collect())
}
