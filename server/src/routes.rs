//! Plain axum routes (health, sign-in forms, downloads). Each checks the session and role itself
//! through `app::backend`. Server functions are mounted by `leptos_routes` under `/api/`.

pub mod audit_export;
pub mod auth;
pub mod campaign_events;
pub mod dnc_files;
pub mod dnc_upload;
pub mod events;
pub mod health;
pub mod purge_export;
pub mod upload_files;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;

/// `AppError` as an HTTP response: its status and a JSON `{message}` body.
pub struct ApiError(pub app::error::AppError);

impl From<app::error::AppError> for ApiError {
    fn from(error: app::error::AppError) -> Self {
        ApiError(error)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status =
            StatusCode::from_u16(self.0.status_code()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        (
            status,
            Json(serde_json::json!({ "message": self.0.to_string() })),
        )
            .into_response()
    }
}
