//! Purge history: runs filtered and paged (admins: every organization; supervisors: their own)
//! and one run's detail.

use time::format_description::well_known::Rfc3339;
use time::{Date, OffsetDateTime};

use crate::dates::day;
use crate::error::AppError;
use crate::jobs::JobRow;
use crate::model::{
    CampaignCount, CurrentUser, PurgeFailure, PurgeHistoryPage, PurgeHistoryQuery, PurgeRunDetail,
    PurgeRunRow, Role,
};
use crate::state::AppState;

/// A checked history filter.
pub struct HistoryFilter {
    organization: Option<String>,
    list: Option<String>,
    user: Option<String>,
    from: Option<Date>,
    to: Option<Date>,
    list_id: Option<i64>,
    run_id: Option<i64>,
}

/// Checks the query and scopes it to what `user` may see.
pub fn filter_for(
    user: &CurrentUser,
    query: &PurgeHistoryQuery,
) -> Result<HistoryFilter, AppError> {
    let text = |v: &Option<String>| {
        v.as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_string)
    };
    Ok(HistoryFilter {
        organization: (user.role != Role::Admin).then(|| user.organization.clone()),
        list: text(&query.list),
        user: text(&query.user),
        from: day("from", &query.from)?,
        to: day("to", &query.to)?,
        list_id: query.list_id,
        run_id: None,
    })
}

fn stamp(t: OffsetDateTime) -> String {
    t.format(&Rfc3339).unwrap_or_default()
}

/// Runs matching `filter`, newest first.
pub async fn rows(
    pool: &sqlx::PgPool,
    filter: &HistoryFilter,
    offset: i64,
    limit: i64,
) -> Result<Vec<PurgeRunRow>, sqlx::Error> {
    let records = sqlx::query!(
        r#"select r.purge_run_id, r.created_at, r.organization, r.contact_list_id, r.contact_list_name,
                  r.mode, r.filter_text, r.reason, r.requested_by_name, r.matched, r.list_total_before,
                  r.list_total_after, r.snapshot_expires_at, r.snapshot_deleted_at,
                  (select count(*) from purge_contact c where c.purge_run_id = r.purge_run_id
                     and c.restore_state = 'restored') as "restored!",
                  j.job_id, j.kind, j.created_by_name, j.state, j.payload, j.total, j.done, j.failed,
                  j.skipped, j.message, j.run_started_at, j.processed_at_run_start,
                  j.created_at as job_created_at, j.started_at, j.finished_at
           from purge_run r join job j using (job_id)
           where ($1::text is null or r.organization = $1)
             and ($2::text is null or r.contact_list_name ilike '%' || $2 || '%')
             and ($3::text is null or r.requested_by_name ilike '%' || $3 || '%')
             and ($4::date is null or r.created_at >= $4::date)
             and ($5::date is null or r.created_at < $5::date + 1)
             and ($6::bigint is null or r.contact_list_id = $6)
             and ($9::bigint is null or r.purge_run_id = $9)
           order by r.purge_run_id desc offset $7 limit $8"#,
        filter.organization, filter.list, filter.user, filter.from, filter.to, filter.list_id, offset, limit,
        filter.run_id
    )
    .fetch_all(pool)
    .await?;
    Ok(records
        .into_iter()
        .map(|r| {
            let job = JobRow {
                job_id: r.job_id,
                kind: r.kind,
                organization: r.organization.clone(),
                created_by_name: r.created_by_name,
                state: r.state,
                payload: r.payload,
                total: r.total,
                done: r.done,
                failed: r.failed,
                skipped: r.skipped,
                message: r.message,
                run_started_at: r.run_started_at,
                processed_at_run_start: r.processed_at_run_start,
                created_at: r.job_created_at,
                finished_at: r.finished_at,
            };
            PurgeRunRow {
                purge_run_id: r.purge_run_id,
                created_at: stamp(r.created_at),
                organization: r.organization,
                list_id: r.contact_list_id,
                list_name: r.contact_list_name,
                mode: r.mode,
                filter: r.filter_text,
                reason: r.reason,
                requested_by: r.requested_by_name,
                matched: r.matched,
                before: r.list_total_before,
                after: r.list_total_after,
                deleted: job.done,
                failed: job.failed,
                restored: r.restored,
                duration_seconds: r
                    .started_at
                    .zip(r.finished_at)
                    .map(|(s, f)| (f - s).as_seconds_f64()),
                job: job.view(),
                snapshot_expires_at: stamp(r.snapshot_expires_at),
                snapshot_deleted: r.snapshot_deleted_at.is_some(),
            }
        })
        .collect())
}

