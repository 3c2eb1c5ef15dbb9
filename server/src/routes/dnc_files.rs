//! DNC downloads: an upload's reject file and POM's refusals after sending
//! (`/dnc/uploads/{id}/rejects.csv`, `/dnc/uploads/{id}/failures.csv`), audited by
//! `domain::dnc::files`; the DNC List report's export is `edge::report_export`.

use axum::extract::Path;
use domain::dnc::files;
use domain::lists;
use types::model::AuditAction;

use super::ApiError;
use crate::edge::download::{Download, CSV};
use crate::edge::Caller;

pub async fn upload_file(
    Path((id, file)): Path<(i64, String)>,
    caller: Caller,
) -> Result<Download, ApiError> {
    let ctx = caller
        .require(AuditAction::DncDownload, &lists::ROLES)
        .await?;
    let (bytes, name) = files::download(&ctx, id, &file).await?;
    Ok(Download::new(bytes, CSV, &name))
}
