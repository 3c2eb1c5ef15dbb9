//! Uploads checked but never sent keep the file (personal data) only for a week: then the file and
//! its reject file are dropped and the upload is marked expired, each audited.

use serde_json::json;
use sqlx::PgPool;

use crate::audit::{self, Actor, AuditEvent, Outcome};
use crate::model::AuditAction;
use crate::request_meta::RequestMeta;

/// Expires unsent uploads older than a week; returns how many.
pub async fn expire_unsent(pool: &PgPool) -> Result<u64, sqlx::Error> {
    let mut tx = pool.begin().await?;
    let expired = sqlx::query!(
        "update dnc_upload set state = 'expired', content = null, rejects_csv = null
         where state = 'preflight' and created_at < now() - interval '7 days'
         returning dnc_upload_id, organization, file_name, file_sha256, target_name"
    )
    .fetch_all(&mut *tx)
    .await?;
    for upload in &expired {
        let event = AuditEvent::new(AuditAction::DncUploadExpired, Outcome::Success)
            .with_organization(upload.organization.clone())
            .with_target(upload.target_name.clone())
            .with_parameters(json!({ "upload_id": upload.dnc_upload_id, "file": upload.file_name,
                                      "sha256": upload.file_sha256, "reason": "not sent within 7 days" }));
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
    Ok(expired.len() as u64)
}
