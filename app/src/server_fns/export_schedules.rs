//! Scheduled exports (`/reports/schedules`): the schedules with their last run, one schedule's
//! history, a new schedule, pause/resume/delete, "Run now" and a re-run of a past period. Every
//! role that reads reports; changes by the owner or an admin (checked in the domain).

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::{
    ExportProblems, ExportRunView, ExportSchedulesPage, NewExportSchedule, PeriodDays,
};

/// The schedules the caller may see, with what a new one's form offers.
#[server(endpoint = "exports/schedules", input = server_fn::codec::Json)]
pub async fn get_export_schedules() -> Result<ExportSchedulesPage, AppError> {
    use crate::guard;
    use crate::model::AuditAction;
    use domain::export_schedules::{store, view};
    let ctx = guard::require(AuditAction::ExportSchedulesRead, store::ROLES).await?;
    view::page(&ctx).await
}

/// Runs and deliveries that failed in the last week, for the dashboard.
#[server(endpoint = "exports/problems")]
pub async fn get_export_problems() -> Result<ExportProblems, AppError> {
    use crate::guard;
    use crate::model::AuditAction;
    use domain::export_schedules::{store, view};
    let ctx = guard::require(AuditAction::ExportSchedulesRead, store::ROLES).await?;
    view::problems(&ctx).await
}

/// One schedule's runs, newest first.
#[server(endpoint = "exports/runs", input = server_fn::codec::Json)]
pub async fn get_export_runs(schedule_id: i64) -> Result<Vec<ExportRunView>, AppError> {
    use crate::guard;
    use crate::model::AuditAction;
    use domain::export_schedules::{store, view};
    let ctx = guard::require(AuditAction::ExportSchedulesRead, store::ROLES).await?;
    view::runs(&ctx, schedule_id).await
}

/// Stores a new schedule; its id.
#[server(endpoint = "exports/create", input = server_fn::codec::Json)]
pub async fn create_export_schedule(schedule: NewExportSchedule) -> Result<i64, AppError> {
    use crate::guard;
    use crate::model::AuditAction;
    use domain::export_schedules::store;
    let ctx = guard::require(AuditAction::ExportScheduleCreate, store::ROLES).await?;
    store::create(&ctx, &schedule).await
}

/// `pause`, `resume` or `delete`.
#[server(endpoint = "exports/change", input = server_fn::codec::Json)]
pub async fn change_export_schedule(schedule_id: i64, change: String) -> Result<(), AppError> {
    use crate::guard;
    use crate::model::AuditAction;
    use domain::export_schedules::store::{self, Change};
    let ctx = guard::require(AuditAction::ExportScheduleChange, store::ROLES).await?;
    let change = match change.as_str() {
        "pause" => Change::Pause,
        "resume" => Change::Resume,
        "delete" => Change::Delete,
        other => {
            return Err(AppError::validation(
                "change",
                format!("“{other}” is not pause, resume or delete."),
            ))
        }
    };
    store::change(&ctx, schedule_id, change).await
}

/// "Run now" (no days) or a re-run of the days given; the run's id.
#[server(endpoint = "exports/run", input = server_fn::codec::Json)]
pub async fn run_export_schedule(
    schedule_id: i64,
    days: Option<PeriodDays>,
) -> Result<i64, AppError> {
    use crate::guard;
    use crate::model::AuditAction;
    use domain::export_schedules::{request, store};
    let ctx = guard::require(AuditAction::ExportRunRequested, store::ROLES).await?;
    request::run(&ctx, schedule_id, days).await
}
