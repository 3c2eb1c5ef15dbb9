//! The schedules page's reading: the caller's organization's schedules (admins every
//! organization's) in plain words with their next three runs in the schedule's zone and the last
//! run, and one schedule's run history, newest first.

use std::collections::HashMap;

use jiff::Timestamp;
use sqlx::PgPool;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use super::recurrence;
use super::store::{self, ROLES};
use crate::access::Ctx;
use crate::error::AppError;
use crate::model::{
    schedulable, schedule_in_words, AuditAction, DeliveryKind, DeliveryState, DeliveryView,
    ExportFormat, ExportProblems, ExportRunView, ExportScheduleView, ExportSchedulesPage, Role,
    RunState, RunTrigger,
};

/// Runs shown per schedule.
pub const HISTORY: i64 = 100;

fn rfc3339(at: OffsetDateTime) -> String {
    at.format(&Rfc3339).unwrap_or_default()
}

/// The page: the caller's schedules, the zone a new one starts in, the organizations offered.
pub async fn page(ctx: &Ctx) -> Result<ExportSchedulesPage, AppError> {
    ctx.require(AuditAction::ExportSchedulesRead, ROLES).await?;
    let organizations = crate::organizations::for_user(&ctx.state.pool, &ctx.user).await?;
    let settings = &ctx.state.settings.exports;
    let mut destinations: Vec<String> = Vec::new();
    for organization in &organizations {
        for name in super::recipients::destinations_for(settings, organization) {
            if !destinations.iter().any(|d| d == name) {
                destinations.push(name.to_string());
            }
        }
    }
    Ok(ExportSchedulesPage {
        schedules: list(ctx).await?,
        default_zone: ctx.state.settings.call_data.time_zone.clone(),
        organizations,
        email: settings.smtp.is_some(),
        destinations,
        email_domains: settings.email_domains.clone(),
        retention_days: settings.retention_days,
    })
}

/// The caller's schedules, by organization and name.
async fn list(ctx: &Ctx) -> Result<Vec<ExportScheduleView>, AppError> {
    let rows = sqlx::query!(
        r#"select s.export_schedule_id, s.name, s.organization, s.report, s.filters, s.format,
                  s.recurrence, s.period, s.file_name, s.skip_empty, u.display_name as owner,
                  s.recipients, s.sftp_destination, s.notify_email, s.owner_id,
                  s.paused_at is not null as "paused!",
                  (select max(export_run_id) from export_run r
                   where r.export_schedule_id = s.export_schedule_id) as last_run
           from export_schedule s join app_user u on u.app_user_id = s.owner_id
           where s.deleted_at is null and ($1 or s.organization = $2)
           order by s.organization, s.name, s.export_schedule_id"#,
        ctx.user.role == Role::Admin,
        ctx.user.organization,
    )
    .fetch_all(&ctx.state.pool)
    .await?;
    let now = Timestamp::now();
    let mut views = Vec::with_capacity(rows.len());
    for row in rows {
        // Schedules of reports the caller's role may not read are not theirs to see.
        if !store::report_readable(ctx, &row.report).await? {
            continue;
        }
        let bad = |e: serde_json::Error| crate::error::internal(&e);
        let recurrence: crate::model::Recurrence =
            serde_json::from_value(row.recurrence).map_err(bad)?;
        let period: crate::model::Period = serde_json::from_value(row.period).map_err(bad)?;
        let format = ExportFormat::from(row.format);
        let report_name = schedulable(&row.report).map_or(row.report.clone(), |s| s.name.into());
        let next_runs = match (row.paused, recurrence::plan(&recurrence)) {
            (false, Ok(plan)) => plan
                .next_runs(now, 3)
                .into_iter()
                .map(|t| {
                    t.to_zoned(plan.zone().clone())
                        .strftime("%Y-%m-%d %H:%M %Z")
                        .to_string()
                })
                .collect(),
            _ => Vec::new(),
        };
        let last_run = match row.last_run {
            Some(run_id) => runs_where(ctx, row.export_schedule_id, Some(run_id), 1)
                .await?
                .pop(),
            None => None,
        };
        views.push(ExportScheduleView {
            schedule_id: row.export_schedule_id,
            in_words: schedule_in_words(&recurrence, period, &report_name, format.label()),
            name: row.name,
            organization: row.organization,
            report: row.report,
            report_name,
            filters: row.filters,
            format,
            recurrence,
            period,
            file_name: row.file_name,
            skip_empty: row.skip_empty,
            recipients: row.recipients,
            sftp_destination: row.sftp_destination,
            notify_email: row.notify_email,
            owner: row.owner,
            next_runs,
            paused: row.paused,
            last_run,
            may_change: ctx.user.role == Role::Admin
                || (row.owner_id == ctx.user.user_id && ctx.user.api_client.is_none()),
        });
    }
    Ok(views)
}

