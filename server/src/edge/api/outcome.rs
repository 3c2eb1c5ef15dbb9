//! The last word on every API answer: an error that is not problem+json yet (a path id that is
//! not a number, a body over the limit, a timeout) becomes one, so clients parse one error shape;
//! and a refused or failed call of an authenticated client is audited as `api.refused` with its
//! status and code (scope refusals are audited where they happen, replays as `api.replay`,
//! rate-limit refusals once a minute per client).

use axum::body::to_bytes;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use domain::audit::Outcome;
use types::model::AuditAction;

use super::bearer::{ApiState, CallerSlot};
use super::problem::{Problem, ProblemCode};

/// The most of a plain error body kept as the problem's detail.
const MAX_PLAIN_ERROR: usize = 4 * 1024;

fn code_for(status: StatusCode) -> &'static str {
    match status.as_u16() {
        400 | 422 => "invalid_request",
        401 => "unauthorized",
        403 => "forbidden",
        404 => "route_not_found",
        405 => "method_not_allowed",
        408 => "request_timeout",
        413 => "body_too_large",
        415 => "unsupported_media_type",
        429 => "rate_limited",
        502 => "pom_unavailable",
        503 => "busy",
        500..=599 => "internal",
        _ => "invalid_request",
    }
}

/// The response as problem+json (unchanged when it is one already).
async fn as_problem(response: Response) -> Response {
    if response.extensions().get::<ProblemCode>().is_some() {
        return response;
    }
    let is_problem = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/problem+json"));
    if is_problem {
        return response;
    }
    let status = response.status();
    let text = to_bytes(response.into_body(), MAX_PLAIN_ERROR)
        .await
        .ok()
        .map(|b| String::from_utf8_lossy(&b).trim().to_string())
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| status.canonical_reason().unwrap_or("Error").to_string());
    Problem::new(status, code_for(status), text).into_response()
}

/// The API's outermost layer.
pub async fn outcome(State(state): State<ApiState>, mut request: Request, next: Next) -> Response {
    let slot = CallerSlot::default();
    request.extensions_mut().insert(slot.clone());
    let route = format!(
        "{} {}",
        request.method(),
        request
            .extensions()
            .get::<MatchedPath>()
            .map_or(request.uri().path(), MatchedPath::as_str)
    );
    let response = next.run(request).await;
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let replayed = response.headers().contains_key("idempotent-replayed");
    let response = as_problem(response).await;
    let code = response
        .extensions()
        .get::<ProblemCode>()
        .map_or("", |c| c.0);
    let Some(caller) = slot.0.get() else {
        return response;
    };
    let audited = match code {
        _ if replayed => false,
        "insufficient_scope" => false,
        // The record could not be written, and trying would hold the answer for another wait.
        "database_unavailable" => false,
        "rate_limited" => state.limits.audit_refusal(caller.principal.client_id),
        _ => true,
    };
    if audited {
        let outcome = if status.is_server_error() {
            Outcome::Failure
        } else {
            Outcome::Denied
        };
        let details = serde_json::json!({ "status": status.as_u16(), "code": code });
        if let Err(problem) = caller
            .audit(AuditAction::ApiRefused, &route, Some((outcome, details)))
            .await
        {
            tracing::warn!(detail = %problem.detail, "auditing a refused API call failed");
        }
    }
    response
}

/// The body of a response, for tests of this layer.
#[cfg(test)]
async fn body_json(response: Response) -> serde_json::Value {
    let bytes = to_bytes(response.into_body(), 1 << 16).await.unwrap();
    serde_json::from_slice(&bytes).unwrap()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn plain_errors_become_problems_and_problems_stay() {
        let plain = (StatusCode::PAYLOAD_TOO_LARGE, "length limit exceeded").into_response();
        let converted = as_problem(plain).await;
        assert_eq!(
            converted.headers()[header::CONTENT_TYPE],
            "application/problem+json"
        );
        let body = body_json(converted).await;
        assert_eq!(body["code"], "body_too_large");
        assert_eq!(body["detail"], "length limit exceeded");
        let empty = as_problem(StatusCode::REQUEST_TIMEOUT.into_response()).await;
        assert_eq!(body_json(empty).await["detail"], "Request Timeout");
        let problem =
            Problem::new(StatusCode::CONFLICT, "campaign_not_running", "x").into_response();
        let kept = body_json(as_problem(problem).await).await;
        assert_eq!(kept["code"], "campaign_not_running");
    }
}
