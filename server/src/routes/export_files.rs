//! A scheduled export's file (`/reports/schedules/runs/{id}/file`): the run's organization only
//! (admins any), audited by the domain, streamed from the exports folder as an attachment under
//! the name the schedule gave it.

use axum::body::Body;
use axum::extract::Path;
use domain::export_schedules::files;
use tokio_util::io::ReaderStream;
use types::error::internal;
use types::model::{AuditAction, ExportFormat};

use super::ApiError;
use crate::edge::download::{Download, CSV, XLSX};
use crate::edge::Caller;

pub async fn file(Path(run_id): Path<i64>, caller: Caller) -> Result<Download, ApiError> {
    let ctx = caller
        .require(
            AuditAction::ExportFileDownload,
            domain::export_schedules::store::ROLES,
        )
        .await?;
    let file = files::open(&ctx, run_id).await?;
    let opened = tokio::fs::File::open(&file.path)
        .await
        .map_err(|e| internal(&e))?;
    let content_type = match file.format {
        ExportFormat::Xlsx => XLSX,
        _ => CSV,
    };
    Ok(Download::new(
        Body::from_stream(ReaderStream::new(opened)),
        content_type,
        &file.name,
    ))
}
