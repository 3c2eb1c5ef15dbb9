//! The `dnc_send` job. First (once, in one transaction) it runs the pre-flight again on the stored
//! file with the stored choices, registers every valid value as a pending DNC entry (the proof of
//! suppression starts before POM is called) and drops the file. Then it sends the pending entries
//! to POM in batches (DNC list addresses or uncallable contact ids), retrying transient failures,
//! and records what POM accepted (confirmed, with the time) and refused (failed, with the reason)
//! together with the job's counters. POM failing pauses the job with POM's message. This module
//! runs the steps (`register`, then `batches`) and audits how the job ends.

mod batches;
mod register;

use serde_json::{json, Value};

use crate::audit::{self, Actor, AuditEvent, Outcome};
use crate::jobs::runner::{Finish, JobContext, Signal};
use crate::jobs::store;
use crate::model::{AuditAction, DncMode};
use crate::request_meta::RequestMeta;
use batches::{record, send_batch};
use register::{register, Registered};

/// The upload the job sends, as its steps need it.
struct Upload {
    id: i64,
    mode: DncMode,
    target_id: i64,
    target_name: String,
    organization: String,
    file_name: String,
    file_sha256: String,
}

async fn audit(
    ctx: &JobContext,
    upload: &Upload,
    action: AuditAction,
    outcome: Outcome,
    extra: Value,
) -> Result<(), sqlx::Error> {
    let pool = &ctx.state.pool;
    let counts = store::load(pool, ctx.job.job_id).await?.map(|j| json!({ "accepted": j.done, "refused": j.failed, "not_sent": j.skipped, "total": j.total }));
    let requester = sqlx::query_scalar!(
        "select created_by from job where job_id = $1",
        ctx.job.job_id
    )
    .fetch_one(pool)
    .await?;
    let actor = Actor {
        user_id: requester,
        username: Some(ctx.job.created_by_name.clone()),
        organization: Some(upload.organization.clone()),
        ..Actor::default()
    };
    let mut event = AuditEvent::new(action, outcome)
        .with_organization(upload.organization.clone())
        .with_target(upload.target_name.clone())
        .with_parameters(json!({ "upload_id": upload.id, "job_id": ctx.job.job_id, "mode": upload.mode.as_str(),
                                  "file": upload.file_name, "sha256": upload.file_sha256, "detail": extra }));
    if let Some(counts) = counts {
        event = event.with_counts(counts);
    }
    audit::record(pool, &actor, &RequestMeta::background("dnc"), event).await
}

/// Runs (or goes on with) a DNC send job.
pub async fn run(ctx: &JobContext) -> Result<Finish, sqlx::Error> {
    let pool = &ctx.state.pool;
    let upload_id = ctx
        .job
        .payload
        .get("dnc_upload_id")
        .and_then(Value::as_i64)
        .unwrap_or(0);
    let row = sqlx::query!(
        "select mode, target_id, target_name, organization, file_name, file_sha256 from dnc_upload where dnc_upload_id = $1",
        upload_id
    )
    .fetch_one(pool)
    .await?;
    let upload = Upload {
        id: upload_id,
        mode: DncMode::parse(&row.mode).unwrap_or_default(),
        target_id: row.target_id,
        target_name: row.target_name,
        organization: row.organization,
        file_name: row.file_name,
        file_sha256: row.file_sha256,
    };
    match register(ctx, &upload).await? {
        Registered::Done => {}
        Registered::Interrupted => return Ok(Finish::Interrupted),
        Registered::Failed(problem) => {
            audit(
                ctx,
                &upload,
                AuditAction::DncSendFailed,
                Outcome::Failure,
                json!(problem),
            )
            .await?;
            return Ok(Finish::Failed(problem));
        }
    }
    let batch = ctx.state.settings.dnc.batch.max(1) as i64;
    while !ctx.should_stop() {
        let rows = sqlx::query!(
            "select dnc_entry_id, address from dnc_entry where dnc_upload_id = $1 and state = 'pending'
             order by dnc_entry_id limit $2",
            upload_id, batch
        )
        .fetch_all(pool)
        .await?;
        if rows.is_empty() {
            break;
        }
        let ids: Vec<i64> = rows.iter().map(|r| r.dnc_entry_id).collect();
        let values: Vec<String> = rows.into_iter().map(|r| r.address).collect();
        match send_batch(ctx, &upload, &values).await {
            Ok(refused) => {
                if !record(ctx, &ids, &refused).await? {
                    return Ok(Finish::Interrupted);
                }
            }
            Err(error) if ctx.should_stop() => {
                tracing::warn!(error = %error, upload_id, "DNC batch not sent while stopping")
            }
            Err(error) => {
                let message = format!(
                    "Paused: {} Resume when it is fixed; this batch was not recorded as sent.",
                    error.user_message()
                );
                audit(
                    ctx,
                    &upload,
                    AuditAction::DncSendPaused,
                    Outcome::Failure,
                    json!(message),
                )
                .await?;
                return Ok(Finish::Paused(message));
            }
        }
    }
    match ctx.signal() {
        Signal::Shutdown | Signal::Lost => return Ok(Finish::Interrupted),
        Signal::Cancel => {
            let mut tx = pool.begin().await?;
            let undone = sqlx::query!(
                "update dnc_entry set state = 'not_sent', outcome = 'not sent: cancelled by a user'
                 where dnc_upload_id = $1 and state = 'pending'",
                upload_id
            )
            .execute(&mut *tx)
            .await?
            .rows_affected() as i64;
            if !store::commit_progress(tx, ctx.job.job_id, &ctx.worker, (0, 0, undone)).await? {
                return Ok(Finish::Interrupted);
            }
            audit(
                ctx,
                &upload,
                AuditAction::DncSendCancelled,
                Outcome::Failure,
                json!(null),
            )
            .await?;
            return Ok(Finish::Cancelled(format!(
                "Cancelled by a user; {undone} values were not sent."
            )));
        }
        Signal::Go => {}
    }
    let job = store::load(pool, ctx.job.job_id).await?;
    let (accepted, failed) = job.as_ref().map_or((0, 0), |j| (j.done, j.failed));
    let outcome = if failed == 0 {
        Outcome::Success
    } else {
        Outcome::Failure
    };
    audit(
        ctx,
        &upload,
        AuditAction::DncSendCompleted,
        outcome,
        json!(null),
    )
    .await?;
    Ok(Finish::Completed(format!(
        "{accepted} accepted by POM, {failed} refused."
    )))
}
