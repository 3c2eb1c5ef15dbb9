//! Contact-upload routes outside server functions: the upload form itself (`POST /uploads/file`,
//! multipart, works without JavaScript; a file over the limit is refused from its declared length
//! before it is read), an upload's files while they are kept (`/uploads/{id}/original`,
//! `converted.csv`, `rejects.csv`, `missing.csv`; admins), and the history export
//! (`/uploads/history/export.csv|xlsx`). Downloads and exports are audited.

use axum::extract::{Multipart, Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use domain::access::{self as guard, Ctx};
use domain::audit::{self, Actor, AuditEvent, Outcome};
use domain::auth::{self, Activity};
use domain::export::{for_people, write_record, xlsx, UTF8_BOM};
use domain::request_meta::RequestMeta;
use domain::state::AppState;
use domain::uploads::{self, history, store::Received, view};
use serde_json::json;
use tower_sessions::Session;
use types::error::AppError;
use types::model::UploadHistoryQuery;

use super::ApiError;

/// History rows per export.
const MAX_ROWS: i64 = 100_000;

/// The signed-in admin as a backend context (the same checks as a server function).
async fn context(
    state: &AppState,
    session: &Session,
    meta: RequestMeta,
    action: &'static str,
) -> Result<Ctx, ApiError> {
    let (user, timing) = auth::authenticate(state, session, Activity::Touch).await?;
    guard::check_role(state, &user, &meta, action, &uploads::ROLES).await?;
    Ok(Ctx {
        state: state.clone(),
        user,
        timing,
        meta,
    })
}

fn download(bytes: Vec<u8>, content_type: &str, name: &str) -> Response {
    let safe: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || ".-_".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{safe}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        bytes,
    )
        .into_response()
}

