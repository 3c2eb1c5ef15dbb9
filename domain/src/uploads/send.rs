//! Confirming an upload: the pre-flight runs once more on the stored file with the stored
//! choices (exactly what the user saw is what is sent), the converted file is stored with its
//! sha256 and where its parts lie (a file over POM's file limit goes as parts, `split`), and a
//! `contact_upload` job is queued together with the audit record, before anything reaches the
//! SFTP drop or POM.

use std::sync::Arc;

use serde_json::json;
use sha2::{Digest, Sha256};

use super::{check, view};
use crate::access::Ctx;
use crate::audit::{self, Actor, AuditEvent, Outcome};
use crate::error::AppError;
use crate::jobs::store::{self, NewJob};
use crate::model::{AuditAction, UploadState, UploadView};

/// The most parts one upload goes to POM in (each is an import of its own).
const MAX_PARTS: usize = 100;

/// Sends the upload (see the module note). A `replace` data source empties the list first, so
/// it needs `confirm_replace`.
pub async fn confirm(
    ctx: &Ctx,
    upload_id: i64,
    confirm_replace: bool,
) -> Result<UploadView, AppError> {
    let stored = view::stored(ctx, upload_id).await?;
    if stored.state != UploadState::Preflight {
        return Err(AppError::validation(
            "upload",
            "This upload has already been sent.",
        ));
    }
    if ctx.state.sftp.is_none() {
        return Err(AppError::ExternalService(
            "No SFTP drop is configured for OCM (OCM_SFTP_HOST); an admin must set it up.".into(),
        ));
    }
    let source = super::sources::by_name(ctx, &stored.data_source)
        .await
        .ok()
        .filter(|s| s.organization == stored.organization && s.list_name == stored.list_name)
        .ok_or_else(|| {
            AppError::validation(
                "data_source",
                format!(
                    "{} is no longer mapped to {}; upload the file again.",
                    stored.data_source, stored.list_name
                ),
            )
        })?;
    if source.kind == "replace" && !confirm_replace {
        return Err(AppError::validation(
            "confirm_replace",
            format!(
                "{} replaces the list: POM empties {} first. Confirm that this is meant.",
                source.name, stored.list_name
            ),
        ));
    }
    let Some(original) = view::original(&ctx.state.pool, upload_id).await? else {
        return Err(AppError::validation(
            "upload",
            "The file of this upload has been erased.",
        ));
    };
    let checked = check::run(
        &ctx.state,
        &stored.organization,
        &stored.file_name,
        Arc::new(original),
        &stored.options,
        &source,
    )
    .await?
    .map_err(|error| AppError::validation("file", error.to_string()))?;
    let p = &checked.preflight;
    if let Some(problem) = p.blocking.first() {
        return Err(AppError::validation("mapping", problem.clone()));
    }
    if p.valid == 0 || p.converted.is_empty() {
        return Err(AppError::validation(
            "file",
            "No row of the file can be sent.",
        ));
    }
    let converted_sha256 = format!("{:x}", Sha256::digest(&p.converted));
    // A file over POM's file limit goes as parts; where they lie is stored with the upload so a
    // restart sends the same parts. A row too large for any part stops the upload here.
    let limit = ctx.state.settings.uploads.pom_part_bytes as usize;
    let parts = super::split::split(&p.converted, source.header_row, limit).map_err(|large| {
        let contact = large.row.checked_sub(1).and_then(|i| p.sent_ids.get(i));
        AppError::validation("file", large.message(contact.map(String::as_str)))
    })?;
    // Each part is one POM import with its own start delay: a part limit set very low would
    // make a file into thousands of imports. Refused, naming the setting.
    if parts.count() > MAX_PARTS {
        return Err(AppError::validation(
            "file",
            format!(
                "This file would go to POM as {} parts of at most {} (OCM_UPLOAD_POM_PART_MB); \
                 OCM sends at most {MAX_PARTS} parts per upload. Raise the setting or split the file.",
                parts.count(),
                super::split::megabytes(limit)
            ),
        ));
    }
    if parts.count() > 1 && source.kind == "replace" {
        return Err(AppError::validation(
            "file",
            format!(
                "This file is {} as converted for POM, more than POM's file limit of {}, so it \
                 would go as {} parts; {} replaces the list with each file it imports, so only the \
                 last part would stay. Send it through an append data source instead.",
                super::split::megabytes(p.converted.len()),
                super::split::megabytes(limit),
                parts.count(),
                source.name
            ),
        ));
    }
    let part_ends: Vec<i64> = parts.ends.iter().map(|end| *end as i64).collect();
    let pool = &ctx.state.pool;
    let mut tx = pool.begin().await?;
    // Claim the upload first: a second confirmation (or one racing the retention sweep) finds
    // it sent and changes nothing; a second upload to the same data source is refused by the
    // database while this one is under way.
    let claimed = sqlx::query!(
        r#"update contact_upload set state = 'queued', converted = $2, converted_sha256 = $3,
               rows_read = $4, rows_sent = $5, rows_rejected = $6, rejects_csv = $7, preflight = $8,
               data_source_kind = $9, remote_path = $10, sent_ids = $11, sent_at = now(),
               part_header_bytes = $12, part_ends = $13, part = 1, pom_counters_done = null
           where contact_upload_id = $1 and state = 'preflight'"#,
        upload_id,
        p.converted,
        converted_sha256,
        p.rows as i64,
        p.valid as i64,
        p.rejected as i64,
        p.rejects_csv,
        json!(super::summary::summary(&checked)),
        source.kind,
        source.remote_path,
        &p.sent_ids,
        parts.header as i64,
        &part_ends,
    )
    .execute(&mut *tx)
    .await
    .map_err(|e| match e {
        sqlx::Error::Database(d) if d.constraint() == Some("contact_upload_one_active_per_source") => {
            AppError::validation(
                "data_source",
                format!("Another upload to {} is still being handed over or imported; send this one when it has finished.", source.name),
            )
        }
        other => other.into(),
    })?;
    if claimed.rows_affected() != 1 {
        return Err(AppError::validation(
            "upload",
            "This upload has already been sent.",
        ));
    }
    let job_id = store::enqueue(
        &mut *tx,
        NewJob {
            kind: crate::model::JobKind::ContactUpload,
            organization: &stored.organization,
            created_by: Some(ctx.user.user_id),
            created_by_name: &ctx.user.username,
            payload: json!({ "contact_upload_id": upload_id }),
            total: p.valid as i64,
        },
    )
    .await?;
    sqlx::query!(
        "update contact_upload set job_id = $2 where contact_upload_id = $1",
        upload_id,
        job_id
    )
    .execute(&mut *tx)
    .await?;
    let event = AuditEvent::new(AuditAction::UploadSend, Outcome::Success)
        .with_organization(stored.organization.clone())
        .with_target(stored.list_name.clone())
        .with_parameters(
            json!({ "upload_id": upload_id, "job_id": job_id, "data_source": source.name,
            "kind": source.kind, "remote_path": source.remote_path, "file": stored.file_name,
            "converted_sha256": converted_sha256, "parts": parts.count(),
            "part_limit_bytes": limit }),
        )
        .with_counts(json!({ "rows": p.rows, "sent": p.valid, "rejected": p.rejected }));
    audit::record(&mut *tx, &Actor::user(&ctx.user), &ctx.meta, event).await?;
    store::announce(&mut *tx, job_id).await?;
    tx.commit().await?;
    ctx.state.jobs.wake.notify_one();
    view::load(ctx, upload_id).await
}
