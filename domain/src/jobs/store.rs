//! The `job` table: queueing, claiming (`FOR UPDATE SKIP LOCKED`, stale heartbeats taken over),
//! heartbeats, progress counters and the end of a job. Every change announces the job on
//! [`super::CHANNEL`].

use sqlx::{PgExecutor, PgPool};
use time::OffsetDateTime;

use super::{JobRow, CHANNEL};
use crate::model::{JobKind, JobState};

/// A job row as the table holds it: kind and state as text, read into a [`JobRow`] by `From`.
#[derive(Debug, Clone)]
pub struct StoredJob {
    pub job_id: i64,
    pub kind: String,
    pub organization: String,
    pub created_by_name: String,
    pub state: String,
    pub payload: serde_json::Value,
    pub total: i64,
    pub done: i64,
    pub failed: i64,
    pub skipped: i64,
    pub message: Option<String>,
    pub run_started_at: Option<OffsetDateTime>,
    pub processed_at_run_start: i64,
    pub created_at: OffsetDateTime,
    pub finished_at: Option<OffsetDateTime>,
}

impl From<StoredJob> for JobRow {
    fn from(stored: StoredJob) -> Self {
        JobRow {
            job_id: stored.job_id,
            kind: JobKind::parse(&stored.kind).ok_or(stored.kind),
            organization: stored.organization,
            created_by_name: stored.created_by_name,
            // The table's check admits only known states; one added by a later version reads
            // as failed here (nothing more happens to it on this build).
            state: JobState::parse(&stored.state).unwrap_or(JobState::Failed),
            payload: stored.payload,
            total: stored.total,
            done: stored.done,
            failed: stored.failed,
            skipped: stored.skipped,
            message: stored.message,
            run_started_at: stored.run_started_at,
            processed_at_run_start: stored.processed_at_run_start,
            created_at: stored.created_at,
            finished_at: stored.finished_at,
        }
    }
}

/// Who queues a job.
pub struct NewJob<'a> {
    pub kind: JobKind,
    pub organization: &'a str,
    pub created_by: Option<i64>,
    pub created_by_name: &'a str,
    pub payload: serde_json::Value,
    pub total: i64,
}

/// Queues a job (inside the caller's transaction, with the records it works on).
pub async fn enqueue(executor: impl PgExecutor<'_>, job: NewJob<'_>) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(
        r#"insert into job (kind, organization, created_by, created_by_name, payload, total)
           values ($1, $2, $3, $4, $5, $6) returning job_id"#,
        job.kind.as_str(),
        job.organization,
        job.created_by,
        job.created_by_name,
        job.payload,
        job.total,
    )
    .fetch_one(executor)
    .await
}

/// Tells every instance that the job changed.
pub async fn announce(executor: impl PgExecutor<'_>, job_id: i64) -> Result<(), sqlx::Error> {
    sqlx::query!("select pg_notify($1, $2)", CHANNEL, job_id.to_string())
        .execute(executor)
        .await?;
    Ok(())
}

/// One job.
pub async fn load(pool: &PgPool, job_id: i64) -> Result<Option<JobRow>, sqlx::Error> {
    let stored = sqlx::query_as!(
        StoredJob,
        r#"select job_id, kind, organization, created_by_name, state, payload, total, done, failed,
                  skipped, message, run_started_at, processed_at_run_start, created_at, finished_at
           from job where job_id = $1"#,
        job_id
    )
    .fetch_optional(pool)
    .await?;
    Ok(stored.map(JobRow::from))
}

/// Moves a job from one of `from` to `to`; refused (row not found) when it is in another state.
pub async fn set_state(
    executor: impl PgExecutor<'_>,
    job_id: i64,
    from: &[JobState],
    to: JobState,
) -> Result<(), sqlx::Error> {
    let from: Vec<String> = from.iter().map(|s| s.as_str().to_string()).collect();
    sqlx::query!(
        r#"with changed as (
               update job set state = $3,
                      message = case when $3 = 'queued' then null else message end
               where job_id = $1 and state = any($2) returning job_id)
           select pg_notify($4, job_id::text) from changed"#,
        job_id,
        &from,
        to.as_str(),
        CHANNEL,
    )
    .fetch_optional(executor)
    .await?
    .ok_or(sqlx::Error::RowNotFound)?;
    Ok(())
}

