//! Background jobs: read one, cancel, resume a paused one. Live progress comes from `/events`.

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::JobView;

/// One job the user may see.
#[server(endpoint = "jobs/get")]
pub async fn get_job(job_id: i64) -> Result<JobView, AppError> {
    use crate::guard;
    use crate::model::AuditAction;
    use domain::{jobs, lists};
    let ctx = guard::require(AuditAction::JobsGet, &lists::ROLES).await?;
    jobs::visible(&ctx.state.pool, &ctx.user, job_id).await
}

/// Asks a queued, running or paused job to stop; work already done stays done.
#[server(endpoint = "jobs/cancel")]
pub async fn cancel_job(job_id: i64) -> Result<JobView, AppError> {
    use crate::guard;
    use crate::model::AuditAction;
    use domain::{jobs, lists};
    let ctx = guard::require(AuditAction::JobsCancel, &lists::ROLES).await?;
    jobs::cancel(&ctx, job_id).await
}

/// Puts a paused job back in the queue.
#[server(endpoint = "jobs/resume")]
pub async fn resume_job(job_id: i64) -> Result<JobView, AppError> {
    use crate::guard;
    use crate::model::AuditAction;
    use domain::{jobs, lists};
    let ctx = guard::require(AuditAction::JobsResume, &lists::ROLES).await?;
    jobs::resume(&ctx, job_id).await
}