/// A page of history.
pub async fn page(
    state: &AppState,
    user: &CurrentUser,
    query: &PurgeHistoryQuery,
) -> Result<PurgeHistoryPage, AppError> {
    let filter = filter_for(user, query)?;
    let size = PurgeHistoryQuery::PAGE_SIZE;
    let total = sqlx::query_scalar!(
        r#"select count(*) as "n!" from purge_run r
           where ($1::text is null or r.organization = $1)
             and ($2::text is null or r.contact_list_name ilike '%' || $2 || '%')
             and ($3::text is null or r.requested_by_name ilike '%' || $3 || '%')
             and ($4::date is null or r.created_at >= $4::date)
             and ($5::date is null or r.created_at < $5::date + 1)
             and ($6::bigint is null or r.contact_list_id = $6)"#,
        filter.organization,
        filter.list,
        filter.user,
        filter.from,
        filter.to,
        filter.list_id
    )
    .fetch_one(&state.pool)
    .await?;
    let rows = rows(
        &state.pool,
        &filter,
        i64::from(query.page) * i64::from(size),
        i64::from(size),
    )
    .await?;
    Ok(PurgeHistoryPage {
        rows,
        total,
        page: query.page,
        page_size: size,
    })
}

pub async fn visible_run(
    state: &AppState,
    user: &CurrentUser,
    purge_run_id: i64,
) -> Result<PurgeRunRow, AppError> {
    let filter = HistoryFilter {
        organization: (user.role != Role::Admin).then(|| user.organization.clone()),
        list: None,
        user: None,
        from: None,
        to: None,
        list_id: None,
        run_id: Some(purge_run_id),
    };
    let missing = || AppError::NotFound(format!("Purge run {purge_run_id}"));
    rows(&state.pool, &filter, 0, 1)
        .await?
        .into_iter()
        .next()
        .ok_or_else(missing)
}

/// One run with its campaign counts, failures and restore state.
pub async fn detail(
    state: &AppState,
    user: &CurrentUser,
    purge_run_id: i64,
) -> Result<PurgeRunDetail, AppError> {
    let run = visible_run(state, user, purge_run_id).await?;
    let pool = &state.pool;
    let campaigns = sqlx::query!(
        "select campaign_id, before_count, after_count from purge_campaign_count where purge_run_id = $1 order by campaign_id",
        purge_run_id
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|c| CampaignCount { campaign_id: c.campaign_id, before: c.before_count, after: c.after_count })
    .collect();
    let failures = sqlx::query!(
        r#"select user_contact_id, error as "error!" from purge_contact
           where purge_run_id = $1 and state = 'failed' and error is not null order by purge_contact_id limit 200"#,
        purge_run_id
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|f| PurgeFailure { user_contact_id: f.user_contact_id, message: f.error })
    .collect();
    let restorable = sqlx::query_scalar!(
        r#"select count(*) as "n!" from purge_contact where purge_run_id = $1 and state in ('deleted', 'absent')
             and attributes is not null and (restore_state is null or restore_state = 'failed')"#,
        purge_run_id
    )
    .fetch_one(pool)
    .await?;
    let restore_job_id = sqlx::query_scalar!(
        "select job_id from job where kind = 'restore' and payload->>'purge_run_id' = $1::bigint::text order by job_id desc limit 1",
        purge_run_id
    )
    .fetch_optional(pool)
    .await?;
    let restore_job = match restore_job_id {
        Some(id) => crate::jobs::store::load(pool, id).await?.map(|j| j.view()),
        None => None,
    };
    Ok(PurgeRunDetail {
        run,
        campaigns,
        failures,
        restorable,
        restore_job,
    })
}
