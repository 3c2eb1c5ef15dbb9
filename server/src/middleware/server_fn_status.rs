//! Leptos answers every failed server function with 500. This layer gives `/api/*` failures the
//! HTTP status of their `AppError` (401, 403, 400, 429, …), so scripts and monitoring see the
//! real reason.

use axum::body::{to_bytes, Body};
use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use types::error::AppError;

/// Largest error body inspected for its status (errors are small JSON documents).
const MAX_ERROR_BODY: usize = 64 * 1024;

/// The URL prefix of server functions.
pub const SERVER_FN_PREFIX: &str = "/api/";

/// Maps the status of failed server-function responses.
pub async fn map_error_status(request: Request, next: Next) -> Response {
    let path = request.uri().path();
    // The automation API (`/api/v1`) answers problem+json with its own statuses.
    let is_server_fn = path.starts_with(SERVER_FN_PREFIX) && !path.starts_with(crate::api::BASE);
    let response = next.run(request).await;
    if !is_server_fn || response.status() != StatusCode::INTERNAL_SERVER_ERROR {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let bytes = match to_bytes(body, MAX_ERROR_BODY).await {
        Ok(bytes) => bytes,
        Err(_) => {
            return (StatusCode::INTERNAL_SERVER_ERROR, "server function failed").into_response()
        }
    };
    if let Ok(error) = serde_json::from_slice::<AppError>(&bytes) {
        parts.status =
            StatusCode::from_u16(error.status_code()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    }
    Response::from_parts(parts, Body::from(bytes))
}
