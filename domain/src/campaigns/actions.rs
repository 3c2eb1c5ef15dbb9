//! Start, pause, resume and stop: each writes a `pending` `campaign_action` row before POM is
//! called (`record.rs`), then the outcome with POM's answer, and an audit event; POM's refusals
//! (-51, -55, -56, -57, …) become plain messages. Emergency mode refuses starts and resumes.

use pom::client::rest::JobSummary;
use pom::client::CampaignInfo;
use serde_json::json;

use super::emergency::mode;
use super::organization_for;
use super::record::{begin, finish, Answer, Pending};
use crate::access::Ctx;
use crate::audit::{self, Actor, AuditEvent, Outcome};
use crate::error::AppError;
use crate::model::{ActionOutcome, AuditAction, JobAction};

/// Audits one action with its outcome and POM's answer.
async fn audit_action(
    ctx: &Ctx,
    organization: &str,
    campaign: &str,
    action: AuditAction,
    job_id: Option<i64>,
    answer: &Answer,
) -> Result<(), AppError> {
    let outcome = if answer.outcome == "ok" {
        Outcome::Success
    } else {
        Outcome::Failure
    };
    let event = AuditEvent::new(action, outcome)
        .with_organization(organization)
        .with_target(campaign)
        .with_parameters(json!({
            "job_id": job_id, "outcome": answer.outcome,
            "message": answer.message, "pom_answer": answer.pom_answer,
        }));
    audit::record(&ctx.state.pool, &Actor::user(&ctx.user), &ctx.meta, event).await?;
    Ok(())
}

/// The campaign in the organization's catalogue (read again once if it is not there).
pub async fn campaign_in(
    ctx: &Ctx,
    organization: &str,
    campaign: &str,
) -> Result<CampaignInfo, AppError> {
    let monitor = &ctx.state.campaigns;
    for fresh in [false, true] {
        let catalogue = monitor.catalogue(organization, fresh).await?;
        if let Some(found) = catalogue.into_iter().find(|c| c.campaign_name == campaign) {
            return Ok(found);
        }
    }
    Err(AppError::NotFound(format!("Campaign {campaign}")))
}

/// Records the answer, audits it, wakes the poller and turns a refusal into the user's error.
pub(super) async fn conclude(
    ctx: &Ctx,
    action_id: i64,
    organization: &str,
    campaign: &str,
    action: AuditAction,
    job_id: Option<i64>,
    answer: Answer,
) -> Result<ActionOutcome, AppError> {
    finish(&ctx.state.pool, action_id, job_id, &answer).await?;
    audit_action(ctx, organization, campaign, action, job_id, &answer).await?;
    ctx.state.campaigns.nudge();
    if answer.outcome == "ok" {
        Ok(ActionOutcome {
            message: answer.message,
            job_id,
        })
    } else if answer.outcome == "refused" {
        Err(AppError::PomRefused {
            message: answer.message,
            fault: answer.fault,
        })
    } else {
        Err(AppError::ExternalService(answer.message))
    }
}

/// Looks the campaign's id up and starts a job (`campaigns/{id}/job/start`, seed 001).
pub async fn start(
    ctx: &Ctx,
    organization: &str,
    campaign: &str,
) -> Result<ActionOutcome, AppError> {
    let organization = organization_for(&ctx.user, organization)?;
    let info = campaign_in(ctx, &organization, campaign).await?;
    mode::refuse_starts(ctx, &organization, &format!("starting {campaign}")).await?;
    let client = ctx.state.pom()?;
    let pending = Pending {
        organization: &organization,
        campaign,
        job_id: None,
        action: "start",
        state_before: None,
        emergency_stop_id: None,
    };
    let action_id = begin(&ctx.state.pool, ctx, pending).await?;
    let (answer, job_id) = match client.start_job(info.campaign_id).await {
        Ok(started) => {
            let pom_answer = format!("isQueued={} jobId={:?}", started.is_queued, started.job_id);
            let answer = if started.is_queued {
                let job = started
                    .job_id
                    .map(|id| format!("Job {id} of "))
                    .unwrap_or_default();
                Answer::ok(
                    format!("{job}{campaign} is queued; POM makes it active shortly."),
                    pom_answer,
                )
            } else {
                Answer {
                    outcome: "refused",
                    message: format!("POM did not queue a job for {campaign}."),
                    pom_answer,
                    fault: None,
                }
            };
            (answer, started.job_id)
        }
        Err(error) => (Answer::from_error(&error), None),
    };
    conclude(
        ctx,
        action_id,
        &organization,
        campaign,
        AuditAction::CampaignStart,
        job_id,
        answer,
    )
    .await
}

