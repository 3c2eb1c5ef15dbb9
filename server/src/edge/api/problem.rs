//! Errors of the automation API as `application/problem+json` (RFC 9457): `type`, `title`,
//! `status`, `detail` (a server fault's names its logged reference), a stable `code` (the list and its Genesys/MaxContact equivalents are in
//! `docs/api.md`), the `field` a bad input names, and POM's `pom_fault` when POM refused.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use types::error::AppError;
use utoipa::ToSchema;

/// The code of a problem answer, left in the response's extensions for the audit layer.
#[derive(Debug, Clone, Copy)]
pub struct ProblemCode(pub &'static str);

/// Where the codes are described (the `type` of every problem).
const TYPE_BASE: &str = "/api/docs#problem-";

/// One problem, as the client receives it (written by `Serialize` below, with `type` made from
/// the code).
#[derive(Debug, Clone)]
pub struct Problem {
    pub title: &'static str,
    pub status: u16,
    pub detail: String,
    pub code: &'static str,
    pub field: Option<String>,
    pub pom_fault: Option<i32>,
    pub retry_after: Option<u32>,
}

/// The problem document as the OpenAPI document describes it.
#[derive(ToSchema)]
#[schema(as = Problem)]
pub struct ProblemDoc {
    /// `/api/docs#problem-<code>`: the reference page's entry for the code.
    #[schema(rename = "type")]
    pub kind: String,
    /// The HTTP status in words.
    pub title: String,
    pub status: u16,
    /// In words; a server fault's names the reference it is logged under.
    pub detail: String,
    /// Stable, for programs: `invalid_parameter`, `campaign_not_found`, …
    pub code: String,
    /// The request field, header or query parameter at fault.
    pub field: Option<String>,
    /// POM's return code when POM refused.
    pub pom_fault: Option<i32>,
}

impl Serialize for Problem {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("type", &format!("{TYPE_BASE}{}", self.code))?;
        map.serialize_entry("title", self.title)?;
        map.serialize_entry("status", &self.status)?;
        map.serialize_entry("detail", &self.detail)?;
        map.serialize_entry("code", self.code)?;
        if let Some(field) = &self.field {
            map.serialize_entry("field", field)?;
        }
        if let Some(fault) = self.pom_fault {
            map.serialize_entry("pom_fault", &fault)?;
        }
        map.end()
    }
}

impl Problem {
    /// A problem with its status, stable code and details.
    pub fn new(status: StatusCode, code: &'static str, detail: impl Into<String>) -> Self {
        Problem {
            title: status.canonical_reason().unwrap_or("Error"),
            status: status.as_u16(),
            detail: detail.into(),
            code,
            field: None,
            pom_fault: None,
            retry_after: None,
        }
    }

    /// A bad value in `field`.
    pub fn invalid(field: impl Into<String>, detail: impl Into<String>) -> Self {
        let mut problem = Problem::new(StatusCode::BAD_REQUEST, "invalid_parameter", detail);
        problem.field = Some(field.into());
        problem
    }

    /// No valid bearer token.
    pub fn unauthorized() -> Self {
        Problem::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "A valid bearer token is required: POST /api/v1/auth/token with the client id and secret.",
        )
    }

    /// A "not found" named for what was looked for (`campaign_not_found`, …) instead of the
    /// generic `not_found`.
    pub fn not_found_as(mut self, code: &'static str) -> Self {
        if self.code == "not_found" {
            self.code = code;
        }
        self
    }
}

impl From<AppError> for Problem {
    fn from(error: AppError) -> Self {
        let detail = error.to_string();
        match error {
            AppError::Unauthorized | AppError::SessionExpired | AppError::InvalidCredentials => {
                Problem::unauthorized()
            }
            AppError::Forbidden
            | AppError::PasswordChangeRequired
            | AppError::TwoFactorRequired => {
                Problem::new(StatusCode::FORBIDDEN, "forbidden", detail)
            }
            AppError::NotFound(_) => Problem::new(StatusCode::NOT_FOUND, "not_found", detail),
            AppError::BadId { .. } => Problem::new(StatusCode::NOT_FOUND, "not_found", detail),
            AppError::Validation { field, message } => Problem::invalid(field, message),
            AppError::Request(_) => {
                Problem::new(StatusCode::BAD_REQUEST, "invalid_request", detail)
            }
            AppError::Throttled { minutes } => {
                let mut problem =
                    Problem::new(StatusCode::TOO_MANY_REQUESTS, "rate_limited", detail);
                problem.retry_after = Some(u32::try_from(minutes * 60).unwrap_or(u32::MAX));
                problem
            }
            AppError::PomRefused { message, fault } => {
                let mut problem = Problem::new(StatusCode::CONFLICT, "pom_refused", message);
                problem.pom_fault = fault;
                problem
            }
            AppError::EmergencyMode(_) => {
                Problem::new(StatusCode::CONFLICT, "emergency_mode", detail)
            }
            AppError::ExternalService(_) => {
                Problem::new(StatusCode::BAD_GATEWAY, "pom_unavailable", detail)
            }
            AppError::Busy {
                retry_after_secs, ..
            } => {
                let mut problem = Problem::new(StatusCode::SERVICE_UNAVAILABLE, "busy", detail);
                problem.retry_after = Some(u32::try_from(retry_after_secs).unwrap_or(u32::MAX));
                problem
            }
            AppError::DatabaseUnavailable => {
                let mut problem = Problem::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "database_unavailable",
                    detail,
                );
                problem.retry_after = Some(types::error::DATABASE_RETRY_AFTER_SECS as u32);
                problem
            }
            AppError::Internal(_) => {
                Problem::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", detail)
            }
        }
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let retry_after = self.retry_after;
        let unauthorized = status == StatusCode::UNAUTHORIZED;
        let body = serde_json::to_vec(&self).unwrap_or_default();
        let mut response = (status, body).into_response();
        response.extensions_mut().insert(ProblemCode(self.code));
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        if let Some(seconds) = retry_after {
            headers.insert(header::RETRY_AFTER, seconds.into());
        }
        if unauthorized {
            headers.insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"ocm\""),
            );
        }
        response
    }
}
