//! `Idempotency-Key` for state-changing calls (`domain::api::idempotency`): the call runs once
//! per key and request; repeats get the first answer (`Idempotent-Replayed: true`), another
//! request with the key 422, a repeat while the first runs 409, a repeat after the first died
//! mid-way 409 "outcome unknown". Every call, with a key or without, runs to its end in a task of
//! its own: a client hanging up or the request timing out never cuts an action in half.

use std::future::Future;

use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use domain::api::idempotency::{self, Claim};
use serde_json::Value;
use types::model::AuditAction;

use super::bearer::ApiCaller;
use super::problem::Problem;

/// The header clients send.
pub const KEY_HEADER: &str = "idempotency-key";

/// A call's answer: its status and JSON body, or a problem.
pub type Answer = Result<(StatusCode, Value), Problem>;

fn respond(answer: Answer) -> Response {
    match answer {
        Ok((status, body)) => (status, axum::Json(body)).into_response(),
        Err(problem) => problem.into_response(),
    }
}

fn replay(status: u16, body: Value) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
    let mut response = (status, serde_json::to_vec(&body).unwrap_or_default()).into_response();
    let headers = response.headers_mut();
    let kind = if status.is_success() {
        "application/json"
    } else {
        "application/problem+json"
    };
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    headers.insert("idempotent-replayed", HeaderValue::from_static("true"));
    response
}

/// Whether an answer says nothing was done, so the key may be used again: not a 502 after which
/// POM may have acted (it took a change and never answered), which a retry could repeat.
fn nothing_done(answer: &Answer) -> bool {
    matches!(answer, Err(problem) if matches!(problem.status, 429 | 502 | 503)
        && !problem.detail.contains(types::error::MAY_HAVE_ACTED))
}

/// Keeps the answer under the key (three tries), or releases the key when nothing was done.
/// `redact` takes out of the kept copy what must not be stored (a one-time link).
async fn settle(
    pool: &sqlx::PgPool,
    (client, key): (uuid::Uuid, &str),
    answer: &Answer,
    redact: fn(&mut Value),
) {
    if nothing_done(answer) {
        if let Err(error) = idempotency::release(pool, client, key).await {
            tracing::warn!(error = %error, "releasing an idempotency key failed");
        }
        return;
    }
    let (status, body) = match answer {
        Ok((status, body)) => {
            let mut kept = body.clone();
            redact(&mut kept);
            (status.as_u16(), kept)
        }
        Err(problem) => (
            problem.status,
            serde_json::to_value(problem).unwrap_or(Value::Null),
        ),
    };
    for attempt in 1..=3 {
        match idempotency::complete(pool, client, key, status, &body).await {
            Ok(()) => return,
            Err(error) => {
                tracing::warn!(error = %error, attempt, "keeping an idempotent answer failed")
            }
        }
    }
}

/// Runs `act` once for the request's `Idempotency-Key` (every time without one), to its end.
pub async fn once<F, Fut>(
    caller: &ApiCaller,
    request: (&Method, &Uri, &HeaderMap),
    body: &[u8],
    act: F,
) -> Response
where
    F: FnOnce() -> Fut + Send + 'static,
    Fut: Future<Output = Answer> + Send + 'static,
{
    once_redacted(caller, request, body, act, |_| {}).await
}

/// [`once`], keeping under the key a copy of a successful answer with `redact` applied: a replay
/// answers that copy (what may not be stored, such as a one-time link, is not given twice).
pub async fn once_redacted<F, Fut>(
    caller: &ApiCaller,
    (method, uri, headers): (&Method, &Uri, &HeaderMap),
    body: &[u8],
    act: F,
    redact: fn(&mut Value),
) -> Response
where
    F: FnOnce() -> Fut + Send + 'static,
    Fut: Future<Output = Answer> + Send + 'static,
{
    let key = match headers.get(KEY_HEADER).map(|k| k.to_str()) {
        None => None,
        Some(Ok(key)) if idempotency::check_key(key).is_ok() => Some(key.to_string()),
        Some(_) => {
            return Problem::invalid("Idempotency-Key", "1 to 200 visible ASCII characters")
                .into_response()
        }
    };
    let pool = caller.state.pool.clone();
    let client = caller.principal.client_id;
    if let Some(key) = &key {
        let path = uri.path_and_query().map_or(uri.path(), |p| p.as_str());
        let fingerprint = idempotency::fingerprint(method.as_str(), path, body);
        let refusal = match idempotency::claim(&pool, client, key, &fingerprint).await {
            Err(error) => Some(Problem::from(error)),
            Ok(Claim::Fresh) => None,
            Ok(Claim::Replay { status, body }) => {
                let route = format!("{method} {}", uri.path());
                if let Err(problem) = caller.audit(AuditAction::ApiReplay, &route, None).await {
                    return problem.into_response();
                }
                return replay(status, body);
            }
            Ok(Claim::InProgress) => Some(Problem::new(
                StatusCode::CONFLICT,
                "idempotency_in_progress",
                "A call with this Idempotency-Key is still running; ask again shortly.",
            )),
            Ok(Claim::Abandoned) => Some(Problem::new(
                StatusCode::CONFLICT,
                "idempotency_outcome_unknown",
                "The first call with this Idempotency-Key did not finish (OCM was interrupted), so \
                 it may or may not have acted: read the current state, then use a new key.",
            )),
            Ok(Claim::Mismatch) => Some(Problem::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "idempotency_key_reused",
                "This Idempotency-Key was used for a different request.",
            )),
        };
        if let Some(problem) = refusal {
            return problem.into_response();
        }
    }
    let task = tokio::spawn(async move {
        let answer = act().await;
        if let Some(key) = &key {
            settle(&pool, (client, key), &answer, redact).await;
        }
        answer
    });
    match task.await {
        Ok(answer) => respond(answer),
        Err(error) => Problem::from(types::error::internal(&error)).into_response(),
    }
}
