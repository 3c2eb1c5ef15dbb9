//! Starting a restore: all or the chosen snapshot contacts of a purge run are marked and a durable
//! job is queued (run by `restore_job`), with the audit record, in one transaction that holds the
//! run's row so two restores or the retention sweep cannot interleave.

use serde_json::json;

use crate::access::Ctx;
use crate::audit::{self, Actor, AuditEvent, Outcome};
use crate::error::AppError;
use crate::jobs::may_see;
use crate::jobs::store::{self, NewJob};
use crate::model::AuditAction;

/// Queues a restore of `ids` (all restorable contacts when empty); returns the job id.
pub async fn start(ctx: &Ctx, purge_run_id: i64, ids: &[String]) -> Result<i64, AppError> {
    let pool = &ctx.state.pool;
    let mut tx = pool.begin().await?;
    let run = sqlx::query!(
        r#"select r.organization, r.contact_list_id, r.contact_list_name, r.snapshot_deleted_at,
                  (select state from job j where j.job_id = r.job_id) as "purge_state!"
           from purge_run r where r.purge_run_id = $1 for update"#,
        purge_run_id
    )
    .fetch_optional(&mut *tx)
    .await?
    .filter(|r| may_see(&ctx.user, &r.organization))
    .ok_or_else(|| AppError::NotFound(format!("Purge run {purge_run_id}")))?;
    if run.snapshot_deleted_at.is_some() {
        return Err(AppError::validation(
            "restore",
            "This run's snapshot was deleted at the end of its retention; nothing can be restored.",
        ));
    }
    if !crate::model::JobState::parse(&run.purge_state)
        .is_some_and(crate::model::JobState::is_final)
    {
        return Err(AppError::validation(
            "restore",
            "The purge is still under way; wait for it to end (or cancel it) before restoring.",
        ));
    }
    let busy = sqlx::query_scalar!(
        r#"select count(*) as "n!" from job where kind = 'restore' and payload->>'purge_run_id' = $1::bigint::text
             and state not in ('completed', 'cancelled', 'failed')"#,
        purge_run_id
    )
    .fetch_one(&mut *tx)
    .await?;
    if busy > 0 {
        return Err(AppError::validation(
            "restore",
            "A restore of this run is already under way.",
        ));
    }
    let chosen = sqlx::query!(
        r#"update purge_contact set restore_state = 'pending', restore_error = null
           where purge_run_id = $1 and state in ('deleted', 'absent') and attributes is not null
             and (restore_state is null or restore_state = 'failed')
             and (cardinality($2::text[]) = 0 or user_contact_id = any($2))"#,
        purge_run_id,
        ids
    )
    .execute(&mut *tx)
    .await?
    .rows_affected() as i64;
    if chosen == 0 {
        return Err(AppError::validation(
            "restore",
            "None of these contacts can be restored (already restored, or never deleted).",
        ));
    }
    let job_id = store::enqueue(
        &mut *tx,
        NewJob {
            kind: crate::model::JobKind::Restore,
            organization: &run.organization,
            created_by: Some(ctx.user.user_id),
            created_by_name: &ctx.user.username,
            payload: json!({ "purge_run_id": purge_run_id }),
            total: chosen,
        },
    )
    .await?;
    let event = AuditEvent::new(AuditAction::PurgeRestoreStart, Outcome::Success)
        .with_organization(run.organization.clone())
        .with_target(format!("{} ({})", run.contact_list_name, run.contact_list_id))
        .with_parameters(json!({ "purge_run_id": purge_run_id, "job_id": job_id, "selection": if ids.is_empty() { "all" } else { "chosen" } }))
        .with_counts(json!({ "contacts": chosen }));
    audit::record(&mut *tx, &Actor::user(&ctx.user), &ctx.meta, event).await?;
    store::announce(&mut *tx, job_id).await?;
    tx.commit().await?;
    ctx.state.jobs.wake.notify_one();
    Ok(job_id)
}
