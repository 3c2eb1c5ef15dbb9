//! Starting a restore: all or the chosen snapshot contacts of a purge run are marked and a durable
//! job is queued (run by `restore_job`), with the audit record, in one transaction that holds the
//! run's row so two restores or the retention sweep cannot interleave. Restoring all is confirmed
//! as a purge is: the typed number must be the number of contacts it would restore.

use serde_json::json;
use types::words::plural;

use super::start::typed_number;
use crate::access::Ctx;
use crate::audit::{self, Actor, AuditEvent, Outcome};
use crate::error::AppError;
use crate::jobs::may_see;
use crate::jobs::store::{self, NewJob};
use crate::model::AuditAction;

/// The field the restore-all confirmation is typed into, as the run's page labels it.
pub const COUNT_FIELD: &str = "restore_count";

/// Refuses a restore-all whose typed number is not `chosen`, the contacts it would restore.
fn check_typed_count(typed_count: Option<&str>, chosen: i64) -> Result<(), AppError> {
    if typed_count.and_then(typed_number) == Some(chosen) {
        return Ok(());
    }
    Err(AppError::validation(
        COUNT_FIELD,
        format!(
            "Type {chosen} in “Contacts to restore” to restore all {}.",
            plural(chosen, "contact", "contacts")
        ),
    ))
}

/// Queues a restore of `ids`, or of all restorable contacts when `ids` is empty (then
/// `typed_count` must be their number); returns the job id.
pub async fn start(
    ctx: &Ctx,
    purge_run_id: i64,
    ids: &[String],
    typed_count: Option<&str>,
) -> Result<i64, AppError> {
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
        r#"select count(*) as "n!" from job where kind in ('restore', 'purge_retry')
             and payload->>'purge_run_id' = $1::bigint::text
             and state not in ('completed', 'cancelled', 'failed')"#,
        purge_run_id
    )
    .fetch_one(&mut *tx)
    .await?;
    if busy > 0 {
        return Err(AppError::validation(
            "restore",
            "A restore or a retry of this run is already under way; wait for it to end.",
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
    // Dropping the transaction un-marks the contacts.
    if ids.is_empty() {
        check_typed_count(typed_count, chosen)?;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn restore_all_needs_the_exact_number_typed() {
        assert!(check_typed_count(Some("12,693"), 12_693).is_ok());
        assert!(check_typed_count(Some(" 12 693 "), 12_693).is_ok());
        for typed in [None, Some(""), Some("12692"), Some("all")] {
            match check_typed_count(typed, 12_693) {
                Err(AppError::Validation { field, message }) => {
                    assert_eq!(field, COUNT_FIELD);
                    assert!(message.contains("“Contacts to restore”"), "{message}");
                    assert!(message.contains("all 12,693 contacts"), "{message}");
                }
                other => panic!("{typed:?}: {other:?}"),
            }
        }
        let one = format!("{:?}", check_typed_count(Some("2"), 1));
        assert!(one.contains("all 1 contact."), "{one}");
    }
}
