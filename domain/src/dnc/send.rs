//! Confirming an upload: under the upload's row lock, a pre-flighted upload becomes `sent` and a
//! `dnc_send` job is queued with the audit record, in one transaction. The job itself registers
//! the values and sends them (`send_job`), so confirming stays quick whatever the file's size and
//! a second click finds the upload already sent.

use serde_json::json;

use super::checking::Summary;
use super::upload::{load, view};
use crate::access::Ctx;
use crate::audit::{self, Actor, AuditEvent, Outcome};
use crate::error::AppError;
use crate::jobs::store::{self, NewJob};
use crate::model::{AuditAction, DncUploadView};

/// Queues the sending of an upload's valid values.
pub async fn confirm(ctx: &Ctx, upload_id: i64) -> Result<DncUploadView, AppError> {
    let state = &ctx.state;
    let stored = load(state, &ctx.user, upload_id).await?;
    let mut tx = state.pool.begin().await?;
    let locked = sqlx::query!(
        "select state, preflight from dnc_upload where dnc_upload_id = $1 for update",
        upload_id
    )
    .fetch_one(&mut *tx)
    .await?;
    if locked.state != "preflight" {
        return Err(AppError::validation(
            "upload",
            "This upload was already sent (or refused).",
        ));
    }
    let summary: Summary = locked
        .preflight
        .and_then(|p| serde_json::from_value(p).ok())
        .unwrap_or_default();
    if summary.valid_sha256.is_none() {
        return Err(AppError::validation(
            "upload",
            "This file was checked by an earlier version of OCM, whose phone rules differ: press \
             “Check again”, look at the numbers as they will be sent, then send.",
        ));
    }
    if summary.valid == 0 {
        return Err(AppError::validation(
            "upload",
            "The file has no valid value to send.",
        ));
    }
    let job_id = store::enqueue(
        &mut *tx,
        NewJob {
            kind: crate::model::JobKind::DncSend,
            organization: &stored.organization,
            created_by: ctx.user.stored_id(),
            created_by_name: &ctx.user.username,
            payload: json!({ "dnc_upload_id": upload_id }),
            total: summary.valid as i64,
        },
    )
    .await?;
    sqlx::query!(
        "update dnc_upload set state = 'sent', job_id = $2 where dnc_upload_id = $1",
        upload_id,
        job_id
    )
    .execute(&mut *tx)
    .await?;
    let event = AuditEvent::new(AuditAction::DncSend, Outcome::Success)
        .with_organization(stored.organization.clone())
        .with_target(stored.target_name.clone())
        .with_parameters(
            json!({ "upload_id": upload_id, "job_id": job_id, "mode": stored.mode.as_str(),
                                  "file": stored.file_name, "sha256": stored.file_sha256 }),
        )
        .with_counts(json!({ "values": summary.valid, "rows": summary.rows }));
    audit::record(&mut *tx, &Actor::user(&ctx.user), &ctx.meta, event).await?;
    store::announce(&mut *tx, job_id).await?;
    tx.commit().await?;
    state.jobs.wake.notify_one();
    view(state, &ctx.user, upload_id).await
}
