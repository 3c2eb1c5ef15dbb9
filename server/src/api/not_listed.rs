//! `POST /api/v1/not-listed`: an external pre-processing step reports the accounts it left out
//! (seed 001's Account Not in Listing), as the CSV `ocm reports not-listed` reads, stored as one
//! audited batch (`domain::reports::not_listed::external`).

use axum::body::to_bytes;
use axum::extract::Request;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use domain::reports::not_listed::external::{self, ExternalBatch};
use serde::{Deserialize, Serialize};
use types::model::ApiScope;
use utoipa::{IntoParams, ToSchema};

use super::paging::ApiQuery;
use crate::edge::api::{once, ApiCaller, Problem, ProblemDoc};

/// Where the rows belong.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct BatchQuery {
    /// The contact list the rows were meant for (1 to 200 characters).
    #[param(min_length = 1, max_length = 200)]
    pub list: String,
    /// The step's name for this batch, e.g. its file name (1 to 200 characters).
    #[param(min_length = 1, max_length = 200)]
    pub batch: String,
    /// Required for a client of every organization; others may only name their own.
    pub organization: Option<String>,
}

/// What was stored.
#[derive(Debug, Serialize, ToSchema)]
pub struct BatchAnswer {
    pub rows: u64,
    pub organization: String,
    pub list: String,
    pub batch: String,
}

/// Adds a batch of rows left out by an external step: CSV with the header
/// `row_number,user_contact_id,phone,category,reason` (any order, `row_number` optional),
/// at most 200,000 rows and 32 MiB; refused whole, naming the row and column, if any row is bad.
#[utoipa::path(post, path = "/not-listed", tag = "reports", params(BatchQuery,
        ("Idempotency-Key" = Option<String>, Header, pattern = "^[!-~]{1,200}$", description = "Runs the call once per key and body (1 to 200 visible ASCII characters)")),
    request_body(content = String, content_type = "text/csv"),
    security(("bearer" = ["reports"])),
    responses((status = 201, body = BatchAnswer), (status = 400, body = ProblemDoc, content_type = "application/problem+json"), (status = 401, body = ProblemDoc, content_type = "application/problem+json"),
              (status = 403, body = ProblemDoc, content_type = "application/problem+json"), (status = 413, body = ProblemDoc, content_type = "application/problem+json"), (status = 415, body = ProblemDoc, content_type = "application/problem+json"), (status = 422, body = ProblemDoc, content_type = "application/problem+json"), (status = 404, description = "The organization named is not the client's or not known", body = ProblemDoc, content_type = "application/problem+json"), (status = 429, description = "Rate limited (Retry-After)", body = ProblemDoc, content_type = "application/problem+json"), (status = 408, description = "The answer took over 60 s; an action started goes on to its end", body = ProblemDoc, content_type = "application/problem+json"), (status = 500, description = "A fault inside OCM (the detail names its reference)", body = ProblemDoc, content_type = "application/problem+json"), (status = 409, description = "The first call with this Idempotency-Key is still running, or did not finish", body = ProblemDoc, content_type = "application/problem+json"), (status = 503, description = "Other batches are being stored (Retry-After)", body = ProblemDoc, content_type = "application/problem+json")))]
pub async fn add(
    caller: ApiCaller,
    ApiQuery(query): ApiQuery<BatchQuery>,
    request: Request,
) -> Response {
    if let Err(problem) = caller
        .require(ApiScope::Reports, "POST /api/v1/not-listed")
        .await
    {
        return problem.into_response();
    }
    let is_csv = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim().to_ascii_lowercase().starts_with("text/csv"));
    if !is_csv {
        return Problem::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "Send the rows as CSV with Content-Type: text/csv.",
        )
        .into_response();
    }
    // Checked before the body is read: at most a few batches are held in memory at once.
    let Ok(_slot) = BATCHES.try_acquire() else {
        let mut problem = Problem::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "busy",
            "Other batches are being stored: send this one again in a few seconds.",
        );
        problem.retry_after = Some(5);
        return problem.into_response();
    };
    let (parts, body) = request.into_parts();
    let limit = external::MAX_BYTES as usize;
    let Ok(body) = to_bytes(body, limit).await else {
        return Problem::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "body_too_large",
            format!(
                "A batch is at most {} MiB: send the rows as several batches.",
                limit >> 20
            ),
        )
        .into_response();
    };
    let acting = caller.clone();
    let rows_csv = body.clone();
    once(
        &caller,
        (&parts.method, &parts.uri, &parts.headers),
        &body,
        move || async move {
            let caller = acting;
            let ctx = caller.ctx(query.organization.as_deref()).await?;
            let rows = external::parse(&rows_csv)?;
            let batch = ExternalBatch {
                organization: ctx.user.organization.clone(),
                list: query.list.trim().to_string(),
                batch: query.batch.trim().to_string(),
            };
            let actor = domain::audit::Actor::user(&ctx.user);
            let added = external::add(&ctx.state.pool, &batch, &rows, (&actor, &ctx.meta)).await?;
            let answer = BatchAnswer {
                rows: added,
                organization: batch.organization,
                list: batch.list,
                batch: batch.batch,
            };
            Ok((
                StatusCode::CREATED,
                serde_json::to_value(answer).unwrap_or_default(),
            ))
        },
    )
    .await
}

/// Batches read and stored at once, across clients (each holds up to 32 MiB while it is).
static BATCHES: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(2);
