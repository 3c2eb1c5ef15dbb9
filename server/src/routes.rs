//! Plain axum routes (health, metrics, sign-in forms, uploads, downloads, event streams). Each takes the
//! session and role through `edge::Caller` (`edge::Watcher` for streams) and hands files out as
//! `edge::Download`. Server functions are mounted by `leptos_routes` under `/api/`.

pub mod auth;
pub mod callback_events;
pub mod campaign_events;
pub mod dnc_files;
pub mod dnc_upload;
pub mod erasure_certificate;
pub mod events;
pub mod export_files;
pub mod floor_events;
pub mod health;
pub mod mappings;
pub mod metrics;
pub mod shared_stream;
pub mod upload_files;

use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::Json;

/// `AppError` as an HTTP response: its status and a JSON `{message}` body.
pub struct ApiError(pub types::error::AppError);

impl From<types::error::AppError> for ApiError {
    fn from(error: types::error::AppError) -> Self {
        ApiError(error)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status =
            StatusCode::from_u16(self.0.status_code()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut response = (
            status,
            Json(serde_json::json!({ "message": self.0.to_string() })),
        )
            .into_response();
        if let Some(seconds) = self.0.retry_after_secs() {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, seconds.into());
        }
        response
    }
}

/// What a page answers while the database is away: 503 with `Retry-After`, in plain words, the
/// same for everyone (no error text, nothing about the set-up). It reloads itself, so an open
/// page comes back on its own once the database does.
pub fn database_unavailable_page() -> Response {
    let seconds = types::error::DATABASE_RETRY_AFTER_SECS;
    let page = format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta http-equiv=\"refresh\" content=\"{seconds}\">\
         <title>Database unavailable · OCM</title></head><body><main>\
         <h1>Database unavailable</h1>\
         <p>OCM cannot reach its database just now, so pages cannot be shown.</p>\
         <p>What was saved is safe. Running jobs wait and carry on by themselves when the \
         database is back, and so does this page: it tries again every {seconds} seconds.</p>\
         </main></body></html>"
    );
    (
        StatusCode::SERVICE_UNAVAILABLE,
        [(header::RETRY_AFTER, seconds.to_string())],
        Html(page),
    )
        .into_response()
}

/// The answer to a form post OCM is too busy for (see `AppError::Busy`): 503 with `Retry-After`
/// and the message in plain words, with a link `back`.
pub fn busy_page(message: &str, retry_after_secs: u64, back: &str) -> Response {
    let escaped = message
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    let page = format!(
        "<!DOCTYPE html><title>OCM is busy · OCM</title><p>{escaped}</p><p><a href=\"{back}\">Back</a></p>"
    );
    (
        StatusCode::SERVICE_UNAVAILABLE,
        [(header::RETRY_AFTER, retry_after_secs.to_string())],
        Html(page),
    )
        .into_response()
}
