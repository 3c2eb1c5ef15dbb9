//! Emergency mode (seed 003's global emergency): turned on with an emergency stop for one
//! organization or all, it stays in force (`emergency_mode`) until an admin lifts it. While it is,
//! starts, resumes and schedules are refused (`refuse_starts`, called by those use cases for the
//! pages and the API alike), and a job POM starts on its own (an earlier schedule) is stopped as
//! soon as the campaign monitor sees it (`enforce`). Each change is audited.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use pom::client::rest::JobSummary;
use pom::client::{CampaignInfo, PomClient};
use serde_json::json;
use sqlx::PgPool;

use super::super::record::{finish, Answer};
use crate::access::Ctx;
use crate::audit::{self, Actor, AuditEvent, Outcome};
use crate::dates::rfc3339;
use crate::error::AppError;
use crate::model::{AuditAction, EmergencyMode, EmergencyStopReport, Role};
use crate::request_meta::RequestMeta;

/// The longest reason kept.
const REASON_MAX: usize = 500;

/// The modes in force that concern `organization` (its own and every organization's); for
/// `None`, every mode in force.
pub async fn in_force(
    pool: &PgPool,
    organization: Option<&str>,
) -> Result<Vec<EmergencyMode>, AppError> {
    Ok(sqlx::query!(
        "select emergency_mode_id, organization, reason, enabled_by_name, enabled_at
         from emergency_mode
         where lifted_at is null
           and ($1::text is null or organization is null or organization = $1)
         order by enabled_at",
        organization,
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|r| EmergencyMode {
        emergency_mode_id: r.emergency_mode_id,
        organization: r.organization,
        reason: r.reason,
        by: r.enabled_by_name,
        at: rfc3339(r.enabled_at),
    })
    .collect())
}

/// The modes the user's pages show: an admin's every one, others their organization's.
pub async fn shown_to(ctx: &Ctx) -> Result<Vec<EmergencyMode>, AppError> {
    let organization = (ctx.user.role != Role::Admin).then_some(ctx.user.organization.as_str());
    in_force(&ctx.state.pool, organization).await
}

/// Refuses `what` (a start, resume or schedule of `organization`'s campaign) while a mode
/// concerning the organization is in force.
pub async fn refuse_starts(ctx: &Ctx, organization: &str, what: &str) -> Result<(), AppError> {
    let modes = in_force(&ctx.state.pool, Some(organization)).await?;
    let Some(mode) = modes.first() else {
        return Ok(());
    };
    let scope = mode.organization.as_deref().unwrap_or("every organization");
    let reason = match mode.reason.trim() {
        "" => String::new(),
        reason => format!(" ({reason})"),
    };
    Err(AppError::EmergencyMode(format!(
        "Emergency mode is on for {scope} since {} by {}{reason}: {what} is refused until an \
         admin lifts it.",
        mode.at
            .replacen('T', " ", 1)
            .chars()
            .take(19)
            .collect::<String>()
            + " UTC",
        mode.by,
    )))
}

