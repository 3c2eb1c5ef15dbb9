//! Contact-upload routes outside server functions: the upload form itself (`POST /uploads/file`,
//! multipart, works without JavaScript; read through `edge::multipart`, so a file over the limit
//! is refused before it is buffered), an upload's files while they are kept
//! (`/uploads/{id}/original`, `converted.csv`, `rejects.csv`, `missing.csv`; admins). Refusals
//! and downloads are audited by the domain; the history's export is `edge::report_export`.

use axum::extract::{Multipart, Path};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use domain::uploads::{self, store::Received, view};
use types::error::AppError;
use types::model::AuditAction;

use super::ApiError;
use crate::edge::download::{Download, CSV};
use crate::edge::multipart::{self, Upload};
use crate::edge::Caller;

/// The upload form's fields besides the file.
const FIELDS: [&str; 2] = ["list_id", "data_source"];

pub async fn receive(
    caller: Caller,
    headers: HeaderMap,
    form: Multipart,
) -> Result<Response, ApiError> {
    let ctx = caller
        .require(AuditAction::UploadsReceive, &uploads::ROLES)
        .await?;
    let limit = ctx.state.settings.uploads.max_file_bytes;
    let form = match multipart::read(&headers, form, limit, &FIELDS).await? {
        Upload::Read(form) => form,
        Upload::DeclaredTooLarge(declared) => {
            view::refused_for_size(&ctx, Some(declared)).await?;
            return Ok(multipart::too_large_page(
                limit,
                "upload limit",
                ("/uploads", "Back to uploads"),
            ));
        }
        Upload::TooLarge => {
            view::refused_for_size(&ctx, None).await?;
            return Ok(Redirect::to("/uploads?error=too_large").into_response());
        }
    };
    if form.file_name.is_empty() || form.bytes.is_empty() {
        return Ok(Redirect::to("/uploads?error=file").into_response());
    }
    let received = Received {
        list_id: form.field("list_id").parse().unwrap_or(0),
        data_source: form.field("data_source").to_string(),
        file_name: form.file_name,
        bytes: form.bytes,
    };
    match uploads::store::receive(&ctx, received).await {
        Ok(id) => Ok(Redirect::to(&format!("/uploads/{id}")).into_response()),
        Err(AppError::Validation { field, .. }) => {
            Ok(Redirect::to(&format!("/uploads?error={field}")).into_response())
        }
        Err(AppError::NotFound(_)) => Ok(Redirect::to("/uploads?error=list_id").into_response()),
        Err(AppError::Busy {
            message,
            retry_after_secs,
        }) => Ok(super::busy_page(&message, retry_after_secs, "/uploads")),
        Err(error) => Err(error.into()),
    }
}

pub async fn file(
    Path((id, file)): Path<(i64, String)>,
    caller: Caller,
) -> Result<Download, ApiError> {
    let ctx = caller
        .require(AuditAction::UploadsDownload, &uploads::ROLES)
        .await?;
    let file = view::download(&ctx, id, &file).await?;
    let content_type = if file.csv {
        CSV
    } else {
        "application/octet-stream"
    };
    Ok(Download::new(file.bytes, content_type, &file.name))
}
