//! `GET /purge/history/export.csv` and `.xlsx`: the filtered purge history (seed 001's
//! `OutboundPurgeData`, one row per run and campaign id) as spreadsheet-safe CSV or a workbook.
//! The export is audited.

use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use domain::audit::{self, Actor, AuditEvent, Outcome};
use domain::auth::{self, Activity};
use domain::export::{write_record, xlsx, UTF8_BOM};
use domain::purge::history::{filter_for, rows};
use domain::request_meta::RequestMeta;
use domain::state::AppState;
use domain::{access as guard, lists};
use serde_json::json;
use tower_sessions::Session;
use types::error::AppError;
use types::model::{PurgeHistoryQuery, PurgeRunRow};

use super::ApiError;

/// Runs per export (the history is small: one row per purge).
const MAX_RUNS: i64 = 50_000;

const HEADER: [&str; 17] = [
    "purge_run_id",
    "created_at_utc",
    "organization",
    "mode",
    "contact_list",
    "contact_list_id",
    "campaign_id",
    "before_purging",
    "after_purging",
    "business_parameter",
    "filter",
    "user",
    "matched",
    "deleted",
    "failed",
    "restored",
    "job_state",
];

async fn campaign_rows(state: &AppState, run: &PurgeRunRow) -> Result<Vec<Vec<String>>, AppError> {
    let counts = sqlx::query!(
        "select campaign_id, before_count, after_count from purge_campaign_count where purge_run_id = $1 order by campaign_id",
        run.purge_run_id
    )
    .fetch_all(&state.pool)
    .await?;
    let line = |campaign: String, before: i64, after: Option<i64>| {
        vec![
            run.purge_run_id.to_string(),
            run.created_at.clone(),
            run.organization.clone(),
            run.mode.clone(),
            run.list_name.clone(),
            run.list_id.to_string(),
            campaign,
            before.to_string(),
            after.map(|a| a.to_string()).unwrap_or_default(),
            run.reason.clone(),
            run.filter.clone(),
            run.requested_by.clone(),
            run.matched.to_string(),
            run.deleted.to_string(),
            run.failed.to_string(),
            run.restored.to_string(),
            run.job.state.as_str().to_string(),
        ]
    };
    if counts.is_empty() {
        return Ok(vec![line(String::new(), run.before, run.after)]);
    }
    Ok(counts
        .into_iter()
        .map(|c| line(c.campaign_id, c.before_count, c.after_count))
        .collect())
}

pub async fn export(
    State(state): State<AppState>,
    session: Session,
    meta: RequestMeta,
    Path(file): Path<String>,
    Query(query): Query<PurgeHistoryQuery>,
) -> Result<Response, ApiError> {
    let (user, _) = auth::authenticate(&state, &session, Activity::Touch).await?;
    guard::check_role(&state, &user, &meta, "purge.export", &lists::ROLES).await?;
    let format = match file.as_str() {
        "export.csv" => "csv",
        "export.xlsx" => "xlsx",
        _ => return Err(AppError::NotFound("This export".into()).into()),
    };
    let filter = filter_for(&user, &query)?;
    let runs = rows(&state.pool, &filter, 0, MAX_RUNS)
        .await
        .map_err(AppError::from)?;
    let mut lines = Vec::new();
    for run in &runs {
        lines.extend(campaign_rows(&state, run).await?);
    }
    let event = AuditEvent::new("purge.export", Outcome::Success)
        .with_parameters(json!({ "format": format, "query": query.to_query_string() }))
        .with_counts(json!({ "runs": runs.len(), "rows": lines.len() }));
    audit::record(&state.pool, &Actor::user(&user), &meta, event)
        .await
        .map_err(AppError::from)?;
    let (bytes, content_type) = if format == "csv" {
        let mut buffer = UTF8_BOM.as_bytes().to_vec();
        let mut write = |cells: &[String]| {
            write_record(&mut buffer, cells).map_err(|e| types::error::internal(&e))
        };
        write(&HEADER.map(str::to_string))?;
        for line in &lines {
            write(line)?;
        }
        (buffer, "text/csv; charset=utf-8")
    } else {
        let bytes =
            xlsx("Purge history", &HEADER, lines).map_err(|e| types::error::internal(&e))?;
        (
            bytes,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    };
    let name = format!("purge-history.{format}");
    Ok((
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        bytes,
    )
        .into_response())
}
