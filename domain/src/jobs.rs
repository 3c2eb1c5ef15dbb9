//! The durable job runner shared by every long task (purge, restore; later DNC sends, uploads,
//! exports): jobs live in Postgres (`job`), are claimed with `FOR UPDATE SKIP LOCKED` so several
//! OCM instances never run one twice, keep a heartbeat so another instance takes over a job whose
//! worker died, and announce progress through `pg_notify` to every instance's event hub.

pub mod events;
pub mod runner;
pub mod store;

use std::sync::Arc;

use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;
use tokio::sync::{broadcast, Notify};

use super::access::Ctx;
use super::audit::{self, Actor, AuditEvent, Outcome};
use crate::error::AppError;
use crate::model::{CurrentUser, JobState, JobView, Role};

/// The Postgres channel progress is announced on (payload: the job id).
pub const CHANNEL: &str = "ocm_job";

/// Wakes the local runner when a job is queued, and fans job progress out to browsers.
#[derive(Clone)]
pub struct JobHub {
    pub wake: Arc<Notify>,
    pub events: broadcast::Sender<JobView>,
    /// Cancelled at shutdown so open event streams end and the server can drain.
    pub closing: tokio_util::sync::CancellationToken,
}

impl Default for JobHub {
    fn default() -> Self {
        JobHub {
            wake: Arc::new(Notify::new()),
            events: broadcast::channel(1024).0,
            closing: tokio_util::sync::CancellationToken::new(),
        }
    }
}

/// A job row as stored.
#[derive(Debug, Clone)]
pub struct JobRow {
    pub job_id: i64,
    pub kind: String,
    pub organization: String,
    pub created_by_name: String,
    pub state: String,
    pub payload: serde_json::Value,
    pub total: i64,
    pub done: i64,
    pub failed: i64,
    pub skipped: i64,
    pub message: Option<String>,
    pub run_started_at: Option<OffsetDateTime>,
    pub processed_at_run_start: i64,
    pub created_at: OffsetDateTime,
    pub finished_at: Option<OffsetDateTime>,
}

impl JobRow {
    /// What browsers see, with the rate and time left over the current claim.
    pub fn view(&self) -> JobView {
        let state = JobState::parse(&self.state).unwrap_or(JobState::Failed);
        let processed = self.done + self.failed + self.skipped;
        let rate = self
            .run_started_at
            .filter(|_| state == JobState::Running)
            .map(|started| (OffsetDateTime::now_utc() - started).as_seconds_f64())
            .filter(|seconds| *seconds >= 1.0)
            .map(|seconds| (processed - self.processed_at_run_start).max(0) as f64 / seconds);
        let remaining = (self.total - processed).max(0) as f64;
        JobView {
            job_id: self.job_id,
            kind: self.kind.clone(),
            organization: self.organization.clone(),
            state,
            total: self.total,
            done: self.done,
            failed: self.failed,
            skipped: self.skipped,
            message: self.message.clone(),
            rate,
            eta_seconds: rate.filter(|r| *r > 0.0).map(|r| remaining / r),
            created_by: self.created_by_name.clone(),
            created_at: self.created_at.format(&Rfc3339).unwrap_or_default(),
            finished_at: self.finished_at.and_then(|t| t.format(&Rfc3339).ok()),
        }
    }
}

/// Whether `user` may see jobs (and purges) of `organization`.
pub fn may_see(user: &CurrentUser, organization: &str) -> bool {
    user.role == Role::Admin || user.organization == organization
}

/// Whether `user` may see a job of `kind` of `organization`: contact uploads are admins' only.
pub fn may_see_job(user: &CurrentUser, kind: &str, organization: &str) -> bool {
    may_see(user, organization) && (kind != "contact_upload" || user.role == Role::Admin)
}

/// A job the user may see; another organization's job (or a kind the role does not handle) is
/// "not found".
pub async fn visible(
    pool: &sqlx::PgPool,
    user: &CurrentUser,
    job_id: i64,
) -> Result<JobView, AppError> {
    match store::load(pool, job_id).await? {
        Some(row) if may_see_job(user, &row.kind, &row.organization) => Ok(row.view()),
        _ => Err(AppError::NotFound("The job".into())),
    }
}

async fn change_state(
    ctx: &Ctx,
    job_id: i64,
    action: &'static str,
    from: &[JobState],
    to: JobState,
) -> Result<JobView, AppError> {
    let before = visible(&ctx.state.pool, &ctx.user, job_id).await?;
    if !from.contains(&before.state) {
        return Err(AppError::validation(
            "job",
            format!(
                "The job is {}; it cannot be {}.",
                before.state.label().to_lowercase(),
                match to {
                    JobState::Queued => "resumed",
                    _ => "cancelled",
                }
            ),
        ));
    }
    let mut tx = ctx.state.pool.begin().await?;
    match store::set_state(&mut *tx, job_id, from, to).await {
        Err(sqlx::Error::RowNotFound) => {
            return Err(AppError::validation(
                "job",
                "The job changed meanwhile (it may have ended); reload to see it.",
            ));
        }
        other => other?,
    }
    let event = AuditEvent::new(action, Outcome::Success)
        .with_organization(before.organization.clone())
        .with_target(format!("job {job_id} ({})", before.kind));
    audit::record(&mut *tx, &Actor::user(&ctx.user), &ctx.meta, event).await?;
    tx.commit().await?;
    ctx.state.jobs.wake.notify_one();
    visible(&ctx.state.pool, &ctx.user, job_id).await
}

/// Asks a job to stop at its next item. The runner finishes it (also a queued or paused one), so
/// its handler records what was left undone.
pub async fn cancel(ctx: &Ctx, job_id: i64) -> Result<JobView, AppError> {
    change_state(
        ctx,
        job_id,
        "job.cancel",
        &[JobState::Queued, JobState::Running, JobState::Paused],
        JobState::CancelRequested,
    )
    .await
}

/// Queues a paused job again; it goes on where it stopped.
pub async fn resume(ctx: &Ctx, job_id: i64) -> Result<JobView, AppError> {
    change_state(
        ctx,
        job_id,
        "job.resume",
        &[JobState::Paused],
        JobState::Queued,
    )
    .await
}