/// Turns emergency mode on for `organization` (`None`: every organization) and stops every
/// open job in it. Already on: the stop runs again (nothing may be dialling) and the mode stays.
pub async fn enable(
    ctx: &Ctx,
    organization: Option<String>,
    reason: &str,
) -> Result<(EmergencyMode, EmergencyStopReport), AppError> {
    let reason = reason.trim();
    if reason.chars().count() > REASON_MAX {
        return Err(AppError::validation(
            "reason",
            format!("at most {REASON_MAX} characters"),
        ));
    }
    let organization = organization.filter(|o| !o.trim().is_empty());
    let mut tx = ctx.state.pool.begin().await?;
    let added = sqlx::query_scalar!(
        "insert into emergency_mode (organization, reason, enabled_by, enabled_by_name)
         values ($1, $2, $3, $4)
         on conflict (coalesce(organization, '')) where lifted_at is null do nothing
         returning emergency_mode_id",
        organization,
        reason,
        ctx.user.stored_id(),
        ctx.user.username,
    )
    .fetch_optional(&mut *tx)
    .await?;
    if let Some(id) = added {
        let mut event = AuditEvent::new(AuditAction::CampaignEmergencyModeOn, Outcome::Success)
            .with_target(organization.as_deref().unwrap_or("every organization"))
            .with_parameters(json!({ "emergency_mode_id": id, "reason": reason }));
        if let Some(organization) = &organization {
            event = event.with_organization(organization.as_str());
        }
        audit::record(&mut *tx, &Actor::user(&ctx.user), &ctx.meta, event).await?;
    }
    tx.commit().await?;
    let report = super::stop_now(ctx, organization.clone()).await?;
    if let Some(id) = added {
        sqlx::query!(
            "update emergency_mode set emergency_stop_id = $2 where emergency_mode_id = $1",
            id,
            report.emergency_stop_id
        )
        .execute(&ctx.state.pool)
        .await?;
    }
    let mode = in_force(&ctx.state.pool, organization.as_deref())
        .await?
        .into_iter()
        .find(|m| m.organization == organization)
        .ok_or_else(|| AppError::NotFound("The emergency mode".into()))?;
    Ok((mode, report))
}

/// Lifts the mode in force for `organization` (`None`: the one for every organization). Pulling
/// the brake is open to whoever may stop; releasing it is for admins (and API clients of every
/// organization, which act as admins).
pub async fn lift(ctx: &Ctx, organization: Option<String>) -> Result<EmergencyMode, AppError> {
    if ctx.user.role != Role::Admin {
        return Err(AppError::Forbidden);
    }
    let organization = organization.filter(|o| !o.trim().is_empty());
    let mut tx = ctx.state.pool.begin().await?;
    let lifted = sqlx::query!(
        "update emergency_mode set lifted_at = now(), lifted_by = $2, lifted_by_name = $3
         where lifted_at is null and organization is not distinct from $1
         returning emergency_mode_id, reason, enabled_by_name, enabled_at",
        organization,
        ctx.user.stored_id(),
        ctx.user.username,
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| {
        AppError::NotFound(format!(
            "Emergency mode for {}",
            organization.as_deref().unwrap_or("every organization")
        ))
    })?;
    let mut event = AuditEvent::new(AuditAction::CampaignEmergencyModeOff, Outcome::Success)
        .with_target(organization.as_deref().unwrap_or("every organization"))
        .with_parameters(json!({ "emergency_mode_id": lifted.emergency_mode_id }));
    if let Some(organization) = &organization {
        event = event.with_organization(organization.as_str());
    }
    audit::record(&mut *tx, &Actor::user(&ctx.user), &ctx.meta, event).await?;
    tx.commit().await?;
    Ok(EmergencyMode {
        emergency_mode_id: lifted.emergency_mode_id,
        organization,
        reason: lifted.reason,
        by: lifted.enabled_by_name,
        at: rfc3339(lifted.enabled_at),
    })
}