pub async fn receive(
    State(state): State<AppState>,
    session: Session,
    meta: RequestMeta,
    headers: HeaderMap,
    mut form: Multipart,
) -> Result<Response, ApiError> {
    let ctx = context(&state, &session, meta, "uploads.receive").await?;
    let limit = state.settings.uploads.max_file_bytes;
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|length| length > limit + 64 * 1024) {
        let event = AuditEvent::new("upload.received", Outcome::Failure)
            .with_parameters(json!({ "problem": "file too large", "limit_bytes": limit, "declared_bytes": declared }));
        audit::record(&state.pool, &Actor::user(&ctx.user), &ctx.meta, event)
            .await
            .map_err(AppError::from)?;
        let page = format!(
            "<!DOCTYPE html><title>File too large · OCM</title><p>The file is larger than the {} MB upload limit. <a href=\"/uploads\">Back to uploads</a></p>",
            limit / 1_048_576
        );
        return Ok((
            StatusCode::PAYLOAD_TOO_LARGE,
            [(header::CONNECTION, "close")],
            Html(page),
        )
            .into_response());
    }
    let mut received = Received {
        file_name: String::new(),
        bytes: Vec::new(),
        list_id: 0,
        data_source: String::new(),
    };
    let bad_form = |e: axum::extract::multipart::MultipartError| {
        AppError::validation("file", format!("The upload could not be read: {e}"))
    };
    while let Some(mut field) = form.next_field().await.map_err(bad_form)? {
        match field.name().unwrap_or_default() {
            "file" => {
                received.file_name = field.file_name().unwrap_or("upload").to_string();
                received
                    .bytes
                    .reserve(declared.unwrap_or(0).min(limit) as usize);
                while let Some(chunk) = field.chunk().await.map_err(bad_form)? {
                    if received.bytes.len() as u64 + chunk.len() as u64 > limit {
                        while field.chunk().await.map_err(bad_form)?.is_some() {}
                        return Ok(Redirect::to("/uploads?error=too_large").into_response());
                    }
                    received.bytes.extend_from_slice(&chunk);
                }
            }
            "list_id" => {
                received.list_id = field
                    .text()
                    .await
                    .map_err(bad_form)?
                    .trim()
                    .parse()
                    .unwrap_or(0)
            }
            "data_source" => {
                received.data_source = field.text().await.map_err(bad_form)?.trim().to_string()
            }
            _ => {}
        }
    }
    if received.file_name.is_empty() || received.bytes.is_empty() {
        return Ok(Redirect::to("/uploads?error=file").into_response());
    }
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
    State(state): State<AppState>,
    session: Session,
    meta: RequestMeta,
    Path((id, file)): Path<(i64, String)>,
) -> Result<Response, ApiError> {
    let ctx = context(&state, &session, meta, "uploads.download").await?;
    let stored = view::stored(&ctx, id).await?;
    // Only the file asked for is read (they can be large).
    let pool = &state.pool;
    let (bytes, content_type, name) = match file.as_str() {
        "original" => (
            view::original(pool, id).await?,
            "application/octet-stream",
            stored.file_name.clone(),
        ),
        // POM imports the converted file raw; a person gets it with formula-like cells made safe.
        "converted.csv" => (
            view::converted_for_people(pool, id).await?,
            "text/csv; charset=utf-8",
            format!("upload-{id}-converted.csv"),
        ),
        "rejects.csv" => (
            sqlx::query_scalar!(
                "select rejects_csv from contact_upload where contact_upload_id = $1",
                id
            )
            .fetch_one(pool)
            .await
            .map_err(AppError::from)?,
            "text/csv; charset=utf-8",
            format!("upload-{id}-rejects.csv"),
        ),
        "missing.csv" => (
            sqlx::query_scalar!(
                "select missing_csv from contact_upload where contact_upload_id = $1",
                id
            )
            .fetch_one(pool)
            .await
            .map_err(AppError::from)?,
            "text/csv; charset=utf-8",
            format!("upload-{id}-not-in-list.csv"),
        ),
        _ => return Err(AppError::NotFound(format!("File {file}")).into()),
    };
    let bytes = bytes.ok_or_else(|| {
        AppError::NotFound(format!(
            "{file} of upload {id} (erased after the retention period, or not made)"
        ))
    })?;
    // Reject and difference files stored before every cell was quoted are made safe on the way
    // out (a second pass changes nothing in newer ones).
    let bytes = if matches!(file.as_str(), "rejects.csv" | "missing.csv") {
        for_people(&bytes, b',').map_err(|e| types::error::internal(&e))?
    } else {
        bytes
    };
    let event = AuditEvent::new("upload.download", Outcome::Success)
        .with_organization(stored.organization.clone())
        .with_target(stored.list_name.clone())
        .with_parameters(json!({ "upload_id": id, "file": file }));
    audit::record(&state.pool, &Actor::user(&ctx.user), &ctx.meta, event)
        .await
        .map_err(AppError::from)?;
    Ok(download(bytes, content_type, &name))
}

pub async fn export(
    State(state): State<AppState>,
    session: Session,
    meta: RequestMeta,
    Path(file): Path<String>,
    Query(query): Query<UploadHistoryQuery>,
) -> Result<Response, ApiError> {
    let ctx = context(&state, &session, meta, "uploads.export").await?;
    let (rows, total) = history::search(&ctx, &query, MAX_ROWS, 0).await?;
    let cells = rows.iter().map(history::cells);
    let (bytes, content_type) = match file.as_str() {
        "export.csv" => {
            let mut buffer = UTF8_BOM.as_bytes().to_vec();
            write_record(&mut buffer, history::EXPORT_HEADER)
                .map_err(|e| types::error::internal(&e))?;
            for row in cells {
                write_record(&mut buffer, &row).map_err(|e| types::error::internal(&e))?;
            }
            (buffer, "text/csv; charset=utf-8")
        }
        "export.xlsx" => (
            xlsx("Uploads", &history::EXPORT_HEADER, cells)
                .map_err(|e| types::error::internal(&e))?,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        _ => return Err(AppError::NotFound(format!("Export {file}")).into()),
    };
    let event = AuditEvent::new("upload.history.export", Outcome::Success)
        .with_parameters(json!({ "format": file, "query": query }))
        .with_counts(json!({ "rows": rows.len(), "matching": total }));
    audit::record(&state.pool, &Actor::user(&ctx.user), &ctx.meta, event)
        .await
        .map_err(AppError::from)?;
    Ok(download(
        bytes,
        content_type,
        &format!("uploads-{file}").replace("export.", "history."),
    ))
}
