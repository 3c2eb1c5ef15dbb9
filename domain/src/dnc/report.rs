//! The DNC List report over the registry (`dnc_entry`): every address sent or learnt, with who,
//! when, from where (Manual: uploads and single entries; API; Dialer Kill List) and POM's outcome.
//! Admins see every organization, supervisors their own.

use time::format_description::well_known::Rfc3339;
use time::Date;

use crate::dates::day;
use crate::error::AppError;
use crate::model::{CurrentUser, DncEntryRow, DncReportPage, DncReportQuery, Role};
use crate::state::AppState;

/// A checked report filter.
pub struct ReportFilter {
    organization: Option<String>,
    from: Option<Date>,
    to: Option<Date>,
    sources: Option<Vec<String>>,
    user: Option<String>,
    list: Option<String>,
    address: Option<String>,
}

/// Words for a source.
pub fn source_label(source: &str) -> &'static str {
    match source {
        "upload" => "Manual (file upload)",
        "single" => "Manual (single entry)",
        "api" => "API",
        "dialer_kill" => "Dialer Kill List",
        _ => "Other",
    }
}

/// Checks the query and scopes it to what `user` may see.
pub fn filter_for(user: &CurrentUser, query: &DncReportQuery) -> Result<ReportFilter, AppError> {
    let text = |v: &Option<String>| {
        v.as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_string)
    };
    let sources = match text(&query.source).as_deref() {
        None => None,
        Some("manual") => Some(vec!["upload".to_string(), "single".to_string()]),
        Some(s @ ("upload" | "single" | "api" | "dialer_kill")) => Some(vec![s.to_string()]),
        Some(other) => {
            return Err(AppError::validation(
                "source",
                format!("“{other}” is not a source."),
            ))
        }
    };
    Ok(ReportFilter {
        organization: (user.role != Role::Admin).then(|| user.organization.clone()),
        from: day("from", &query.from)?,
        to: day("to", &query.to)?,
        sources,
        user: text(&query.user),
        list: text(&query.list),
        address: text(&query.address),
    })
}

/// Entries matching `filter`, newest first.
pub async fn rows(
    pool: &sqlx::PgPool,
    filter: &ReportFilter,
    offset: i64,
    limit: i64,
) -> Result<Vec<DncEntryRow>, sqlx::Error> {
    let records = sqlx::query!(
        r#"select dnc_entry_id, address, action, source, list_name, organization, requested_by_name,
                  requested_at, file_name, file_sha256, state, confirmed_at, outcome
           from dnc_entry
           where ($1::text is null or organization = $1)
             and ($2::date is null or requested_at >= $2::date)
             and ($3::date is null or requested_at < $3::date + 1)
             and ($4::text[] is null or source = any($4))
             and ($5::text is null or requested_by_name ilike '%' || $5 || '%')
             and ($6::text is null or list_name ilike '%' || $6 || '%')
             and ($7::text is null or address ilike '%' || $7 || '%')
           order by dnc_entry_id desc offset $8 limit $9"#,
        filter.organization,
        filter.from,
        filter.to,
        filter.sources.as_deref(),
        filter.user,
        filter.list,
        filter.address,
        offset,
        limit
    )
    .fetch_all(pool)
    .await?;
    let stamp = |t: time::OffsetDateTime| t.format(&Rfc3339).unwrap_or_default();
    Ok(records
        .into_iter()
        .map(|r| DncEntryRow {
            entry_id: r.dnc_entry_id,
            address: r.address,
            action: r.action,
            source_label: source_label(&r.source).to_string(),
            source: r.source,
            list: r.list_name,
            organization: r.organization,
            requested_by: r.requested_by_name,
            requested_at: stamp(r.requested_at),
            file_name: r.file_name,
            file_sha256: r.file_sha256,
            state: r.state,
            confirmed_at: r.confirmed_at.map(stamp),
            outcome: r.outcome,
        })
        .collect())
}

/// A page of the report.
pub async fn page(
    state: &AppState,
    user: &CurrentUser,
    query: &DncReportQuery,
) -> Result<DncReportPage, AppError> {
    let filter = filter_for(user, query)?;
    let total = sqlx::query_scalar!(
        r#"select count(*) as "n!" from dnc_entry
           where ($1::text is null or organization = $1)
             and ($2::date is null or requested_at >= $2::date)
             and ($3::date is null or requested_at < $3::date + 1)
             and ($4::text[] is null or source = any($4))
             and ($5::text is null or requested_by_name ilike '%' || $5 || '%')
             and ($6::text is null or list_name ilike '%' || $6 || '%')
             and ($7::text is null or address ilike '%' || $7 || '%')"#,
        filter.organization,
        filter.from,
        filter.to,
        filter.sources.as_deref(),
        filter.user,
        filter.list,
        filter.address
    )
    .fetch_one(&state.pool)
    .await?;
    let size = DncReportQuery::PAGE_SIZE;
    let rows = rows(
        &state.pool,
        &filter,
        i64::from(query.page) * i64::from(size),
        i64::from(size),
    )
    .await?;
    Ok(DncReportPage {
        rows,
        total,
        page: query.page,
        page_size: size,
    })
}