/// Claims the oldest job of one of `kinds` (those the caller has handlers for) that is queued,
/// or whose worker stopped sending heartbeats, for `worker`. Several instances may call this at
/// once: each job goes to one of them; a job of another kind is left for an instance that runs it.
pub async fn claim(
    pool: &PgPool,
    worker: &str,
    stale_after_seconds: f64,
    kinds: &[String],
) -> Result<Option<JobRow>, sqlx::Error> {
    let row = sqlx::query_as!(
        StoredJob,
        r#"update job set
               state = case when state = 'cancel_requested' then state else 'running' end,
               worker = $1, heartbeat_at = now(), claims = claims + 1,
               started_at = coalesce(started_at, now()), run_started_at = now(),
               processed_at_run_start = done + failed + skipped
           where job_id = (
               select job_id from job
               where kind = any($3)
                 and (state = 'queued'
                      or (state in ('running', 'cancel_requested')
                          and (heartbeat_at is null
                               or heartbeat_at < now() - make_interval(secs => $2))))
               order by job_id
               for update skip locked
               limit 1)
           returning job_id, kind, organization, created_by_name, state, payload, total, done,
                     failed, skipped, message, run_started_at, processed_at_run_start, created_at,
                     finished_at"#,
        worker,
        stale_after_seconds,
        kinds,
    )
    .fetch_optional(pool)
    .await?;
    if let Some(row) = &row {
        announce(pool, row.job_id).await?;
    }
    Ok(row.map(JobRow::from))
}

/// Renews the worker's hold on the job; `None` when another instance took it over (or it ended).
pub async fn heartbeat(
    pool: &PgPool,
    job_id: i64,
    worker: &str,
) -> Result<Option<JobState>, sqlx::Error> {
    let state = sqlx::query_scalar!(
        "update job set heartbeat_at = now() where job_id = $1 and worker = $2
           and state in ('running', 'cancel_requested') returning state",
        job_id,
        worker
    )
    .fetch_optional(pool)
    .await?;
    Ok(state.as_deref().and_then(JobState::parse))
}

/// Adds to the counters (in the transaction that records the items they count). Only the
/// worker holding the claim may; `false` means it lost the job and must roll back and stop.
pub async fn add_progress(
    executor: impl PgExecutor<'_>,
    job_id: i64,
    worker: &str,
    done: i64,
    failed: i64,
    skipped: i64,
) -> Result<bool, sqlx::Error> {
    let changed = sqlx::query!(
        r#"with changed as (
               update job set done = done + $3, failed = failed + $4, skipped = skipped + $5
               where job_id = $1 and worker = $2 returning job_id)
           select pg_notify($6, job_id::text) from changed"#,
        job_id,
        worker,
        done,
        failed,
        skipped,
        CHANNEL,
    )
    .fetch_optional(executor)
    .await?;
    Ok(changed.is_some())
}

/// Adds to the counters and commits the caller's transaction (the items' outcomes), or rolls it
/// back when the worker no longer holds the job; `false` then.
pub async fn commit_progress(
    mut tx: sqlx::Transaction<'_, sqlx::Postgres>,
    job_id: i64,
    worker: &str,
    counts: (i64, i64, i64),
) -> Result<bool, sqlx::Error> {
    let (done, failed, skipped) = counts;
    if add_progress(&mut *tx, job_id, worker, done, failed, skipped).await? {
        tx.commit().await?;
        Ok(true)
    } else {
        tx.rollback().await?;
        Ok(false)
    }
}

/// Ends the worker's claim: a final state, or `paused` with the reason. Only the holder may.
pub async fn release(
    executor: impl PgExecutor<'_>,
    job_id: i64,
    worker: &str,
    state: JobState,
    message: Option<&str>,
) -> Result<bool, sqlx::Error> {
    let changed = sqlx::query!(
        // A cancel requested while the worker was stopping for other reasons stands: the job
        // stays `cancel_requested` so the next claim finishes it as cancelled.
        r#"with changed as (
               update job set
                      state = case when state = 'cancel_requested' and $3 in ('queued', 'paused')
                                   then state else $3 end,
                      message = $4, worker = null, heartbeat_at = null,
                      finished_at = case when $5 then now() else null end
               where job_id = $1 and worker = $2 returning job_id)
           select pg_notify($6, job_id::text) from changed"#,
        job_id,
        worker,
        state.as_str(),
        message,
        state.is_final(),
        CHANNEL,
    )
    .fetch_optional(executor)
    .await?;
    Ok(changed.is_some())
}
