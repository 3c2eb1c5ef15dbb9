//! Schedules created and changed: every field checked (naming it), the owner's right to the
//! report checked when it is created (and again at every run), the first run worked out, and
//! each change audited with what it was before. Everybody who reads reports sees their
//! organization's schedules (admins every organization's); a schedule is changed by its owner or
//! an admin.

use jiff::Timestamp;
use serde_json::json;

use super::{checks, period, recipients, recurrence, to_offset};
use crate::access::Ctx;
use crate::audit::{self, Actor, AuditEvent, Outcome};
use crate::error::AppError;
use crate::model::{AuditAction, NewExportSchedule, Period, Recurrence, Role};
use crate::report::Report;

/// Who may see and create schedules: whoever reads reports.
pub const ROLES: &[Role] = &Role::ALL;
/// Schedules one person may own (each fires at most 24 times a day).
pub const MAX_PER_OWNER: i64 = 50;

/// A schedule as stored, for the checks of changes and runs.
#[derive(Debug, Clone)]
pub struct Stored {
    pub schedule_id: i64,
    pub organization: String,
    pub name: String,
    pub report: String,
    pub filters: String,
    pub format: String,
    pub recurrence: Recurrence,
    pub period: Period,
    pub file_name: String,
    pub skip_empty: bool,
    pub owner_id: i64,
    pub paused: bool,
}

/// Refuses (audited as `action`) a caller whose role may not read report `R`.
async fn may_read<R: Report>(ctx: &Ctx, action: AuditAction) -> Result<(), AppError> {
    crate::report::access::check::<R>(ctx, action).await?;
    ctx.require(action, R::ROLES).await
}

/// Refuses (audited as `action`) a caller whose role may not read the report with `key`: at
/// creation, at every run (as the owner is then), and for the files and history.
pub async fn may_read_report(ctx: &Ctx, key: &str, action: AuditAction) -> Result<(), AppError> {
    crate::by_report_key!(
        key,
        may_read(ctx, action),
        Err(AppError::NotFound(format!("The report {key}")))
    )
}

/// Whether the caller's role may read report `R` (no audit: for leaving schedules out of lists).
async fn readable<R: Report>(ctx: &Ctx) -> Result<bool, AppError> {
    let roles = match R::ACCESS_KEY {
        Some(key) => crate::report::access::roles(&ctx.state.pool, key, R::ROLES).await?,
        None => R::ROLES.to_vec(),
    };
    Ok(roles.contains(&ctx.user.role))
}

/// Whether the caller may read the report with `key`, without auditing a refusal.
pub async fn report_readable(ctx: &Ctx, key: &str) -> Result<bool, AppError> {
    crate::by_report_key!(key, readable(ctx), Ok(false))
}

/// The organization a new schedule is for: an admin's choice (a known organization), everybody
/// else's own.
async fn organization_for(ctx: &Ctx, asked: Option<&str>) -> Result<String, AppError> {
    if ctx.user.role != Role::Admin {
        return Ok(ctx.user.organization.clone());
    }
    let asked = asked
        .map(str::trim)
        .filter(|o| !o.is_empty())
        .ok_or_else(|| {
            AppError::validation(
                "organization",
                "Choose the organization the report is about.",
            )
        })?;
    let known = crate::organizations::all(&ctx.state.pool).await?;
    if !known.iter().any(|o| o == asked) {
        return Err(AppError::validation(
            "organization",
            format!("There is no organization {}.", checks::shown(asked)),
        ));
    }
    Ok(asked.to_string())
}

