//! `GET /admin/erasures/{id}/certificate.txt`: a finished erasure's certificate (admins;
//! audited by `domain::erasure::history::certificate`).

use axum::extract::Path;
use types::model::AuditAction;

use super::ApiError;
use crate::edge::download::{Download, TEXT};
use crate::edge::Caller;

pub async fn file(
    Path((id, file)): Path<(i64, String)>,
    caller: Caller,
) -> Result<Download, ApiError> {
    if file != "certificate.txt" {
        return Err(types::error::AppError::NotFound(file).into());
    }
    let ctx = caller
        .require(AuditAction::ErasureCertificate, domain::erasure::ROLES)
        .await?;
    let (name, text) = domain::erasure::history::certificate(&ctx, id).await?;
    Ok(Download::new(text.into_bytes(), TEXT, &name))
}
