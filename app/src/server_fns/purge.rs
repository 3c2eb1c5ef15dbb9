//! Purge: dry run, confirmed start, history, one run's detail and snapshot, and restore.

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::{
    DryRun, JobView, PurgeHistoryFilters, PurgeRequest, PurgeRunDetail, PurgeRunRow, PurgeStart,
    SnapshotPage,
};
use types::report::{Page, ReportRequest};

/// Reads the whole list from POM and says exactly what the purge would delete.
#[server(endpoint = "purge/dry_run", input = server_fn::codec::Json)]
pub async fn purge_dry_run(request: PurgeRequest) -> Result<DryRun, AppError> {
    use crate::guard;
    use crate::model::AuditAction;
    use domain::{lists, purge};
    let ctx = guard::require(AuditAction::PurgeDryRun, &lists::ROLES).await?;
    purge::plan::dry_run(&ctx.state, &ctx.user, &request).await
}

/// Starts the purge once the user typed the dry run's count; re-reads the list first and answers
/// `Changed` instead of deleting a different set.
#[server(endpoint = "purge/start", input = server_fn::codec::Json)]
pub async fn start_purge(
    request: PurgeRequest,
    typed_count: String,
    fingerprint: String,
) -> Result<PurgeStart, AppError> {
    use crate::guard;
    use crate::model::AuditAction;
    use domain::{lists, purge};
    let ctx = guard::require(AuditAction::PurgeStart, &lists::ROLES).await?;
    purge::start::start(&ctx, &request, &typed_count, &fingerprint).await
}

/// A page of purge runs, newest first.
#[server(endpoint = "purge/history", input = server_fn::codec::Json)]
pub async fn purge_history(
    request: ReportRequest<PurgeHistoryFilters>,
) -> Result<Page<PurgeRunRow>, AppError> {
    use crate::guard;
    use crate::model::AuditAction;
    use domain::purge::history::PurgeHistory;
    use domain::report::{self, Report};
    let ctx = guard::require(AuditAction::PurgeHistory, PurgeHistory::ROLES).await?;
    report::page::<PurgeHistory>(&ctx, &request).await
}

/// One purge run with its counts, failures and restore state.
#[server(endpoint = "purge/run")]
pub async fn purge_run(purge_run_id: i64) -> Result<PurgeRunDetail, AppError> {
    use crate::guard;
    use crate::model::AuditAction;
    use domain::{lists, purge};
    let ctx = guard::require(AuditAction::PurgeRun, &lists::ROLES).await?;
    purge::history::detail(&ctx.state, &ctx.user, purge_run_id).await
}

/// A page (0-based) of a run's snapshot contacts.
#[server(endpoint = "purge/snapshot")]
pub async fn purge_snapshot(purge_run_id: i64, page: u32) -> Result<SnapshotPage, AppError> {
    use crate::guard;
    use crate::model::AuditAction;
    use domain::{lists, purge};
    let ctx = guard::require(AuditAction::PurgeSnapshot, &lists::ROLES).await?;
    purge::snapshot::snapshot(&ctx.state, &ctx.user, purge_run_id, page).await
}

/// Restores all (`user_contact_ids` empty; `typed_count` must be their number) or the chosen
/// snapshot contacts; returns the job id.
#[server(endpoint = "purge/restore", input = server_fn::codec::Json)]
pub async fn restore_purge(
    purge_run_id: i64,
    user_contact_ids: Vec<String>,
    typed_count: Option<String>,
) -> Result<i64, AppError> {
    use crate::guard;
    use crate::model::AuditAction;
    use domain::{lists, purge};
    let ctx = guard::require(AuditAction::PurgeRestore, &lists::ROLES).await?;
    purge::restore::start(
        &ctx,
        purge_run_id,
        &user_contact_ids,
        typed_count.as_deref(),
    )
    .await
}

/// The latest retry of a run's failed deletes, if any.
#[server(endpoint = "purge/retry_job")]
pub async fn purge_retry_job(purge_run_id: i64) -> Result<Option<JobView>, AppError> {
    use crate::guard;
    use crate::model::AuditAction;
    use domain::{lists, purge};
    let ctx = guard::require(AuditAction::PurgeRun, &lists::ROLES).await?;
    purge::retry::latest_job(&ctx.state, &ctx.user, purge_run_id).await
}

/// Retries the run's failed deletes as a job; returns the job id.
#[server(endpoint = "purge/retry", input = server_fn::codec::Json)]
pub async fn retry_purge(purge_run_id: i64) -> Result<i64, AppError> {
    use crate::guard;
    use crate::model::AuditAction;
    use domain::{lists, purge};
    let ctx = guard::require(AuditAction::PurgeRetry, &lists::ROLES).await?;
    purge::retry::start(&ctx, purge_run_id).await
}
