//! The upload history (seed 001's `Outbound_ManualUploadUtility`): uploads of the user's
//! organizations filtered by organization, list, state and day, newest first, a page at a time
//! or all of them for the CSV/XLSX export.

use crate::access::Ctx;
use crate::dates::{day, rfc3339};
use crate::error::AppError;
use crate::lists;
use crate::model::{UploadHistoryPage, UploadHistoryQuery, UploadHistoryRow};

/// Rows per page.
pub const PAGE_SIZE: u32 = 50;

/// The export's column names, in the order of [`cells`].
pub const EXPORT_HEADER: [&str; 16] = [
    "upload_id",
    "created_at",
    "created_by",
    "organization",
    "list",
    "data_source",
    "file",
    "rows_read",
    "rows_sent",
    "rows_rejected",
    "state",
    "import_job_id",
    "pom_state",
    "imported",
    "missing_after_import",
    "finished_at",
];

/// One row as export cells.
pub fn cells(r: &UploadHistoryRow) -> Vec<String> {
    let number = |n: Option<i64>| n.map(|n| n.to_string()).unwrap_or_default();
    vec![
        r.upload_id.to_string(),
        r.created_at.clone(),
        r.created_by.clone(),
        r.organization.clone(),
        r.list_name.clone(),
        r.data_source.clone(),
        r.file_name.clone(),
        number(r.rows_read),
        number(r.rows_sent),
        number(r.rows_rejected),
        r.state.clone(),
        number(r.import_job_id),
        r.pom_state.clone().unwrap_or_default(),
        number(r.imported),
        number(r.missing_count),
        r.finished_at.clone().unwrap_or_default(),
    ]
}

/// Rows matching the query (`limit` rows from `offset`) and how many match in all.
pub async fn search(
    ctx: &Ctx,
    query: &UploadHistoryQuery,
    limit: i64,
    offset: i64,
) -> Result<(Vec<UploadHistoryRow>, i64), AppError> {
    let organizations = match query.organization.as_deref().filter(|o| !o.is_empty()) {
        Some(asked) if ctx.user.may_see_organization(asked) => vec![asked.to_string()],
        Some(_) => Vec::new(),
        None => lists::organizations(&ctx.state, &ctx.user).await?,
    };
    let from = day("from", &query.from)?;
    let to = day("to", &query.to)?;
    let list = query.list_name.as_deref().filter(|l| !l.is_empty());
    let state = query.state.as_deref().filter(|s| !s.is_empty());
    let rows = sqlx::query!(
        r#"select contact_upload_id, created_at, created_by_name, organization, list_name, data_source,
                  file_name, rows_read, rows_sent, rows_rejected, state, import_job_id, pom_state,
                  (pom_counters->>'success')::bigint + (pom_counters->>'update')::bigint as imported,
                  missing_count, finished_at, count(*) over () as "total!"
           from contact_upload
           where organization = any($1)
             and ($2::text is null or list_name = $2)
             and ($3::text is null or state = $3)
             and ($4::date is null or created_at >= $4::date)
             and ($5::date is null or created_at < $5::date + 1)
           order by created_at desc, contact_upload_id desc
           limit $6 offset $7"#,
        &organizations, list, state, from, to, limit, offset,
    )
    .fetch_all(&ctx.state.pool)
    .await?;
    let total = rows.first().map_or(0, |r| r.total);
    Ok((
        rows.into_iter()
            .map(|r| UploadHistoryRow {
                upload_id: r.contact_upload_id,
                created_at: rfc3339(r.created_at),
                created_by: r.created_by_name,
                organization: r.organization,
                list_name: r.list_name,
                data_source: r.data_source,
                file_name: r.file_name,
                rows_read: r.rows_read,
                rows_sent: r.rows_sent,
                rows_rejected: r.rows_rejected,
                state: r.state,
                import_job_id: r.import_job_id,
                pom_state: r.pom_state,
                imported: r.imported,
                missing_count: r.missing_count,
                finished_at: r.finished_at.map(rfc3339),
            })
            .collect(),
        total,
    ))
}

/// One page of the history.
pub async fn page(ctx: &Ctx, query: &UploadHistoryQuery) -> Result<UploadHistoryPage, AppError> {
    let page = query.page.max(1);
    let offset = i64::from((page - 1) * PAGE_SIZE);
    let (rows, total) = search(ctx, query, i64::from(PAGE_SIZE), offset).await?;
    Ok(UploadHistoryPage {
        rows,
        total,
        page,
        page_size: PAGE_SIZE,
    })
}
