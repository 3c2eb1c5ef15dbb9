//! DNC downloads: an upload's reject file and POM's refusals after sending
//! (`/dnc/uploads/{id}/rejects.csv`, `/dnc/uploads/{id}/failures.csv`), and the DNC List report
//! (`/dnc/report/export.csv|xlsx`, phone numbers as text in the workbook). Exports are audited.

use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use domain::audit::{self, Actor, AuditEvent, Outcome};
use domain::auth::{self, Activity};
use domain::dnc::{report, upload};
use domain::export::{for_people, write_record, xlsx_text, UTF8_BOM};
use domain::request_meta::RequestMeta;
use domain::state::AppState;
use domain::{access as guard, lists};
use serde_json::json;
use tower_sessions::Session;
use types::error::AppError;
use types::model::{CurrentUser, DncReportQuery};

use super::ApiError;

/// Report rows per export.
const MAX_ROWS: i64 = 200_000;

async fn allowed(
    state: &AppState,
    session: &Session,
    meta: &RequestMeta,
    action: &'static str,
) -> Result<CurrentUser, ApiError> {
    let (user, _) = auth::authenticate(state, session, Activity::Touch).await?;
    guard::check_role(state, &user, meta, action, &lists::ROLES).await?;
    Ok(user)
}

fn download(bytes: Vec<u8>, content_type: &str, name: &str) -> Response {
    (
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
        .into_response()
}

fn csv(header: &[&str], rows: impl IntoIterator<Item = Vec<String>>) -> Result<Vec<u8>, AppError> {
    let mut buffer = UTF8_BOM.as_bytes().to_vec();
    write_record(&mut buffer, header).map_err(|e| types::error::internal(&e))?;
    for row in rows {
        write_record(&mut buffer, &row).map_err(|e| types::error::internal(&e))?;
    }
    Ok(buffer)
}

pub async fn upload_file(
    State(state): State<AppState>,
    session: Session,
    meta: RequestMeta,
    Path((id, file)): Path<(i64, String)>,
) -> Result<Response, ApiError> {
    let user = allowed(&state, &session, &meta, "dnc.download").await?;
    let stored = upload::load(&state, &user, id).await?;
    if matches!(file.as_str(), "rejects.csv" | "failures.csv") {
        // These files hold raw addresses: who took them is part of the forensic trail.
        let event = AuditEvent::new("dnc.download", Outcome::Success)
            .with_organization(stored.organization.clone())
            .with_target(stored.file_name.clone())
            .with_parameters(json!({ "upload_id": id, "file": file }));
        audit::record(&state.pool, &Actor::user(&user), &meta, event)
            .await
            .map_err(AppError::from)?;
    }
    match file.as_str() {
        "rejects.csv" => {
            let bytes = sqlx::query_scalar!(
                "select rejects_csv from dnc_upload where dnc_upload_id = $1",
                id
            )
            .fetch_one(&state.pool)
            .await
            .map_err(AppError::from)?
            .unwrap_or_default();
            // Files stored before every cell was quoted are made safe on the way out.
            let bytes = for_people(&bytes, b',').map_err(|e| types::error::internal(&e))?;
            Ok(download(
                bytes,
                "text/csv; charset=utf-8",
                &format!("rejects-{}.csv", stored.id),
            ))
        }
        "failures.csv" => {
            let failures = sqlx::query!(
                r#"select address, outcome as "outcome!" from dnc_entry
                   where dnc_upload_id = $1 and state = 'failed' order by dnc_entry_id"#,
                id
            )
            .fetch_all(&state.pool)
            .await
            .map_err(AppError::from)?;
            let bytes = csv(
                &["value", "reason"],
                failures.into_iter().map(|f| vec![f.address, f.outcome]),
            )?;
            Ok(download(
                bytes,
                "text/csv; charset=utf-8",
                &format!("failures-{}.csv", stored.id),
            ))
        }
        _ => Err(AppError::NotFound("This file".into()).into()),
    }
}

const REPORT_HEADER: [&str; 13] = [
    "requested_at_utc",
    "address",
    "action",
    "source",
    "list",
    "organization",
    "requested_by",
    "file_name",
    "file_sha256",
    "state",
    "confirmed_at_utc",
    "outcome",
    "entry_id",
];

pub async fn report_export(
    State(state): State<AppState>,
    session: Session,
    meta: RequestMeta,
    Path(file): Path<String>,
    Query(query): Query<DncReportQuery>,
) -> Result<Response, ApiError> {
    let user = allowed(&state, &session, &meta, "dnc.report.export").await?;
    let format = match file.as_str() {
        "export.csv" => "csv",
        "export.xlsx" => "xlsx",
        _ => return Err(AppError::NotFound("This export".into()).into()),
    };
    let filter = report::filter_for(&user, &query)?;
    let rows = report::rows(&state.pool, &filter, 0, MAX_ROWS + 1)
        .await
        .map_err(AppError::from)?;
    if rows.len() as i64 > MAX_ROWS {
        return Err(AppError::validation("export", format!(
            "The report has more than {MAX_ROWS} rows; narrow the period or the filters and export again.")).into());
    }
    let count = rows.len();
    let lines = rows.into_iter().map(|r| {
        vec![
            r.requested_at,
            r.address,
            r.action,
            r.source_label,
            r.list,
            r.organization,
            r.requested_by,
            r.file_name.unwrap_or_default(),
            r.file_sha256.unwrap_or_default(),
            r.state,
            r.confirmed_at.unwrap_or_default(),
            r.outcome.unwrap_or_default(),
            r.entry_id.to_string(),
        ]
    });
    let event = AuditEvent::new("dnc.report.export", Outcome::Success)
        .with_parameters(json!({ "format": format, "query": query.to_query_string() }))
        .with_counts(json!({ "rows": count }));
    audit::record(&state.pool, &Actor::user(&user), &meta, event)
        .await
        .map_err(AppError::from)?;
    Ok(if format == "csv" {
        download(
            csv(&REPORT_HEADER, lines)?,
            "text/csv; charset=utf-8",
            "dnc-list-report.csv",
        )
    } else {
        let bytes =
            xlsx_text("DNC list", &REPORT_HEADER, lines).map_err(|e| types::error::internal(&e))?;
        download(
            bytes,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "dnc-list-report.xlsx",
        )
    })
}