/// Stores a new schedule; its first run is the recurrence's next time after now.
pub async fn create(ctx: &Ctx, new: &NewExportSchedule) -> Result<i64, AppError> {
    ctx.require(AuditAction::ExportScheduleCreate, ROLES)
        .await?;
    let name = checks::name(&new.name)?;
    let report = checks::report(&new.report)?;
    let filters = checks::filters(&new.filters)?;
    let file_name = checks::file_name(&new.file_name)?;
    let recurrence = checks::recurrence(&new.recurrence)?;
    let plan = recurrence::plan(&recurrence)?;
    let period = period::check(new.period)?;
    let organization = organization_for(ctx, new.organization.as_deref()).await?;
    let settings = &ctx.state.settings.exports;
    let addresses = recipients::recipients(&new.recipients, settings)?;
    let notify = recipients::notify_email(new.notify_email.as_deref(), settings)?;
    let sftp =
        recipients::sftp_destination(new.sftp_destination.as_deref(), &organization, settings)?;
    may_read_report(ctx, report.key, AuditAction::ExportScheduleCreate).await?;
    let next = plan
        .next_after(Timestamp::now())
        .map(to_offset)
        .transpose()?;
    let owned = sqlx::query_scalar!(
        r#"select count(*) as "count!" from export_schedule where owner_id = $1 and deleted_at is null"#,
        ctx.user.user_id
    )
    .fetch_one(&ctx.state.pool)
    .await?;
    if owned >= MAX_PER_OWNER {
        return Err(AppError::validation(
            "name",
            format!(
                "You own {MAX_PER_OWNER} schedules already: delete one you no longer need first."
            ),
        ));
    }
    check_filters(ctx, report.key, &filters).await?;
    let recurrence_json =
        serde_json::to_value(&recurrence).map_err(|e| crate::error::internal(&e))?;
    let period_json = serde_json::to_value(period).map_err(|e| crate::error::internal(&e))?;
    let mut tx = ctx.state.pool.begin().await?;
    let schedule_id = sqlx::query_scalar!(
        r#"insert into export_schedule
               (organization, name, report, filters, format, recurrence, period, file_name,
                skip_empty, owner_id, next_run_at, recipients, sftp_destination, notify_email)
           values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
           returning export_schedule_id"#,
        organization,
        name,
        report.key,
        filters,
        new.format.as_str(),
        recurrence_json,
        period_json,
        file_name,
        new.skip_empty,
        ctx.user.user_id,
        next,
        &addresses,
        sftp,
        notify,
    )
    .fetch_one(&mut *tx)
    .await?;
    let event = AuditEvent::new(AuditAction::ExportScheduleCreate, Outcome::Success)
        .with_organization(organization)
        .with_target(name)
        .with_parameters(json!({
            "schedule_id": schedule_id, "report": report.key, "filters": filters,
            "format": new.format.as_str(), "recurrence": recurrence_json, "period": period_json,
            "file_name": file_name, "skip_empty": new.skip_empty, "recipients": addresses,
            "sftp_destination": sftp, "notify_email": notify,
        }));
    audit::record(&mut *tx, &Actor::user(&ctx.user), &ctx.meta, event).await?;
    tx.commit().await?;
    Ok(schedule_id)
}

/// Refuses saved filters the report cannot read (a run would only fail later), naming the
/// filter in the message.
async fn check_filters(ctx: &Ctx, key: &str, filters: &str) -> Result<(), AppError> {
    let today = time::OffsetDateTime::now_utc().date().to_string();
    let query = checks::run_query(filters, &today, &today);
    crate::by_report_key!(key, scoped_ok(ctx, &query), Ok(())).map_err(|error| match error {
        AppError::Validation { field, message } => {
            AppError::validation("filters", format!("{field}: {message}"))
        }
        other => other,
    })
}

/// Whether report `R` reads every filter in `query` (strictly: an unknown or unreadable one is
/// named) and accepts them for the caller.
async fn scoped_ok<R: Report>(ctx: &Ctx, query: &str) -> Result<(), AppError> {
    let filters = crate::report::strict_filters::<R>(query, &["order"])?;
    R::scope(ctx, &filters).await.map(|_| ())
}

