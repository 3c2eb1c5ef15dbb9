//! The durable job runner shared by every long task (purge, restore, DNC sends, contact
//! uploads): jobs live in Postgres (`job`), are claimed with `FOR UPDATE SKIP LOCKED` so several
//! OCM instances never run one twice, keep a heartbeat so another instance takes over a job whose
//! worker died, and announce progress through `pg_notify` to every instance's event hub. The
//! runner knows no domain: it runs each kind with the handler registered for it
//! (`crate::job_handlers` lists OCM's).

pub mod events;
pub mod handlers;
pub mod outage;
pub mod runner;
pub mod store;

use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use super::access::Ctx;
use super::audit::{self, Actor, AuditEvent, Outcome};
use crate::error::AppError;
use crate::model::{AuditAction, CurrentUser, JobKind, JobState, JobView, Role};

/// The Postgres channel progress is announced on (payload: the job id).
pub const CHANNEL: &str = "ocm_job";

/// A job row, its kind and state read (`store::StoredJob` is the row as the table holds it).
#[derive(Debug, Clone)]
pub struct JobRow {
    pub job_id: i64,
    /// `Err` holds a stored kind this build of OCM does not know (written by another version):
    /// this build's runner never claims such a job (it waits for an instance that runs it), and
    /// only admins see it, as of an unknown kind; never a crash.
    pub kind: Result<JobKind, String>,
    pub organization: String,
    pub created_by_name: String,
    pub state: JobState,
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
    /// The kind, when this build of OCM knows it.
    pub fn known_kind(&self) -> Option<JobKind> {
        self.kind.as_ref().ok().copied()
    }

    /// The kind as stored, known or not: for logs and messages.
    pub fn kind_name(&self) -> &str {
        match &self.kind {
            Ok(kind) => kind.as_str(),
            Err(unknown) => unknown,
        }
    }

    /// What browsers see, with the rate and time left over the current claim.
    pub fn view(&self) -> JobView {
        let state = self.state;
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
            kind: self.known_kind(),
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

/// Whether `user` may see (and so cancel or resume) a job of `kind` of `organization`: contact
/// uploads, erasures and scheduled export runs (whose page is the schedule's history) are admins'
/// only, and so is a kind this build does not know (`None`), as nobody can tell which role it
/// belongs to.
pub fn may_see_job(user: &CurrentUser, kind: Option<JobKind>, organization: &str) -> bool {
    let admins_only = matches!(
        kind,
        None | Some(JobKind::ContactUpload | JobKind::Erasure | JobKind::ExportRun)
    );
    may_see(user, organization) && (!admins_only || user.role == Role::Admin)
}

/// A job the user may see; another organization's job (or a kind the role does not handle) is
/// "not found".
pub async fn visible(
    pool: &sqlx::PgPool,
    user: &CurrentUser,
    job_id: i64,
) -> Result<JobView, AppError> {
    match store::load(pool, job_id).await? {
        Some(row) if may_see_job(user, row.known_kind(), &row.organization) => Ok(row.view()),
        _ => Err(AppError::NotFound("The job".into())),
    }
}

async fn change_state(
    ctx: &Ctx,
    job_id: i64,
    action: AuditAction,
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
        .with_target(format!(
            "job {job_id} ({})",
            before.kind.map_or("unknown", JobKind::as_str)
        ));
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
        AuditAction::JobCancel,
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
        AuditAction::JobResume,
        &[JobState::Paused],
        JobState::Queued,
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(role: Role) -> CurrentUser {
        CurrentUser {
            user_id: 1,
            username: "sam".into(),
            display_name: "Sam".into(),
            role,
            team: "A".into(),
            organization_id: 1,
            organization: "Sales".into(),
            must_change_password: false,
            must_enrol_two_factor: false,
            api_client: None,
        }
    }

    #[test]
    fn a_job_of_an_unknown_kind_is_for_admins_only() {
        assert!(may_see_job(&user(Role::Admin), None, "Sales"));
        assert!(!may_see_job(&user(Role::Supervisor), None, "Sales"));
        assert!(may_see_job(
            &user(Role::Supervisor),
            Some(JobKind::Purge),
            "Sales"
        ));
        assert!(!may_see_job(
            &user(Role::Supervisor),
            Some(JobKind::ContactUpload),
            "Sales"
        ));
        assert!(!may_see_job(
            &user(Role::Supervisor),
            Some(JobKind::Purge),
            "Support"
        ));
    }
}
