//! Purge history as a report: runs filtered and paged (admins: every organization; supervisors
//! and managers, who read it without purging: their own), exported one line per run and campaign
//! id; and one run's detail.

use sqlx::postgres::{PgRow, Postgres};
use sqlx::{QueryBuilder, Row};
use time::OffsetDateTime;

use crate::access::Ctx;
use crate::dates::{rfc3339, DateRange};
use crate::error::AppError;
use crate::jobs::store::StoredJob;
use crate::jobs::JobRow;
use crate::model::{
    AuditAction, CampaignCount, CurrentUser, PurgeFailure, PurgeHistoryFilters, PurgeHistoryLine,
    PurgeRunDetail, PurgeRunRow, Role,
};
use crate::report::{self, Key, Report};
use crate::state::AppState;

/// A checked history filter.
#[derive(Default)]
pub struct HistoryFilter {
    organization: Option<String>,
    list: Option<String>,
    user: Option<String>,
    dates: DateRange,
    list_id: Option<i64>,
    run_id: Option<i64>,
}

/// The purge history report.
pub struct PurgeHistory;

impl Report for PurgeHistory {
    type Filters = PurgeHistoryFilters;
    type Scoped = HistoryFilter;
    type Row = PurgeRunRow;
    type Line = PurgeHistoryLine;

    const ROLES: &'static [Role] = &Role::ALL;
    const EXPORT_ACTION: AuditAction = AuditAction::PurgeExport;
    const PAGE_SIZE: u32 = 25;
    const FILE_STEM: &'static str = "purge-history";
    const SHEET: &'static str = "Purge history";
    const KEY: Key = Key {
        at: None,
        id: "purge_run_id",
    };

    async fn scope(ctx: &Ctx, q: &PurgeHistoryFilters) -> Result<HistoryFilter, AppError> {
        let dates = DateRange::parse(q.from.as_deref(), q.to.as_deref())?;
        Ok(HistoryFilter {
            // No organization filter on this page: supervisors and managers read their own.
            organization: report::organization(&ctx.user, None)?,
            list: q.list.clone(),
            user: q.user.clone(),
            dates,
            list_id: q.list_id,
            run_id: None,
        })
    }

    fn select(f: &HistoryFilter, sql: &mut QueryBuilder<'static, Postgres>) {
        sql.push(
            "select r.purge_run_id, r.created_at, r.organization, r.contact_list_id, \
             r.contact_list_name, r.mode, r.filter_text, r.reason, r.requested_by_name, r.matched, \
             r.list_total_before, r.list_total_after, r.snapshot_expires_at, r.snapshot_deleted_at, \
             (select count(*) from purge_contact c where c.purge_run_id = r.purge_run_id \
                and c.restore_state = 'restored') as restored, \
             (select coalesce(json_agg(json_build_object('campaign_id', k.campaign_id, \
                'before', k.before_count, 'after', k.after_count) order by k.campaign_id), '[]') \
                from purge_campaign_count k where k.purge_run_id = r.purge_run_id) as campaigns, \
             j.job_id, j.kind, j.created_by_name, j.state, j.payload, j.total, j.done, j.failed, \
             j.skipped, j.message, j.run_started_at, j.processed_at_run_start, \
             j.created_at as job_created_at, j.started_at, j.finished_at \
             from purge_run r join job j using (job_id) where true",
        );
        if let Some(organization) = &f.organization {
            sql.push(" and r.organization = ")
                .push_bind(organization.clone());
        }
        report::push_contains(sql, "r.contact_list_name", &f.list);
        report::push_contains(sql, "r.requested_by_name", &f.user);
        f.dates.push("r.created_at", sql);
        if let Some(list_id) = f.list_id {
            sql.push(" and r.contact_list_id = ").push_bind(list_id);
        }
        if let Some(run_id) = f.run_id {
            sql.push(" and r.purge_run_id = ").push_bind(run_id);
        }
    }

    fn decode(r: &PgRow) -> Result<PurgeRunRow, sqlx::Error> {
        let job: JobRow = StoredJob {
            job_id: r.try_get("job_id")?,
            kind: r.try_get("kind")?,
            organization: r.try_get("organization")?,
            created_by_name: r.try_get("created_by_name")?,
            state: r.try_get("state")?,
            payload: r.try_get("payload")?,
            total: r.try_get("total")?,
            done: r.try_get("done")?,
            failed: r.try_get("failed")?,
            skipped: r.try_get("skipped")?,
            message: r.try_get("message")?,
            run_started_at: r.try_get("run_started_at")?,
            processed_at_run_start: r.try_get("processed_at_run_start")?,
            created_at: r.try_get("job_created_at")?,
            finished_at: r.try_get("finished_at")?,
        }
        .into();
        let started: Option<OffsetDateTime> = r.try_get("started_at")?;
        let campaigns: Vec<serde_json::Value> = r
            .try_get::<serde_json::Value, _>("campaigns")?
            .as_array()
            .cloned()
            .unwrap_or_default();
        let snapshot_deleted: Option<OffsetDateTime> = r.try_get("snapshot_deleted_at")?;
        Ok(PurgeRunRow {
            purge_run_id: r.try_get("purge_run_id")?,
            created_at: rfc3339(r.try_get("created_at")?),
            organization: r.try_get("organization")?,
            list_id: r.try_get("contact_list_id")?,
            list_name: r.try_get("contact_list_name")?,
            mode: r.try_get("mode")?,
            filter: r.try_get("filter_text")?,
            reason: r.try_get("reason")?,
            requested_by: r.try_get("requested_by_name")?,
            matched: r.try_get("matched")?,
            before: r.try_get("list_total_before")?,
            after: r.try_get("list_total_after")?,
            deleted: job.done,
            failed: job.failed,
            restored: r.try_get("restored")?,
            duration_seconds: started
                .zip(job.finished_at)
                .map(|(s, f)| (f - s).as_seconds_f64()),
            job: job.view(),
            snapshot_expires_at: rfc3339(r.try_get("snapshot_expires_at")?),
            snapshot_deleted: snapshot_deleted.is_some(),
            campaigns: campaigns
                .iter()
                .map(|c| CampaignCount {
                    campaign_id: c["campaign_id"].as_str().unwrap_or_default().to_string(),
                    before: c["before"].as_i64().unwrap_or_default(),
                    after: c["after"].as_i64(),
                })
                .collect(),
        })
    }

    fn lines(row: PurgeRunRow) -> Vec<PurgeHistoryLine> {
        PurgeHistoryLine::of(row)
    }
}

/// One run, when `user` may see it.
pub async fn visible_run(
    state: &AppState,
    user: &CurrentUser,
    purge_run_id: i64,
) -> Result<PurgeRunRow, AppError> {
    let filter = HistoryFilter {
        organization: report::organization(user, None)?,
        run_id: Some(purge_run_id),
        ..HistoryFilter::default()
    };
    let missing = || AppError::NotFound(format!("Purge run {purge_run_id}"));
    report::batch::<PurgeHistory>(&state.pool, (&filter, report::Order::Own), None, 1)
        .await?
        .into_iter()
        .next()
        .map(|(_, run)| run)
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
