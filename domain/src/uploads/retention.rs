//! Upload file retention: once an upload's files have been kept for the configured time, the
//! original, converted, reject and difference files are erased (the record and its counts stay),
//! and an upload never sent becomes `expired`. Each erasure is audited. Uploads still being
//! handed over or followed are left alone until they end.

use serde_json::json;
use sqlx::PgPool;

use crate::audit::{self, Actor, AuditEvent, Outcome};
use crate::model::AuditAction;
use crate::request_meta::RequestMeta;

/// Erases expired files; returns how many uploads lost theirs.
pub async fn sweep(pool: &PgPool) -> Result<u64, sqlx::Error> {
    let mut tx = pool.begin().await?;
    let erased = sqlx::query!(
        r#"update contact_upload set original = null, converted = null, rejects_csv = null,
               missing_csv = null, not_listed_rows = null, files_erased_at = now(),
               state = case when state = 'preflight' then 'expired' else state end
           where files_erased_at is null and files_expire_at < now()
             and state not in ('queued', 'uploaded', 'scheduled', 'importing')
           returning contact_upload_id, organization, list_name, file_name, file_sha256, state"#
    )
    .fetch_all(&mut *tx)
    .await?;
    for upload in &erased {
        let event = AuditEvent::new(AuditAction::UploadFilesErased, Outcome::Success)
            .with_organization(upload.organization.clone())
            .with_target(upload.list_name.clone())
            .with_parameters(json!({ "upload_id": upload.contact_upload_id, "file": upload.file_name,
                "sha256": upload.file_sha256, "state": upload.state, "reason": "retention period over" }));
        let actor = Actor {
            username: Some("ocm (retention)".into()),
            organization: Some(upload.organization.clone()),
            ..Actor::default()
        };
        audit::record(
            &mut *tx,
            &actor,
            &RequestMeta::background("retention"),
            event,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(erased.len() as u64)
}
