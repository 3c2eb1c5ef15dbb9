//! Confirming an upload: under the upload's row lock, a pre-flighted upload becomes `sent` and a
//! `dnc_send` job is queued with the audit record, in one transaction. The job itself registers
//! the values and sends them (`send_job`), so confirming stays quick whatever the file's size and
//! a second click finds the upload already sent.

use serde_json::json;

use time::OffsetDateTime;

use super::checking::Summary;
use super::dnc_lists;
use super::upload::{load, view, Stored};
use crate::access::Ctx;
use crate::audit::{self, Actor, AuditEvent, Outcome};
use crate::error::AppError;
use crate::jobs::store::{self, NewJob};
use crate::model::{AuditAction, DncMode, DncUploadView};

/// Refuses an expiry for anything but the organization's own DNC list: the timed removal takes
/// the address off that list (POM cannot make an uncallable contact callable again).
async fn check_expiry(ctx: &Ctx, stored: &Stored) -> Result<(), AppError> {
    let own = match stored.mode {
        DncMode::DncList => dnc_lists(&ctx.state, &stored.organization).await?.1,
        DncMode::Uncallable => None,
    };
    if own.is_some_and(|list| list.id == stored.target_id) {
        return Ok(());
    }
    Err(AppError::validation(
        "off_on",
        "Only entries on the organization's own DNC list can expire.",
    ))
}

/// Queues the sending of an upload's valid values; with `expires_at` its entries come off the
/// organization's DNC list again then (timed DNC).
pub async fn confirm(
    ctx: &Ctx,
    upload_id: i64,
    expires_at: Option<OffsetDateTime>,
) -> Result<DncUploadView, AppError> {
    let state = &ctx.state;
    let stored = load(state, &ctx.user, upload_id).await?;
    if expires_at.is_some() {
        check_expiry(ctx, &stored).await?;
    }
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
        "update dnc_upload set state = 'sent', job_id = $2, expires_at = $3 where dnc_upload_id = $1",
        upload_id,
        job_id,
        expires_at,
    )
    .execute(&mut *tx)
    .await?;
    let event = AuditEvent::new(AuditAction::DncSend, Outcome::Success)
        .with_organization(stored.organization.clone())
        .with_target(stored.target_name.clone())
        .with_parameters(
            json!({ "upload_id": upload_id, "job_id": job_id, "mode": stored.mode.as_str(),
                    "file": stored.file_name, "sha256": stored.file_sha256,
                    "expires_at": expires_at.map(crate::dates::rfc3339) }),
        )
        .with_counts(json!({ "values": summary.valid, "rows": summary.rows }));
    audit::record(&mut *tx, &Actor::user(&ctx.user), &ctx.meta, event).await?;
    store::announce(&mut *tx, job_id).await?;
    tx.commit().await?;
    state.jobs.wake.notify_one();
    view(state, &ctx.user, upload_id).await
}
