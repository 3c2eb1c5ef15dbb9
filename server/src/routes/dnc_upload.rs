//! `POST /dnc/upload`: the DNC upload form (multipart, works without JavaScript). The form is read
//! through `edge::multipart`, so a file over the size limit is refused from its declared length
//! before it is read, or as soon as it passes the limit while streaming; otherwise the backend
//! stores it with its pre-flight (or the reason it was refused) and the browser goes to the
//! upload's page. Nothing reaches POM here.

use axum::extract::Multipart;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use domain::dnc::upload::{self, Received};
use domain::lists;
use types::error::AppError;
use types::model::{AuditAction, DncMode};

use super::ApiError;
use crate::edge::multipart::{self, Upload};
use crate::edge::Caller;

const TOO_LARGE: &str = "/dnc?error=too_large";

/// The upload form's fields besides the file.
const FIELDS: [&str; 3] = ["mode", "contact_list_id", "dnc_list_id"];

fn number(value: &str) -> Option<i64> {
    value.parse().ok()
}

pub async fn upload(
    caller: Caller,
    headers: HeaderMap,
    form: Multipart,
) -> Result<Response, ApiError> {
    let ctx = caller
        .require(AuditAction::DncUpload, &lists::ROLES)
        .await?;
    let limit = ctx.state.settings.dnc.max_file_bytes;
    // With JavaScript the page checks the size before sending, so browsers rarely get refused.
    let form = match multipart::read(&headers, form, limit, &FIELDS).await? {
        Upload::Read(form) => form,
        Upload::DeclaredTooLarge(declared) => {
            upload::refused_for_size(&ctx, Some(declared)).await?;
            return Ok(multipart::too_large_page(
                limit,
                "limit",
                ("/dnc", "Back to DNC"),
            ));
        }
        Upload::TooLarge => {
            upload::refused_for_size(&ctx, None).await?;
            return Ok(Redirect::to(TOO_LARGE).into_response());
        }
    };
    let mode = match form.fields.get("mode") {
        Some(mode) => DncMode::parse(mode.trim())
            .ok_or_else(|| AppError::validation("mode", "Choose what the file is for."))?,
        None => DncMode::DncList,
    };
    if form.file_name.is_empty() {
        return Ok(Redirect::to("/dnc?error=file").into_response());
    }
    let received = Received {
        mode,
        contact_list_id: number(form.field("contact_list_id")),
        dnc_list_id: number(form.field("dnc_list_id")),
        file_name: form.file_name,
        bytes: form.bytes,
    };
    match upload::receive(&ctx.state, &ctx.user, &ctx.meta, received).await {
        Ok(id) => Ok(Redirect::to(&format!("/dnc/uploads/{id}")).into_response()),
        // A plain form post: the page explains the field by its code.
        Err(AppError::Validation { field, .. }) => {
            Ok(Redirect::to(&format!("/dnc?error={field}")).into_response())
        }
        Err(AppError::NotFound(_)) => {
            Ok(Redirect::to("/dnc?error=contact_list_id").into_response())
        }
        Err(AppError::Busy {
            message,
            retry_after_secs,
        }) => Ok(super::busy_page(&message, retry_after_secs, "/dnc")),
        Err(error) => Err(error.into()),
    }
}
