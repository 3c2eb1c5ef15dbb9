//! `POST /dnc/upload`: the DNC upload form (multipart, works without JavaScript). A file over the
//! size limit is refused from its declared length before it is read, or as soon as it passes the
//! limit while streaming; otherwise the backend stores it with its pre-flight (or the reason it was
//! refused) and the browser goes to the upload's page. Nothing reaches POM here.

use axum::extract::{Multipart, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use domain::audit::{self, Actor, AuditEvent, Outcome};
use domain::auth::{self, Activity};
use domain::dnc::upload::{self, Received};
use domain::request_meta::RequestMeta;
use domain::state::AppState;
use domain::{access as guard, lists};
use serde_json::json;
use tower_sessions::Session;
use types::error::AppError;
use types::model::DncMode;

use super::ApiError;

const TOO_LARGE: &str = "/dnc?error=too_large";

fn text(value: &str) -> Option<i64> {
    value.trim().parse().ok()
}

/// Audits a file refused for its size.
async fn refused_for_size(
    state: &AppState,
    user: &types::model::CurrentUser,
    meta: &RequestMeta,
    declared: Option<u64>,
) -> Result<(), AppError> {
    let event = AuditEvent::new("dnc.upload", Outcome::Failure)
        .with_organization(user.organization.clone())
        .with_parameters(json!({ "problem": "file too large", "limit_bytes": state.settings.dnc.max_file_bytes, "declared_bytes": declared }));
    audit::record(&state.pool, &Actor::user(user), meta, event).await?;
    Ok(())
}

pub async fn upload(
    State(state): State<AppState>,
    session: Session,
    meta: RequestMeta,
    headers: HeaderMap,
    mut form: Multipart,
) -> Result<Response, ApiError> {
    let (user, _) = auth::authenticate(&state, &session, Activity::Touch).await?;
    guard::check_role(&state, &user, &meta, "dnc.upload", &lists::ROLES).await?;
    let limit = state.settings.dnc.max_file_bytes;
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    // The form's other fields are small; the file itself is what the limit is about. Refused from
    // the declared length, before the file is read. (With JavaScript the page checks the size
    // before sending, so browsers rarely get here.)
    if declared.is_some_and(|length| length > limit + 64 * 1024) {
        refused_for_size(&state, &user, &meta, declared).await?;
        let page = format!(
            "<!DOCTYPE html><title>File too large · OCM</title><p>The file is larger than the {} MB limit. <a href=\"/dnc\">Back to DNC</a></p>",
            limit / (1024 * 1024)
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
        mode: DncMode::DncList,
        contact_list_id: None,
        dnc_list_id: None,
    };
    let bad_form = |e: axum::extract::multipart::MultipartError| {
        AppError::validation("file", format!("The upload could not be read: {e}"))
    };
    while let Some(mut field) = form.next_field().await.map_err(bad_form)? {
        let name = field.name().unwrap_or_default().to_string();
        match name.as_str() {
            "file" => {
                received.file_name = field.file_name().unwrap_or("upload").to_string();
                while let Some(chunk) = field.chunk().await.map_err(bad_form)? {
                    if received.bytes.len() as u64 + chunk.len() as u64 > limit {
                        // Read the rest (bounded by the route's body limit) so the browser gets
                        // the answer instead of a cut connection, and keep none of it.
                        while field.chunk().await.map_err(bad_form)?.is_some() {}
                        while let Some(rest) = form.next_field().await.map_err(bad_form)? {
                            drop(rest);
                        }
                        refused_for_size(&state, &user, &meta, None).await?;
                        return Ok(Redirect::to(TOO_LARGE).into_response());
                    }
                    received.bytes.extend_from_slice(&chunk);
                }
            }
            name => {
                let value = field.text().await.map_err(bad_form)?;
                match name {
                    "mode" => {
                        received.mode = DncMode::parse(value.trim()).ok_or_else(|| {
                            AppError::validation("mode", "Choose what the file is for.")
                        })?
                    }
                    "contact_list_id" => received.contact_list_id = text(&value),
                    "dnc_list_id" => received.dnc_list_id = text(&value),
                    _ => {}
                }
            }
        }
    }
    if received.file_name.is_empty() {
        return Ok(Redirect::to("/dnc?error=file").into_response());
    }
    match upload::receive(&state, &user, &meta, received).await {
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
