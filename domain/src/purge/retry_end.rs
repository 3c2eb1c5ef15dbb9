//! The retry job's end: cancelled (what was not tried again stays failed) or completed (the list
//! measured again for the after-counts, the purge job's summary brought up to date), each with
//! its closing audit record in the name of whoever asked for the retry.

use serde_json::json;

use super::finish::{self, RunRef};
use super::retry_job::Run;
use crate::audit::{self, Actor, AuditEvent, Outcome};
use crate::jobs::runner::{Finish, JobContext};
use crate::jobs::store;
use crate::model::AuditAction;
use crate::request_meta::RequestMeta;

/// "1 failed delete", "3 failed deletes".
pub(super) fn failed_deletes(count: i64) -> String {
    if count == 1 {
        "1 failed delete".to_string()
    } else {
        format!("{count} failed deletes")
    }
}

/// Cancel: the contacts not tried again stay failed (counted as skipped, so the job adds up).
pub(super) async fn cancelled(ctx: &JobContext, run: &Run) -> Result<Finish, sqlx::Error> {
    let mut tx = ctx.state.pool.begin().await?;
    let undone = sqlx::query!(
        "update purge_contact set retry_pending = false where purge_run_id = $1 and retry_pending",
        run.purge_run_id
    )
    .execute(&mut *tx)
    .await?
    .rows_affected() as i64;
    if !store::commit_progress(tx, ctx.job.job_id, &ctx.worker, (0, 0, undone)).await? {
        return Ok(Finish::Interrupted);
    }
    audit_end(ctx, run, None).await?;
    Ok(Finish::Cancelled(format!(
        "Cancelled by a user; {} not tried again.",
        failed_deletes(undone)
    )))
}

/// Every marked contact has its outcome: measure the list again, say so on the purge job too.
pub(super) async fn completed(ctx: &JobContext, run: &Run) -> Result<Finish, sqlx::Error> {
    let pool = &ctx.state.pool;
    let measured = finish::measure(
        ctx,
        &RunRef {
            purge_run_id: run.purge_run_id,
            list_id: run.list_id,
        },
    )
    .await?;
    let (deleted, absent, failed, _) = finish::outcome_counts(pool, run.purge_run_id).await?;
    let mut purge_summary = format!(
        "{} deleted, {failed} failed, after a retry of the failed deletes.",
        deleted + absent
    );
    if let Err(message) = &measured {
        purge_summary.push_str(&format!(" The after-counts could not be read: {message}"));
    }
    let mut tx = pool.begin().await?;
    sqlx::query!(
        "update job set message = $2 where job_id = $1",
        run.purge_job_id,
        purge_summary
    )
    .execute(&mut *tx)
    .await?;
    store::announce(&mut *tx, run.purge_job_id).await?;
    tx.commit().await?;
    audit_end(ctx, run, measured.ok()).await?;
    let job = store::load(pool, ctx.job.job_id).await?;
    Ok(Finish::Completed(job.map_or_else(
        || "Retry finished.".to_string(),
        |j| format!("{} deleted, {} failed again.", j.done, j.failed),
    )))
}

/// The closing audit record, in the name of whoever asked for the retry.
async fn audit_end(
    ctx: &JobContext,
    run: &Run,
    list_total_after: Option<i64>,
) -> Result<(), sqlx::Error> {
    let pool = &ctx.state.pool;
    let job = store::load(pool, ctx.job.job_id).await?;
    let failed_again = job.as_ref().map_or(0, |j| j.failed);
    let outcome = if list_total_after.is_some() && failed_again == 0 {
        Outcome::Success
    } else {
        Outcome::Failure
    };
    let actor = Actor {
        user_id: None,
        username: Some(ctx.job.created_by_name.clone()),
        role: None,
        organization: Some(run.organization.clone()),
    };
    let mut event = AuditEvent::new(AuditAction::PurgeRetryCompleted, outcome)
        .with_organization(run.organization.clone())
        .with_target(format!("{} ({})", run.list_name, run.list_id))
        .with_parameters(json!({
            "purge_run_id": run.purge_run_id, "job_id": ctx.job.job_id, "purge_job_id": run.purge_job_id,
        }));
    if let Some(j) = job {
        event = event.with_counts(json!({
            "deleted": j.done, "failed_again": j.failed, "not_tried": j.skipped,
            "list_total_after": list_total_after,
        }));
    }
    audit::record(pool, &actor, &RequestMeta::background("purge_retry"), event).await
}

#[cfg(test)]
mod tests {
    use super::failed_deletes;

    #[test]
    fn counts_read_naturally() {
        assert_eq!(failed_deletes(1), "1 failed delete");
        assert_eq!(failed_deletes(3), "3 failed deletes");
    }
}