/// The campaign's open job (queued, active, paused or stopping) as POM lists it now, read from
/// POM rather than the board, which may not show a job started a moment ago. "Not found" when
/// the organization has no such campaign.
pub async fn open_job(
    ctx: &Ctx,
    organization: &str,
    campaign: &str,
) -> Result<Option<i64>, AppError> {
    let organization = organization_for(&ctx.user, organization)?;
    campaign_in(ctx, &organization, campaign).await?;
    let jobs = ctx.state.pom()?.job_list().await?;
    Ok(jobs
        .into_iter()
        .filter(|j| j.campaign_name == campaign && crate::model::job_is_open(&j.job_state))
        .map(|j| j.job_id)
        .max())
}

/// The job as POM lists it now, if it belongs to `campaign`.
async fn job_of(ctx: &Ctx, campaign: &str, job_id: i64) -> Result<JobSummary, AppError> {
    let jobs = ctx.state.pom()?.job_list().await?;
    jobs.into_iter()
        .find(|j| j.job_id == job_id && j.campaign_name == campaign)
        .ok_or_else(|| AppError::NotFound(format!("Job {job_id} of {campaign}")))
}

/// Pauses, resumes or stops a job of one of the organization's campaigns. POM decides whether
/// the job's state allows it; its refusal is the user's message.
pub async fn act(
    ctx: &Ctx,
    organization: &str,
    campaign: &str,
    job_id: i64,
    action: JobAction,
) -> Result<ActionOutcome, AppError> {
    let organization = organization_for(&ctx.user, organization)?;
    campaign_in(ctx, &organization, campaign).await?;
    if action == JobAction::Resume {
        let what = format!("resuming {campaign}");
        mode::refuse_starts(ctx, &organization, &what).await?;
    }
    let job = job_of(ctx, campaign, job_id).await?;
    let pending = Pending {
        organization: &organization,
        campaign,
        job_id: Some(job_id),
        action: action.as_str(),
        state_before: Some(&job.job_state),
        emergency_stop_id: None,
    };
    let action_id = begin(&ctx.state.pool, ctx, pending).await?;
    let answer = job_action(ctx, campaign, job_id, action).await?;
    let audit_name = match action {
        JobAction::Pause => AuditAction::CampaignPause,
        JobAction::Resume => AuditAction::CampaignResume,
        JobAction::Stop => AuditAction::CampaignStop,
    };
    conclude(
        ctx,
        action_id,
        &organization,
        campaign,
        audit_name,
        Some(job_id),
        answer,
    )
    .await
}

/// Asks POM for one job action and reads its answer.
pub(super) async fn job_action(
    ctx: &Ctx,
    campaign: &str,
    job_id: i64,
    action: JobAction,
) -> Result<Answer, AppError> {
    let client = ctx.state.pom()?;
    let result = match action {
        JobAction::Pause => client.pause_active_job(job_id).await,
        JobAction::Resume => client.resume_paused_job(job_id).await,
        JobAction::Stop => client.stop_job(job_id).await,
    };
    let (done, answer_field) = match action {
        JobAction::Pause => ("paused", "IsPaused"),
        JobAction::Resume => ("resumed", "IsResumed"),
        JobAction::Stop => ("stopping; agents finish their calls first", "IsStopped"),
    };
    Ok(match result {
        Ok(true) => Answer::ok(
            format!("Job {job_id} of {campaign} is {done}."),
            format!("{answer_field}=true"),
        ),
        Ok(false) => Answer {
            outcome: "refused",
            message: format!("POM did not {} job {job_id}.", action.as_str()),
            pom_answer: format!("{answer_field}=false"),
            fault: None,
        },
        Err(error) => Answer::from_error(&error),
    })
}