/// Stops a job running or paused in an organization under emergency mode (POM started it on its
/// own, from a schedule made before, or an earlier stop did not take): a `pending` stop row and an
/// audit record first, then POM's answer on both. `false` when no mode is in force.
pub async fn enforce(
    pool: &PgPool,
    pom: &PomClient,
    organization: &str,
    (campaign, job_id, state): (&str, i64, &str),
) -> Result<bool, AppError> {
    let Some(mode) = in_force(pool, Some(organization)).await?.into_iter().next() else {
        return Ok(false);
    };
    let actor = Actor {
        username: Some(ENFORCER.into()),
        organization: Some(organization.to_string()),
        ..Actor::default()
    };
    let meta = RequestMeta::background("emergency-mode");
    let audit_step = |outcome, parameters| {
        AuditEvent::new(AuditAction::CampaignEmergencyModeEnforced, outcome)
            .with_organization(organization)
            .with_target(campaign)
            .with_parameters(parameters)
    };
    let mut tx = pool.begin().await?;
    let action_id = sqlx::query_scalar!(
        "insert into campaign_action (organization, campaign, job_id, action, state_before,
             requested_by_name)
         values ($1, $2, $3, 'stop', $4, $5) returning campaign_action_id",
        organization,
        campaign,
        job_id,
        state,
        ENFORCER,
    )
    .fetch_one(&mut *tx)
    .await?;
    let requested = json!({ "step": "requested", "job_id": job_id, "state_before": state,
                            "emergency_mode_id": mode.emergency_mode_id, "campaign_action_id": action_id });
    audit::record(
        &mut *tx,
        &actor,
        &meta,
        audit_step(Outcome::Success, requested),
    )
    .await?;
    tx.commit().await?;
    let answer = match pom.stop_job(job_id).await {
        Ok(true) => Answer::ok(
            format!("Job {job_id} of {campaign} is stopping: emergency mode is on."),
            "IsStopped=true".into(),
        ),
        Ok(false) => Answer {
            outcome: "refused",
            message: format!("POM did not stop job {job_id}."),
            pom_answer: "IsStopped=false".into(),
            fault: None,
        },
        Err(error) => Answer::from_error(&error),
    };
    finish(pool, action_id, Some(job_id), &answer).await?;
    let outcome = if answer.outcome == "ok" {
        Outcome::Success
    } else {
        Outcome::Failure
    };
    let answered = json!({ "step": "answered", "job_id": job_id, "campaign_action_id": action_id,
                           "outcome": answer.outcome, "pom_answer": answer.pom_answer });
    audit::record(pool, &actor, &meta, audit_step(outcome, answered)).await?;
    Ok(true)
}

/// Who stops jobs under emergency mode, in the records.
const ENFORCER: &str = "ocm (emergency mode)";

/// How long emergency mode waits before trying to stop the same job again.
const ENFORCE_EVERY: Duration = Duration::from_secs(30);

/// The jobs this instance's monitor tried to stop under emergency mode, and when.
#[derive(Default)]
pub struct Enforcement(Mutex<HashMap<i64, Instant>>);

impl Enforcement {
    /// Stops every job of the organization POM lists as active or paused while a mode is in
    /// force (POM started it from a schedule it already held, or the emergency stop did not
    /// take), trying each again at most every [`ENFORCE_EVERY`]. Failures are logged: the
    /// board goes on.
    pub async fn run(
        &self,
        pool: &PgPool,
        pom: &PomClient,
        organization: &str,
        (catalogue, jobs): (&[CampaignInfo], &[JobSummary]),
    ) {
        let dialling = jobs
            .iter()
            .filter(|j| matches!(j.job_state.as_str(), "JOB_ACTIVE" | "JOB_PAUSED"))
            .filter(|j| catalogue.iter().any(|c| c.campaign_name == j.campaign_name));
        for job in dialling {
            let due = {
                let mut tried = self.0.lock().unwrap_or_else(|e| e.into_inner());
                let due = tried
                    .get(&job.job_id)
                    .is_none_or(|at| at.elapsed() >= ENFORCE_EVERY);
                if due {
                    tried.insert(job.job_id, Instant::now());
                }
                due
            };
            if !due {
                continue;
            }
            let target = (
                job.campaign_name.as_str(),
                job.job_id,
                job.job_state.as_str(),
            );
            match enforce(pool, pom, organization, target).await {
                // No mode in force: nothing to stop, and nothing to remember.
                Ok(false) => {
                    self.0.lock().unwrap_or_else(|e| e.into_inner()).clear();
                    return;
                }
                Ok(true) => {}
                Err(error) => {
                    tracing::warn!(error = %error, job = job.job_id, "emergency mode could not stop a job")
                }
            }
        }
    }
}
