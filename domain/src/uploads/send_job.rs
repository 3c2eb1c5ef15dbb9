//! The `contact_upload` job, step by step from the upload's stored state, so that a restart goes
//! on where it stopped: `queued` → the converted file to the SFTP drop (temporary name, rename,
//! size check, pinned host key) → `uploaded` → the data source scheduled to run once at now + the
//! start delay in the configured zone (if POM refuses, the file is taken back from the drop) →
//! `scheduled` → followed to the end (`follow.rs`). A file over POM's file limit goes as parts
//! (`parts`): each part goes through these states in turn, the next one queued only once POM has
//! completed the import of the one before (a data source runs once per schedule). SFTP failures
//! pause the job with the reason (nothing reached POM; resume once fixed). This module sequences
//! the steps; the steps and what they share (`job_steps`) never call back into it.

use serde_json::{json, Value};

use super::follow::{self, Followed};
use super::import_end::completed;
use super::job_steps::{audit_step, drop_client, fail, set_state, take_back, Upload};
use super::{parts, run_once};
use crate::audit::Outcome;
use crate::jobs::runner::{Finish, JobContext, Signal};
use crate::model::{AuditAction, UploadState};

/// Puts the converted file (its current part) on the drop; `Some(finish)` when the job must stop
/// here.
async fn hand_over(ctx: &JobContext, upload: &Upload) -> Result<Option<Finish>, sqlx::Error> {
    let Some(base) = ctx.state.sftp.as_ref() else {
        let message = "No SFTP drop is configured for OCM (OCM_SFTP_HOST); nothing was sent.";
        set_state(ctx, upload.id, UploadState::Queued, Some(message)).await?;
        return Ok(Some(Finish::Paused(message.into())));
    };
    let Some(converted) = parts::current(ctx, upload).await? else {
        let problem = format!(
            "The converted file of this upload has been erased or changed; {}.",
            upload.imported_before().to_lowercase()
        );
        return fail(ctx, upload, problem).await.map(Some);
    };
    let (client, name) = drop_client(base, &upload.remote_path);
    match client.upload(&converted, &name).await {
        Ok(report) => {
            set_state(ctx, upload.id, UploadState::Uploaded, None).await?;
            let detail = json!({ "remote_path": report.remote_path, "bytes": report.bytes, "sha256": report.sha256 });
            audit_step(
                ctx,
                upload,
                AuditAction::UploadTransferred,
                Outcome::Success,
                detail,
            )
            .await?;
            Ok(None)
        }
        Err(error) => {
            let message = format!("The file could not be put on the SFTP drop: {error}. Nothing reached POM; resume once this is fixed.");
            tracing::warn!(upload = upload.id, error = %error, "SFTP upload failed");
            set_state(ctx, upload.id, UploadState::Queued, Some(&message)).await?;
            audit_step(
                ctx,
                upload,
                AuditAction::UploadTransferFailed,
                Outcome::Failure,
                json!(error.to_string()),
            )
            .await?;
            Ok(Some(Finish::Paused(message)))
        }
    }
}

/// Runs (or goes on with) a contact upload job.
pub async fn run(ctx: &JobContext) -> Result<Finish, sqlx::Error> {
    let id = ctx
        .job
        .payload
        .get("contact_upload_id")
        .and_then(Value::as_i64)
        .unwrap_or(0);
    let row = sqlx::query!(
        r#"select organization, list_id, list_name, data_source, remote_path, file_name, state,
                  job_id, problem, part, coalesce(array_length(part_ends, 1), 1) as "parts!"
           from contact_upload where contact_upload_id = $1"#,
        id
    )
    .fetch_one(&ctx.state.pool)
    .await?;
    if row.job_id != Some(ctx.job.job_id) {
        return Ok(Finish::Failed("Another job sends this upload.".into()));
    }
    // A job run again after its upload ended (a crash before the job was released) ends the
    // same way without touching anything.
    let problem = row.problem.clone().unwrap_or_default();
    let mut state = UploadState::from(row.state);
    match state {
        UploadState::Completed => return Ok(Finish::Completed("The import had completed.".into())),
        UploadState::Cancelled => return Ok(Finish::Cancelled(problem)),
        UploadState::Failed | UploadState::Error => return Ok(Finish::Failed(problem)),
        _ => {}
    }
    let mut upload = Upload {
        id,
        organization: row.organization,
        list_id: row.list_id,
        list_name: row.list_name,
        data_source: row.data_source,
        remote_path: row.remote_path,
        file_name: row.file_name,
        part: row.part,
        parts: row.parts,
    };
    loop {
        if state == UploadState::Queued {
            if ctx.should_stop() {
                return stop_before_pom(ctx, &upload).await;
            }
            if let Some(finish) = hand_over(ctx, &upload).await? {
                return Ok(finish);
            }
            state = UploadState::Uploaded;
        }
        if state == UploadState::Uploaded {
            if ctx.should_stop() {
                return stop_before_pom(ctx, &upload).await;
            }
            if let Some(finish) = run_once::schedule(ctx, &upload).await? {
                return Ok(finish);
            }
        }
        let totals = match follow::follow(ctx, &upload).await? {
            Followed::Ended(finish) => return Ok(finish),
            Followed::Imported(totals) => totals,
        };
        if upload.part >= upload.parts {
            return completed(ctx, &upload, totals).await;
        }
        if !parts::next(ctx, &upload, totals).await? {
            // Another run moved the upload on: it is handed back and read again.
            return Ok(Finish::Interrupted);
        }
        upload.part += 1;
        state = UploadState::Queued;
    }
}

/// A cancel or shutdown before POM was asked: a shutdown hands the job back; a cancel ends it,
/// taking a file already on the drop back off it (another run of the data source would read it).
async fn stop_before_pom(ctx: &JobContext, upload: &Upload) -> Result<Finish, sqlx::Error> {
    if ctx.signal() != Signal::Cancel {
        return Ok(Finish::Interrupted);
    }
    let on_drop: bool = sqlx::query_scalar!(
        r#"select state = 'uploaded' as "on_drop!" from contact_upload where contact_upload_id = $1"#,
        upload.id
    )
    .fetch_one(&ctx.state.pool)
    .await?;
    if on_drop {
        let removal = take_back(ctx, upload).await;
        audit_step(
            ctx,
            upload,
            AuditAction::UploadTakenBack,
            Outcome::Success,
            json!(removal),
        )
        .await?;
    }
    let problem = match upload.part {
        ..=1 => "Cancelled before POM was asked to import it.".to_string(),
        _ => format!("Cancelled between parts: {}.", upload.imported_before()),
    };
    set_state(ctx, upload.id, UploadState::Cancelled, Some(&problem)).await?;
    audit_step(
        ctx,
        upload,
        AuditAction::UploadCancelled,
        Outcome::Success,
        json!("before POM"),
    )
    .await?;
    Ok(Finish::Cancelled(match upload.part {
        ..=1 => "Cancelled before POM was asked to import the file.".to_string(),
        _ => problem,
    }))
}