/// What went wrong in the last seven days in the caller's organization (admins: every one).
pub async fn problems(ctx: &Ctx) -> Result<ExportProblems, AppError> {
    ctx.require(AuditAction::ExportSchedulesRead, ROLES).await?;
    let admin = ctx.user.role == Role::Admin;
    let row = sqlx::query!(
        r#"select
             (select count(*) from export_run
              where state in ('failed', 'refused') and created_at > now() - interval '7 days'
                and ($1 or organization = $2)) as "runs!",
             (select count(*) from export_delivery
              where state = 'failed' and kind <> 'notice' and created_at > now() - interval '7 days'
                and ($1 or organization = $2)) as "deliveries!""#,
        admin,
        ctx.user.organization,
    )
    .fetch_one(&ctx.state.pool)
    .await?;
    Ok(ExportProblems {
        runs: row.runs,
        deliveries: row.deliveries,
    })
}

/// One schedule's runs, newest first (the last [`HISTORY`]).
pub async fn runs(ctx: &Ctx, schedule_id: i64) -> Result<Vec<ExportRunView>, AppError> {
    ctx.require(AuditAction::ExportSchedulesRead, ROLES).await?;
    let schedule = store::visible(ctx, schedule_id).await?;
    store::may_read_report(ctx, &schedule.report, AuditAction::ExportSchedulesRead).await?;
    runs_where(ctx, schedule_id, None, HISTORY).await
}

async fn runs_where(
    ctx: &Ctx,
    schedule_id: i64,
    run_id: Option<i64>,
    limit: i64,
) -> Result<Vec<ExportRunView>, AppError> {
    let rows = sqlx::query!(
        r#"select export_run_id, export_schedule_id, trigger, due_at, period_from::text as "from!",
                  period_to::text as "to!", state, rows, bytes, sha256, file_name,
                  file_path is not null and file_erased_at is null as "downloadable!", error,
                  requested_by_name, created_at, finished_at, job_id,
                  (extract(epoch from finished_at - coalesce(started_at, created_at)) * 1000)::bigint
                      as duration_ms
           from export_run
           where export_schedule_id = $1 and ($2::bigint is null or export_run_id = $2)
           order by export_run_id desc
           limit $3"#,
        schedule_id,
        run_id,
        limit,
    )
    .fetch_all(&ctx.state.pool)
    .await?;
    let ids: Vec<i64> = rows.iter().map(|r| r.export_run_id).collect();
    let mut deliveries = delivery_views(&ctx.state.pool, &ids).await?;
    Ok(rows
        .into_iter()
        .map(|row| ExportRunView {
            deliveries: deliveries.remove(&row.export_run_id).unwrap_or_default(),
            run_id: row.export_run_id,
            schedule_id: row.export_schedule_id,
            trigger: RunTrigger::from(row.trigger),
            due_at: row.due_at.map(rfc3339),
            period_from: row.from,
            period_to: row.to,
            state: RunState::from(row.state),
            rows: row.rows,
            bytes: row.bytes,
            sha256: row.sha256,
            file_name: row.file_name,
            downloadable: row.downloadable,
            error: row.error,
            requested_by: row.requested_by_name,
            created_at: rfc3339(row.created_at),
            finished_at: row.finished_at.map(rfc3339),
            duration_ms: row.duration_ms,
            job_id: row.job_id,
        })
        .collect())
}

/// The deliveries of runs `ids`, by run.
async fn delivery_views(
    pool: &PgPool,
    ids: &[i64],
) -> Result<HashMap<i64, Vec<DeliveryView>>, AppError> {
    let rows = sqlx::query!(
        r#"select export_run_id, kind, destination, state, attempts, last_error, delivered_at,
                  next_attempt_at, detail
           from export_delivery where export_run_id = any($1) order by export_delivery_id"#,
        ids
    )
    .fetch_all(pool)
    .await?;
    let mut by_run: HashMap<i64, Vec<DeliveryView>> = HashMap::new();
    for row in rows {
        let state = DeliveryState::from(row.state);
        let waiting = matches!(state, DeliveryState::Pending);
        by_run
            .entry(row.export_run_id)
            .or_default()
            .push(DeliveryView {
                kind: DeliveryKind::from(row.kind),
                destination: row.destination,
                state,
                attempts: row.attempts,
                last_error: row.last_error,
                delivered_at: row.delivered_at.and_then(|t| t.format(&Rfc3339).ok()),
                next_attempt_at: waiting
                    .then(|| row.next_attempt_at.format(&Rfc3339).ok())
                    .flatten(),
                how: row
                    .detail
                    .as_ref()
                    .and_then(|d| d["how"].as_str())
                    .map(str::to_string),
            });
    }
    Ok(by_run)
}
