//! DNC uploads: a received file is hashed, checked (`parse::preflight`, off the async threads)
//! and stored with its pre-flight, or stored as refused with the reason; nothing goes to POM here.
//! The pre-flight can be run again with another delimiter, sheet or column until it is sent.

mod stored;
mod target;

pub use stored::{load, recent, view, Stored};
use target::target;

use serde_json::json;
use sha2::{Digest, Sha256};

use super::checking::{run_preflight, summary};
use crate::access::Ctx;
use crate::audit::{self, Actor, AuditEvent, Outcome};
use crate::error::AppError;
use crate::model::{AuditAction, CurrentUser, DncMode, DncUploadView, PreflightOptions};
use crate::request_meta::RequestMeta;
use crate::state::AppState;

/// A file as the upload form sent it.
pub struct Received {
    pub file_name: String,
    pub bytes: Vec<u8>,
    pub mode: DncMode,
    pub contact_list_id: Option<i64>,
    pub dnc_list_id: Option<i64>,
}

/// Stores a received file with its pre-flight (or refusal); returns the upload id. Audited.
pub async fn receive(
    state: &AppState,
    user: &CurrentUser,
    meta: &RequestMeta,
    received: Received,
) -> Result<i64, AppError> {
    let (target_id, target_name, organization) = target(state, user, &received).await?;
    let sha256 = format!("{:x}", Sha256::digest(&received.bytes));
    let size = received.bytes.len() as i64;
    let options = PreflightOptions::default();
    let (checked, bytes) = run_preflight(
        state,
        received.file_name.clone(),
        received.bytes,
        received.mode,
        &options,
        false,
        &organization,
    )
    .await?;
    let (state_name, problem, preflight, rejects) = match &checked {
        Ok(p) => (
            "preflight",
            None,
            Some(json!(summary(p))),
            Some(p.rejects_csv.clone()),
        ),
        Err(error) => ("refused", Some(error.to_string()), None, None),
    };
    let content = checked.is_ok().then_some(bytes);
    let mut tx = state.pool.begin().await?;
    let id = sqlx::query_scalar!(
        r#"insert into dnc_upload (organization, mode, target_id, target_name, file_name, file_sha256,
               file_bytes, content, state, problem, options, preflight, rejects_csv, created_by, created_by_name)
           values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) returning dnc_upload_id"#,
        organization, received.mode.as_str(), target_id, target_name, received.file_name, sha256,
        size, content, state_name, problem, json!(options), preflight, rejects, user.user_id, user.username,
    )
    .fetch_one(&mut *tx)
    .await?;
    let counts = checked.as_ref().ok().map(|p| json!({ "rows": p.rows, "valid": p.valid.len(), "duplicates": p.duplicates, "empty": p.empty, "invalid": p.invalid.iter().map(|(_, n)| n).sum::<u64>() }));
    let mut event = AuditEvent::new(AuditAction::DncUpload, if checked.is_ok() { Outcome::Success } else { Outcome::Failure })
        .with_organization(organization.clone())
        .with_target(target_name)
        .with_parameters(json!({ "upload_id": id, "mode": received.mode.as_str(), "file": received.file_name, "sha256": sha256, "bytes": size, "problem": problem }));
    if let Some(counts) = counts {
        event = event.with_counts(counts);
    }
    audit::record(&mut *tx, &Actor::user(user), meta, event).await?;
    tx.commit().await?;
    Ok(id)
}

/// Audits a file the upload form refused for its size (`declared`: the request's length, when
/// that was why; none when it grew past the limit while streaming).
pub async fn refused_for_size(ctx: &Ctx, declared: Option<u64>) -> Result<(), AppError> {
    let limit = ctx.state.settings.dnc.max_file_bytes;
    let event = AuditEvent::new(AuditAction::DncUpload, Outcome::Failure)
        .with_organization(ctx.user.organization.clone())
        .with_parameters(json!({ "problem": "file too large", "limit_bytes": limit, "declared_bytes": declared }));
    audit::record(&ctx.state.pool, &Actor::user(&ctx.user), &ctx.meta, event).await?;
    Ok(())
}

/// Runs the pre-flight again with other choices (only before sending).
pub async fn reprocess(
    ctx: &Ctx,
    id: i64,
    options: &PreflightOptions,
) -> Result<DncUploadView, AppError> {
    let stored = load(&ctx.state, &ctx.user, id).await?;
    if stored.state != "preflight" {
        return Err(AppError::validation(
            "upload",
            "This upload was already sent (or refused); upload the file again to change it.",
        ));
    }
    let content = sqlx::query_scalar!(
        "select content from dnc_upload where dnc_upload_id = $1",
        id
    )
    .fetch_one(&ctx.state.pool)
    .await?
    .ok_or_else(|| {
        AppError::validation("upload", "The file is no longer kept; upload it again.")
    })?;
    let (checked, _) = run_preflight(
        &ctx.state,
        stored.file_name,
        content,
        stored.mode,
        options,
        false,
        &stored.organization,
    )
    .await?;
    let preflight = checked.map_err(|e| AppError::validation("options", e.to_string()))?;
    sqlx::query!(
        "update dnc_upload set options = $2, preflight = $3, rejects_csv = $4 where dnc_upload_id = $1 and state = 'preflight'",
        id, json!(options), json!(summary(&preflight)), preflight.rejects_csv
    )
    .execute(&ctx.state.pool)
    .await?;
    let event = AuditEvent::new(AuditAction::DncPreflight, Outcome::Success)
        .with_organization(stored.organization)
        .with_target(stored.target_name)
        .with_parameters(json!({ "upload_id": id, "options": options }))
        .with_counts(json!({ "rows": preflight.rows, "valid": preflight.valid.len() }));
    audit::record(&ctx.state.pool, &Actor::user(&ctx.user), &ctx.meta, event).await?;
    view(&ctx.state, &ctx.user, id).await
}
