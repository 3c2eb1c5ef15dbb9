//! Retrying a purge run's failed deletes (contacts still being dialled after every try) without
//! defining a new purge: the failed contacts are marked and a durable job is queued (run by
//! `retry_job`), with the audit record, in one transaction that holds the run's row. The snapshot
//! already holds these contacts: it was written, whole, before the first delete was tried.

use serde_json::json;

use super::history::visible_run;
use super::start::lock_list;
use crate::access::Ctx;
use crate::audit::{self, Actor, AuditEvent, Outcome};
use crate::error::AppError;
use crate::jobs::may_see;
use crate::jobs::store::{self, NewJob};
use crate::model::{AuditAction, CurrentUser, JobKind, JobView};
use crate::state::AppState;

/// The latest retry job of a run the user may see, if any.
pub async fn latest_job(
    state: &AppState,
    user: &CurrentUser,
    purge_run_id: i64,
) -> Result<Option<JobView>, AppError> {
    visible_run(state, user, purge_run_id).await?;
    let job_id = sqlx::query_scalar!(
        "select job_id from job where kind = 'purge_retry' and payload->>'purge_run_id' = $1::bigint::text
         order by job_id desc limit 1",
        purge_run_id
    )
    .fetch_optional(&state.pool)
    .await?;
    Ok(match job_id {
        Some(id) => store::load(&state.pool, id).await?.map(|j| j.view()),
        None => None,
    })
}

/// How long after its purge ended a run's failed deletes may be retried: the contacts were read
/// (and snapshotted) by the purge; much later they may have changed or stopped matching, and a
/// new purge (with its own dry run and snapshot) is the honest way to delete them.
const RETRY_WINDOW_HOURS: i32 = 24;

/// Queues a retry of the run's failed deletes; returns the job id.
pub async fn start(ctx: &Ctx, purge_run_id: i64) -> Result<i64, AppError> {
    let missing = || AppError::NotFound(format!("Purge run {purge_run_id}"));
    let list_id = sqlx::query_scalar!(
        "select contact_list_id from purge_run where purge_run_id = $1",
        purge_run_id
    )
    .fetch_optional(&ctx.state.pool)
    .await?
    .ok_or_else(missing)?;
    let mut tx = ctx.state.pool.begin().await?;
    // One deleting start per list at a time (a purge's start takes the same lock).
    lock_list(&mut tx, list_id).await?;
    // Locked as restore::start and the retention sweep lock it, so none of them interleave.
    let run = sqlx::query!(
        r#"select r.organization, r.contact_list_id, r.contact_list_name, r.snapshot_deleted_at,
                  r.job_id, coalesce(j.finished_at < now() - make_interval(hours => $2), false) as "too_old!"
           from purge_run r join job j on j.job_id = r.job_id
           where r.purge_run_id = $1 for update of r"#,
        purge_run_id,
        RETRY_WINDOW_HOURS,
    )
    .fetch_optional(&mut *tx)
    .await?
    .filter(|r| may_see(&ctx.user, &r.organization))
    .ok_or_else(missing)?;
    if run.too_old {
        return Err(AppError::validation(
            "retry",
            "This purge ended more than a day ago: its contacts may have changed or stopped \
             matching since. Define a new purge (with its own dry run) to delete them.",
        ));
    }
    if run.snapshot_deleted_at.is_some() {
        return Err(AppError::validation(
            "retry",
            "This run's snapshot was deleted at the end of its retention; its failed deletes \
             can no longer be retried (they could not be restored). Define a new purge instead.",
        ));
    }
    // Any run of the list: two jobs deleting from one list would count each other's deletes.
    let busy = sqlx::query_scalar!(
        r#"select count(*) as "n!" from purge_run r join job j
             on j.job_id = r.job_id
             or (j.kind in ('restore', 'purge_retry') and j.payload->>'purge_run_id' = r.purge_run_id::text)
           where r.contact_list_id = $1 and j.state not in ('completed', 'cancelled', 'failed')"#,
        run.contact_list_id
    )
    .fetch_one(&mut *tx)
    .await?;
    if busy > 0 {
        return Err(AppError::validation(
            "retry",
            "Another job on this list (a purge, a restore or a retry) is under way; wait for it to end.",
        ));
    }
    // Only contacts whose snapshot is whole: a retried delete must stay restorable.
    let chosen = sqlx::query!(
        "update purge_contact set retry_pending = true
         where purge_run_id = $1 and state = 'failed' and attributes is not null",
        purge_run_id
    )
    .execute(&mut *tx)
    .await?
    .rows_affected() as i64;
    if chosen == 0 {
        return Err(AppError::validation(
            "retry",
            "No delete of this run failed; there is nothing to retry.",
        ));
    }
    let job_id = store::enqueue(
        &mut *tx,
        NewJob {
            kind: JobKind::PurgeRetry,
            organization: &run.organization,
            created_by: Some(ctx.user.user_id),
            created_by_name: &ctx.user.username,
            payload: json!({ "purge_run_id": purge_run_id }),
            total: chosen,
        },
    )
    .await?;
    let event = AuditEvent::new(AuditAction::PurgeRetryStart, Outcome::Success)
        .with_organization(run.organization.clone())
        .with_target(format!(
            "{} ({})",
            run.contact_list_name, run.contact_list_id
        ))
        .with_parameters(json!({
            "purge_run_id": purge_run_id, "job_id": job_id, "purge_job_id": run.job_id,
            "snapshot": "stored before the first try",
        }))
        .with_counts(json!({ "contacts": chosen }));
    audit::record(&mut *tx, &Actor::user(&ctx.user), &ctx.meta, event).await?;
    store::announce(&mut *tx, job_id).await?;
    tx.commit().await?;
    ctx.state.jobs.wake.notify_one();
    Ok(job_id)
}