/// A schedule the caller may see; another organization's, or a deleted one, is "not found".
pub async fn visible(ctx: &Ctx, schedule_id: i64) -> Result<Stored, AppError> {
    let row = sqlx::query!(
        r#"select export_schedule_id, organization, name, report, filters, format, recurrence,
                  period, file_name, skip_empty, owner_id, paused_at is not null as "paused!"
           from export_schedule
           where export_schedule_id = $1 and deleted_at is null
             and ($2 or organization = $3)"#,
        schedule_id,
        ctx.user.role == Role::Admin,
        ctx.user.organization,
    )
    .fetch_optional(&ctx.state.pool)
    .await?
    .ok_or_else(|| AppError::NotFound("The schedule".into()))?;
    let bad = |e: serde_json::Error| crate::error::internal(&e);
    Ok(Stored {
        schedule_id: row.export_schedule_id,
        organization: row.organization,
        name: row.name,
        report: row.report,
        filters: row.filters,
        format: row.format,
        recurrence: serde_json::from_value(row.recurrence).map_err(bad)?,
        period: serde_json::from_value(row.period).map_err(bad)?,
        file_name: row.file_name,
        skip_empty: row.skip_empty,
        owner_id: row.owner_id,
        paused: row.paused,
    })
}

/// Refuses (403, audited as `access.denied`) anyone but the schedule's owner and admins.
pub async fn owner_or_admin(
    ctx: &Ctx,
    schedule: &Stored,
    action: AuditAction,
) -> Result<(), AppError> {
    if schedule.owner_id == ctx.user.user_id && ctx.user.api_client.is_none() {
        return Ok(());
    }
    ctx.require(action, &[Role::Admin]).await
}

/// What may be done to a schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Pause,
    Resume,
    Delete,
}

/// Pauses, resumes (the next run after now: nothing missed while paused is caught up) or
/// deletes (its runs and files stay for the history) a schedule; its owner or an admin only.
pub async fn change(ctx: &Ctx, schedule_id: i64, change: Change) -> Result<(), AppError> {
    ctx.require(AuditAction::ExportScheduleChange, ROLES)
        .await?;
    let schedule = visible(ctx, schedule_id).await?;
    owner_or_admin(ctx, &schedule, AuditAction::ExportScheduleChange).await?;
    let next = match change {
        Change::Resume => recurrence::plan(&schedule.recurrence)?
            .next_after(Timestamp::now())
            .map(to_offset)
            .transpose()?,
        Change::Pause | Change::Delete => None,
    };
    let mut tx = ctx.state.pool.begin().await?;
    if change == Change::Delete {
        // Nothing more leaves for a deleted schedule; its queued runs are refused as they start.
        sqlx::query!(
            "update export_delivery set state = 'failed', last_error = 'The schedule was deleted.'
             where state = 'pending' and export_run_id in (
                 select export_run_id from export_run where export_schedule_id = $1)",
            schedule_id
        )
        .execute(&mut *tx)
        .await?;
    }
    sqlx::query!(
        r#"update export_schedule
           set paused_at = case when $2 then coalesce(paused_at, now()) else null end,
               deleted_at = case when $3 then now() else deleted_at end,
               next_run_at = $4,
               updated_at = now()
           where export_schedule_id = $1"#,
        schedule_id,
        change == Change::Pause,
        change == Change::Delete,
        next,
    )
    .execute(&mut *tx)
    .await?;
    let what = match change {
        Change::Pause => "paused",
        Change::Resume => "resumed",
        Change::Delete => "deleted",
    };
    let event = AuditEvent::new(AuditAction::ExportScheduleChange, Outcome::Success)
        .with_organization(schedule.organization)
        .with_target(schedule.name)
        .with_parameters(json!({
            "schedule_id": schedule_id, "change": what,
            "before": { "paused": schedule.paused },
        }));
    audit::record(&mut *tx, &Actor::user(&ctx.user), &ctx.meta, event).await?;
    tx.commit().await?;
    Ok(())
}
