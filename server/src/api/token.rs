//! `POST /api/v1/auth/token`: a client id and secret (HTTP Basic) for a bearer token.

use axum::extract::State;
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use axum::Json;
use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use domain::api::tokens;
use domain::request_meta::RequestMeta;
use serde::Serialize;
use utoipa::ToSchema;

use crate::edge::api::{ApiState, Problem, ProblemDoc};

/// A bearer token for the other calls.
#[derive(Debug, Serialize, ToSchema)]
pub struct TokenAnswer {
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: &'static str,
    /// Seconds the token lives.
    pub expires_in: u64,
}

/// The client id and secret of an `Authorization: Basic …` header.
fn basic(headers: &HeaderMap) -> Option<(String, String)> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, encoded) = value.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") || encoded.len() > 512 {
        return None;
    }
    let decoded = String::from_utf8(STANDARD.decode(encoded.trim()).ok()?).ok()?;
    let (id, secret) = decoded.split_once(':')?;
    Some((id.to_string(), secret.to_string()))
}

/// Issues a bearer token.
#[utoipa::path(
    post,
    path = "/auth/token",
    tag = "auth",
    security(("client_credentials" = [])),
    responses(
        (status = 200, description = "A token", body = TokenAnswer),
        (status = 401, description = "No or malformed HTTP Basic credentials, unknown client, wrong secret, a disabled or expired client, or its organization deactivated", body = ProblemDoc, content_type = "application/problem+json"),
        (status = 429, description = "Too many token requests", body = ProblemDoc, content_type = "application/problem+json"),
        (status = 408, description = "The answer took over 60 s; an action started goes on to its end", body = ProblemDoc, content_type = "application/problem+json"), (status = 500, description = "A fault inside OCM (the detail names its reference)", body = ProblemDoc, content_type = "application/problem+json"),
    )
)]
pub async fn token(
    State(state): State<ApiState>,
    meta: RequestMeta,
    headers: HeaderMap,
) -> Response {
    if let Err(problem) = state.limits.anonymous(&meta.client_addr) {
        return problem.into_response();
    }
    let Some((client_id, secret)) = basic(&headers) else {
        return refused("Send the client id and secret as HTTP Basic credentials.");
    };
    let lifetime = state.app.settings.api.token_lifetime;
    match tokens::issue(&state.app.pool, &client_id, &secret, lifetime, &meta).await {
        Ok(issued) => {
            let mut response = Json(TokenAnswer {
                access_token: issued.access_token,
                token_type: "Bearer",
                expires_in: issued.expires_in,
            })
            .into_response();
            response.headers_mut().insert(
                header::CACHE_CONTROL,
                header::HeaderValue::from_static("no-store"),
            );
            response
        }
        Err(types::error::AppError::Unauthorized) => {
            refused("Unknown client, wrong secret, or a disabled or expired client.")
        }
        Err(error) => Problem::from(error).into_response(),
    }
}

/// 401 asking for the client's HTTP Basic credentials.
fn refused(detail: &str) -> Response {
    let mut problem = Problem::unauthorized();
    problem.detail = detail.into();
    let mut response = problem.into_response();
    response.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        header::HeaderValue::from_static("Basic realm=\"ocm\""),
    );
    response
}
