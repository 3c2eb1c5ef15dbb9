//! The one export handler of every report (`/{report}/export.csv` and `.xlsx`, mounted per report
//! in `router.rs`): the caller's role checked, the filters read from the query string and pinned
//! to the caller's scope, the export audited with the report's action and its filters (bounded,
//! [`audited`]). CSV streams keyset batches through a channel ([`csv`]); a workbook's rows are
//! written in constant memory on a blocking thread, a few workbooks at a time ([`workbook`]), and
//! it is audited with its row count once every row is written (then zipped into the response),
//! so a failed build is never recorded as an export. Every cell goes through
//! `domain::export` (formulas neutralised). CSV is for systems (column keys, stored values, full
//! length); the workbook is for people (headings, labels, cells cut at Excel's limit). A refused
//! export answers a small page with the reason and a link back to the report, since the browser
//! followed a download link and would otherwise show raw JSON.

mod audited;
pub mod csv;
pub mod workbook;

use axum::body::Body;
use axum::extract::{OriginalUri, Path, RawQuery};
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use domain::audit::{self, Actor, AuditEvent, Outcome};
use domain::report::Report;
use serde_json::json;
use tokio::sync::mpsc;
use types::error::{internal, AppError};
use types::report::{Sort, UrlQuery};

use super::download::{self, Download};
use super::Caller;
use crate::routes::ApiError;

/// `GET …/export.csv` or `…/export.xlsx` for report `R`.
pub async fn export<R: Report>(
    caller: Caller,
    Path(file): Path<String>,
    OriginalUri(uri): OriginalUri,
    RawQuery(query): RawQuery,
) -> Response {
    match build::<R>(caller, &file, query.as_deref().unwrap_or_default()).await {
        Ok(response) => response,
        Err(error) => refused(error, uri.path(), uri.query()),
    }
}

/// The error's status (and headers) with a page saying why and linking back to the report with
/// the same filters (the report's page is the export's path without its file name).
fn refused(error: ApiError, path: &str, query: Option<&str>) -> Response {
    let message = escape(&error.0.to_string());
    let page = path.rsplit_once('/').map_or("/", |(page, _)| page);
    let back = escape(&match query {
        Some(query) => format!("{page}?{query}"),
        None => page.to_string(),
    });
    let (mut parts, _) = error.into_response().into_parts();
    parts.headers.remove(header::CONTENT_TYPE);
    let html = Html(format!(
        "<!DOCTYPE html><title>Export refused · OCM</title><p>{message}</p>\
         <p><a href=\"{back}\">Back to the report</a></p>"
    ));
    (parts, html).into_response()
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

async fn build<R: Report>(caller: Caller, file: &str, query: &str) -> Result<Response, ApiError> {
    let ctx = caller.require(R::EXPORT_ACTION, R::ROLES).await?;
    build_for::<R>(ctx, file, query).await
}

/// The export of `R` as `file` (`export.csv` or `export.xlsx`) for a caller whose role was
/// checked (a signed-in user here, an API client in `crate::api::reports`).
pub async fn build_for<R: Report>(
    ctx: domain::access::Ctx,
    file: &str,
    query: &str,
) -> Result<Response, ApiError> {
    domain::report::access::check::<R>(&ctx, R::EXPORT_ACTION).await?;
    let format = match file {
        "export.csv" => "csv",
        "export.xlsx" => "xlsx",
        _ => return Err(AppError::NotFound("This export".into()).into()),
    };
    let filters = R::Filters::from_query_string(query);
    let scoped = R::scope(&ctx, &filters).await?;
    let asked = Sort::from_query_string(query);
    let sort = domain::report::Order::of::<R>(&asked)?;
    let order = asked
        .column()
        .and_then(|(key, descending)| Sort::by(key, descending).order);
    let stamp = time::OffsetDateTime::now_utc()
        .format(time::macros::format_description!(
            "[year][month][day]-[hour][minute][second]"
        ))
        .unwrap_or_default();
    let name = format!("{}-{stamp}.{format}", R::FILE_STEM);
    let filters = audited::bounded(serde_json::to_value(&filters).map_err(|e| internal(&e))?);
    let event = AuditEvent::new(R::EXPORT_ACTION, Outcome::Success)
        .with_parameters(json!({ "format": format, "filters": filters, "order": order }));
    let pool = ctx.state.pool.clone();
    let actor = Actor::user(&ctx.user);
    if format == "csv" {
        let slot = csv::slot().ok_or_else(|| AppError::Busy {
            message: "OCM is streaming other exports right now. Try again in a minute.".into(),
            retry_after_secs: 30,
        })?;
        // A stream cannot be audited after the fact: the export is recorded as it starts.
        audit::record(&pool, &actor, &ctx.meta, event)
            .await
            .map_err(AppError::from)?;
        let (sender, mut receiver) = mpsc::channel(csv::CHANNEL);
        tokio::spawn(csv::produce::<R>(pool, (scoped, sort), sender, slot));
        let stream = futures::stream::poll_fn(move |cx| receiver.poll_recv(cx));
        return Ok(Download::new(Body::from_stream(stream), download::CSV, &name).into_response());
    }
    let built = workbook::build::<R>(&pool, (&scoped, sort)).await?;
    let event = event.with_counts(json!({ "rows": built.rows() }));
    audit::record(&pool, &actor, &ctx.meta, event)
        .await
        .map_err(AppError::from)?;
    Ok(Download::new(built.into_body(), download::XLSX, &name).into_response())
}
