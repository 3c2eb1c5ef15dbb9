//! The `contact_upload` job, step by step from the upload's stored state, so that a restart goes
//! on where it stopped: `queued` → the converted file to the SFTP drop (temporary name, rename,
//! size check, pinned host key) → `uploaded` → the data source scheduled to run once at now + the
//! start delay in the configured zone (if POM refuses, the file is taken back from the drop) →
//! `scheduled` → followed to the end (`follow.rs`). SFTP failures pause the job with the reason
//! (nothing reached POM; resume once fixed).

use pom::sftp::{SftpClient, SftpConfig};
use serde_json::{json, Value};

use super::{follow, run_once};
use crate::audit::{self, Actor, AuditEvent, Outcome};
use crate::jobs::runner::{Finish, JobContext};
use crate::request_meta::RequestMeta;

/// What the job works with.
pub(super) struct Upload {
    pub id: i64,
    pub organization: String,
    pub list_id: i64,
    pub list_name: String,
    pub data_source: String,
    pub remote_path: String,
    pub file_name: String,
}

/// The SFTP client for the data source's folder, and the file name in it.
pub(super) fn drop_client(base: &SftpConfig, remote_path: &str) -> (SftpClient, String) {
    let (dir, name) = remote_path.rsplit_once('/').unwrap_or(("", remote_path));
    let config = SftpConfig {
        remote_dir: if dir.is_empty() {
            "/".into()
        } else {
            dir.to_string()
        },
        ..base.clone()
    };
    (SftpClient::new(config), name.to_string())
}

/// Audits a step of the job as the user who sent the upload.
pub(super) async fn audit_step(
    ctx: &JobContext,
    upload: &Upload,
    action: &'static str,
    outcome: Outcome,
    detail: Value,
) -> Result<(), sqlx::Error> {
    let user_id = sqlx::query_scalar!(
        "select created_by from job where job_id = $1",
        ctx.job.job_id
    )
    .fetch_one(&ctx.state.pool)
    .await?;
    let actor = Actor {
        user_id,
        username: Some(ctx.job.created_by_name.clone()),
        organization: Some(upload.organization.clone()),
        ..Actor::default()
    };
    let event = AuditEvent::new(action, outcome)
        .with_organization(upload.organization.clone())
        .with_target(upload.list_name.clone())
        .with_parameters(json!({ "upload_id": upload.id, "job_id": ctx.job.job_id,
            "data_source": upload.data_source, "file": upload.file_name, "detail": detail }));
    audit::record(
        &ctx.state.pool,
        &actor,
        &RequestMeta::background("upload"),
        event,
    )
    .await
}

/// Ends the upload as `failed` (nothing left half-done) with the reason; audited.
pub(super) async fn fail(
    ctx: &JobContext,
    upload: &Upload,
    problem: String,
) -> Result<Finish, sqlx::Error> {
    sqlx::query!(
        "update contact_upload set state = 'failed', problem = $2, finished_at = now() where contact_upload_id = $1",
        upload.id,
        problem
    )
    .execute(&ctx.state.pool)
    .await?;
    audit_step(
        ctx,
        upload,
        "upload.failed",
        Outcome::Failure,
        json!(problem),
    )
    .await?;
    Ok(Finish::Failed(problem))
}

pub(super) async fn set_state(
    ctx: &JobContext,
    id: i64,
    state: &str,
    problem: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "update contact_upload set state = $2, problem = $3 where contact_upload_id = $1",
        id,
        state,
        problem
    )
    .execute(&ctx.state.pool)
    .await?;
    Ok(())
}

/// Puts the converted file on the drop; `Some(finish)` when the job must stop here.
async fn hand_over(ctx: &JobContext, upload: &Upload) -> Result<Option<Finish>, sqlx::Error> {
    let Some(base) = ctx.state.sftp.as_ref() else {
        let message = "No SFTP drop is configured for OCM (OCM_SFTP_HOST); nothing was sent.";
        set_state(ctx, upload.id, "queued", Some(message)).await?;
        return Ok(Some(Finish::Paused(message.into())));
    };
    let converted = sqlx::query_scalar!(
        "select converted from contact_upload where contact_upload_id = $1",
        upload.id
    )
    .fetch_one(&ctx.state.pool)
    .await?
    .unwrap_or_default();
    let (client, name) = drop_client(base, &upload.remote_path);
    match client.upload(&converted, &name).await {
        Ok(report) => {
            set_state(ctx, upload.id, "uploaded", None).await?;
            let detail = json!({ "remote_path": report.remote_path, "bytes": report.bytes, "sha256": report.sha256 });
            audit_step(ctx, upload, "upload.transferred", Outcome::Success, detail).await?;
            Ok(None)
        }
        Err(error) => {
            let message = format!("The file could not be put on the SFTP drop: {error}. Nothing reached POM; resume once this is fixed.");
            tracing::warn!(upload = upload.id, error = %error, "SFTP upload failed");
            set_state(ctx, upload.id, "queued", Some(&message)).await?;
            audit_step(
                ctx,
                upload,
                "upload.transfer_failed",
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
                  job_id, problem
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
    match row.state.as_str() {
        "completed" => return Ok(Finish::Completed("The import had completed.".into())),
        "cancelled" => return Ok(Finish::Cancelled(problem)),
        "failed" | "error" => return Ok(Finish::Failed(problem)),
        _ => {}
    }
    let upload = Upload {
        id,
        organization: row.organization,
        list_id: row.list_id,
        list_name: row.list_name,
        data_source: row.data_source,
        remote_path: row.remote_path,
        file_name: row.file_name,
    };
    let mut state = row.state;
    if state == "queued" {
        if ctx.should_stop() {
            return stop_before_pom(ctx, &upload).await;
        }
        if let Some(finish) = hand_over(ctx, &upload).await? {
            return Ok(finish);
        }
        state = "uploaded".into();
    }
    if state == "uploaded" {
        if ctx.should_stop() {
            return stop_before_pom(ctx, &upload).await;
        }
        if let Some(finish) = run_once::schedule(ctx, &upload).await? {
            return Ok(finish);
        }
    }
    follow::follow(ctx, &upload).await
}

/// A cancel or shutdown before POM was asked: a shutdown hands the job back; a cancel ends it,
/// taking a file already on the drop back off it (another run of the data source would read it).
async fn stop_before_pom(ctx: &JobContext, upload: &Upload) -> Result<Finish, sqlx::Error> {
    if ctx.signal() != crate::jobs::runner::Signal::Cancel {
        return Ok(Finish::Interrupted);
    }
    let on_drop: bool = sqlx::query_scalar!(
        r#"select state = 'uploaded' as "on_drop!" from contact_upload where contact_upload_id = $1"#,
        upload.id
    )
    .fetch_one(&ctx.state.pool)
    .await?;
    if on_drop {
        let removal = run_once::take_back(ctx, upload).await;
        audit_step(
            ctx,
            upload,
            "upload.taken_back",
            Outcome::Success,
            json!(removal),
        )
        .await?;
    }
    set_state(
        ctx,
        upload.id,
        "cancelled",
        Some("Cancelled before POM was asked to import it."),
    )
    .await?;
    audit_step(
        ctx,
        upload,
        "upload.cancelled",
        Outcome::Success,
        json!("before POM"),
    )
    .await?;
    Ok(Finish::Cancelled(
        "Cancelled before POM was asked to import the file.".into(),
    ))
}
