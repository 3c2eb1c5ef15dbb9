//! `GET /audit/export.csv`: the filtered audit log as spreadsheet-safe CSV, streamed in keyset
//! batches so a large log never sits in memory. The export itself is audited.

use axum::body::{Body, Bytes};
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use domain::access as guard;
use domain::audit::{self, Actor, AuditEvent, Outcome};
use domain::audit_log::{self, AuditFilter};
use domain::auth::{self, Activity};
use domain::export::{write_record, UTF8_BOM};
use domain::request_meta::RequestMeta;
use domain::state::AppState;
use sqlx::PgPool;
use tokio::sync::mpsc;
use tower_sessions::Session;
use types::model::{AuditEventRow, AuditQuery, Role};

use super::ApiError;

const BATCH: i64 = 2_000;

const HEADER: [&str; 13] = [
    "id",
    "occurred_at_utc",
    "username",
    "role",
    "organization",
    "action",
    "target",
    "outcome",
    "parameters",
    "counts",
    "request_id",
    "client_addr",
    "user_agent",
];

fn cells(row: AuditEventRow) -> [String; 13] {
    [
        row.id.to_string(),
        row.occurred_at,
        row.username.unwrap_or_default(),
        row.role.unwrap_or_default(),
        row.organization.unwrap_or_default(),
        row.action,
        row.target.unwrap_or_default(),
        row.outcome,
        row.parameters,
        row.counts.unwrap_or_default(),
        row.request_id.unwrap_or_default(),
        row.client_addr.unwrap_or_default(),
        row.user_agent.unwrap_or_default(),
    ]
}

async fn produce(
    pool: PgPool,
    filter: AuditFilter,
    sender: mpsc::Sender<Result<Bytes, std::io::Error>>,
) {
    let mut buffer = UTF8_BOM.as_bytes().to_vec();
    if write_record(&mut buffer, HEADER).is_err()
        || sender.send(Ok(Bytes::from(buffer))).await.is_err()
    {
        return;
    }
    let mut cursor = None;
    loop {
        let rows = match audit_log::batch(&pool, &filter, cursor, BATCH).await {
            Ok(rows) => rows,
            Err(error) => {
                tracing::error!(error = %error, "audit export stopped");
                let _ = sender
                    .send(Err(std::io::Error::other("export interrupted")))
                    .await;
                return;
            }
        };
        let Some((last, _)) = rows.last() else { return };
        cursor = Some(*last);
        let full = rows.len() as i64 == BATCH;
        let mut buffer = Vec::with_capacity(rows.len() * 200);
        for (_, row) in rows {
            if write_record(&mut buffer, cells(row)).is_err() {
                return;
            }
        }
        if sender.send(Ok(Bytes::from(buffer))).await.is_err() || !full {
            return;
        }
    }
}

/// Streams the CSV for the filters in the query string (the audit page's "Export CSV" link).
pub async fn export(
    State(state): State<AppState>,
    session: Session,
    meta: RequestMeta,
    Query(query): Query<AuditQuery>,
) -> Result<Response, ApiError> {
    let (user, _) = auth::authenticate(&state, &session, Activity::Touch).await?;
    guard::check_role(
        &state,
        &user,
        &meta,
        "audit.export",
        &[Role::Admin, Role::Supervisor],
    )
    .await?;
    let scope = audit_log::scope_for(&user)?;
    let filter = audit_log::parse_filter(&query, &scope)?;
    let event = AuditEvent::new("audit.export", Outcome::Success)
        .with_parameters(serde_json::to_value(&query).unwrap_or_default());
    audit::record(&state.pool, &Actor::user(&user), &meta, event)
        .await
        .map_err(types::error::AppError::from)?;

    let (sender, mut receiver) = mpsc::channel(4);
    tokio::spawn(produce(state.pool.clone(), filter, sender));
    let stream = futures::stream::poll_fn(move |cx| receiver.poll_recv(cx));
    let stamp = time::OffsetDateTime::now_utc()
        .format(time::macros::format_description!(
            "[year][month][day]-[hour][minute][second]"
        ))
        .unwrap_or_default();
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"ocm-audit-{stamp}.csv\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        Body::from_stream(stream),
    )
        .into_response())
}
