//! `Idempotency-Key` for state-changing calls (`domain::api::idempotency`): the call runs once
//! per key and body; repeats get the first answer (`Idempotent-Replayed: true`), a different body
//! 422, a repeat while the first runs 409.

use std::future::Future;

use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use domain::api::idempotency::{self, Claim};
use serde_json::Value;

use super::bearer::ApiCaller;
use super::problem::Problem;

/// The header clients send.
pub const KEY_HEADER: &str = "idempotency-key";

/// A call's answer: its status and JSON body.
pub type Answer = Result<(StatusCode, Value), Problem>;

fn respond(status: StatusCode, body: Value, replayed: bool) -> Response {
    let content_type = if status.is_success() {
        "application/json"
    } else {
        "application/problem+json"
    };
    let mut response = (status, serde_json::to_vec(&body).unwrap_or_default()).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if replayed {
        headers.insert("idempotent-replayed", HeaderValue::from_static("true"));
    }
    response
}

fn into_parts(answer: Answer) -> (StatusCode, Value) {
    match answer {
        Ok(done) => done,
        Err(problem) => {
            let status =
                StatusCode::from_u16(problem.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            (
                status,
                serde_json::to_value(&problem).unwrap_or(Value::Null),
            )
        }
    }
}

/// Runs `act` once for the request's `Idempotency-Key` (every time without one).
pub async fn once<F, Fut>(
    caller: &ApiCaller,
    (method, uri, headers): (&Method, &Uri, &HeaderMap),
    body: &[u8],
    act: F,
) -> Response
where
    F: FnOnce() -> Fut,
    Fut: Future<Output = Answer>,
{
    let Some(key) = headers.get(KEY_HEADER) else {
        return match act().await {
            Ok((status, body)) => respond(status, body, false),
            Err(problem) => problem.into_response(),
        };
    };
    let key = match key
        .to_str()
        .map_err(|_| ())
        .and_then(|k| idempotency::check_key(k).map(|()| k).map_err(|_| ()))
    {
        Ok(key) => key,
        Err(()) => {
            return Problem::invalid("Idempotency-Key", "1 to 200 visible ASCII characters")
                .into_response()
        }
    };
    let path = uri.path_and_query().map_or(uri.path(), |p| p.as_str());
    let fingerprint = idempotency::fingerprint(method.as_str(), path, body);
    let pool = &caller.state.pool;
    let client = caller.principal.client_id;
    match idempotency::claim(pool, client, key, &fingerprint).await {
        Err(error) => Problem::from(error).into_response(),
        Ok(Claim::Replay { status, body }) => respond(
            StatusCode::from_u16(status).unwrap_or(StatusCode::OK),
            body,
            true,
        ),
        Ok(Claim::InProgress) => Problem::new(
            StatusCode::CONFLICT,
            "idempotency_in_progress",
            "A call with this Idempotency-Key is still running; ask again shortly.",
        )
        .into_response(),
        Ok(Claim::Mismatch) => Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "idempotency_key_reused",
            "This Idempotency-Key was used for a different request.",
        )
        .into_response(),
        Ok(Claim::Fresh) => {
            let (status, body) = into_parts(act().await);
            if let Err(error) =
                idempotency::complete(pool, client, key, status.as_u16(), &body).await
            {
                tracing::warn!(error = %error, "keeping an idempotent answer failed");
            }
            respond(status, body, false)
        }
    }
}
