//! What every step of the `contact_upload` job shares: the upload it works on, the SFTP drop
//! (its client, taking a file back off it), the upload's state, auditing a step as the user who
//! sent it, and ending the upload as failed. The coordinator (`send_job`) and its steps
//! (`run_once`, `follow`, `import_end`) use these; nothing here calls back into them.

use pom::sftp::{SftpClient, SftpConfig};
use serde_json::{json, Value};

use crate::audit::{self, Actor, AuditEvent, Outcome};
use crate::jobs::runner::{Finish, JobContext};
use crate::model::{AuditAction, UploadState};
use crate::request_meta::RequestMeta;

/// Every import state: without a filter POM lists only `RUNNING` jobs (seed 004).
pub(super) const IMPORT_STATES: [&str; 5] =
    ["QUEUED", "FILE_COPYING", "RUNNING", "COMPLETED", "ERROR"];

/// What the job works with.
pub(super) struct Upload {
    pub id: i64,
    pub organization: String,
    pub list_id: i64,
    pub list_name: String,
    pub data_source: String,
    pub remote_path: String,
    pub file_name: String,
    /// The part being sent (1-based) of how many (1: the file goes whole).
    pub part: i32,
    pub parts: i32,
}

impl Upload {
    /// What POM has imported before the current part, for a message that ends the upload.
    pub fn imported_before(&self) -> String {
        match self.part {
            ..=1 => "Nothing was imported".to_string(),
            2 => format!("Part 1 of {} was imported, the rest was not", self.parts),
            part => format!(
                "Parts 1 to {} of {} were imported, the rest were not",
                part - 1,
                self.parts
            ),
        }
    }

    /// The parts after the current one, which were not sent (none: it is the last).
    pub fn not_sent(&self) -> Option<String> {
        let next = self.part + 1;
        match self.parts - self.part {
            ..=0 => None,
            1 => Some(format!("part {next} was not sent")),
            _ => Some(format!("parts {next} to {} were not sent", self.parts)),
        }
    }
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
    action: AuditAction,
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
            "data_source": upload.data_source, "file": upload.file_name, "detail": detail,
            "part": upload.part, "parts": upload.parts }));
    audit::record(
        &ctx.state.pool,
        &actor,
        &RequestMeta::background("upload"),
        event,
    )
    .await
}

/// Ends the upload as `failed` (nothing left half-done) with the reason; audited first, so
/// nobody sees a failed upload whose audit record is not there yet.
pub(super) async fn fail(
    ctx: &JobContext,
    upload: &Upload,
    problem: String,
) -> Result<Finish, sqlx::Error> {
    audit_step(
        ctx,
        upload,
        AuditAction::UploadFailed,
        Outcome::Failure,
        json!(problem),
    )
    .await?;
    sqlx::query!(
        "update contact_upload set state = 'failed', problem = $2, finished_at = now() where contact_upload_id = $1",
        upload.id,
        problem
    )
    .execute(&ctx.state.pool)
    .await?;
    Ok(Finish::Failed(problem))
}

pub(super) async fn set_state(
    ctx: &JobContext,
    id: i64,
    state: UploadState,
    problem: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "update contact_upload set state = $2, problem = $3 where contact_upload_id = $1",
        id,
        state.as_str(),
        problem
    )
    .execute(&ctx.state.pool)
    .await?;
    Ok(())
}

/// Removes the upload's file from the drop; says what happened, for the user and the audit.
pub(super) async fn take_back(ctx: &JobContext, upload: &Upload) -> String {
    match ctx.state.sftp.as_ref() {
        Some(base) => {
            let (sftp, name) = drop_client(base, &upload.remote_path);
            match sftp.remove(&name).await {
                Ok(()) => "the file was taken back off the SFTP drop".to_string(),
                Err(e) => format!(
                    "taking the file back off the SFTP drop failed too ({e}); remove {} by hand",
                    upload.remote_path
                ),
            }
        }
        None => "no SFTP drop is configured".to_string(),
    }
}
