//! The emergency stop (admin): every active or paused job of one organization, or of all, is
//! stopped after the typed phrase. The stop and a `pending` row per job are written before POM
//! is asked; jobs still queued are waited for (briefly) and stopped once POM lets them be; one
//! audit event lists every job with its outcome. The banner tells the organization's users.

use std::collections::HashSet;
use std::time::Duration;

use pom::client::rest::JobSummary;
use serde_json::json;

use super::actions::job_action;
use super::record::{begin, finish, Answer, Pending};
use crate::backend::audit::{self, Actor, AuditEvent, Outcome};
use crate::backend::dates::rfc3339;
use crate::backend::guard::Ctx;
use crate::backend::lists::{pom, pom_error};
use crate::error::AppError;
use crate::model::{
    EmergencyBanner, EmergencyStopReport, JobAction, Role, StopOutcome, EMERGENCY_PHRASE,
};

/// How long queued jobs are waited for before they are reported as not stopped.
const QUEUED_WAIT: Duration = Duration::from_secs(10);
const QUEUED_CHECK: Duration = Duration::from_millis(500);

/// (organization, job) for every job of the scope whose state is in `states`.
async fn jobs_in_scope(
    ctx: &Ctx,
    campaigns: &[(String, String)],
    states: &[&str],
) -> Result<Vec<(String, JobSummary)>, AppError> {
    let jobs = pom(&ctx.state)?.job_list().await.map_err(pom_error)?;
    Ok(jobs
        .into_iter()
        .filter(|j| states.contains(&j.job_state.as_str()))
        .filter_map(|j| {
            campaigns
                .iter()
                .find(|(_, name)| *name == j.campaign_name)
                .map(|(organization, _)| (organization.clone(), j))
        })
        .collect())
}

/// (organization, campaign) pairs of the scope, straight from POM.
async fn scope_campaigns(
    ctx: &Ctx,
    organization: Option<&str>,
) -> Result<Vec<(String, String)>, AppError> {
    let client = pom(&ctx.state)?;
    let catalogue = client
        .campaigns(organization.unwrap_or(""))
        .await
        .map_err(pom_error)?;
    Ok(catalogue
        .into_iter()
        .filter_map(|c| Some((c.organization_name?, c.campaign_name)))
        .filter(|(o, _)| organization.is_none_or(|wanted| wanted == o))
        .collect())
}

/// Stops every active or paused job in the scope (`None`: every organization).
pub async fn stop(
    ctx: &Ctx,
    organization: Option<String>,
    phrase: &str,
) -> Result<EmergencyStopReport, AppError> {
    if phrase.trim() != EMERGENCY_PHRASE {
        return Err(AppError::validation(
            "phrase",
            format!("Type {EMERGENCY_PHRASE} exactly to confirm the emergency stop."),
        ));
    }
    let organization = organization.filter(|o| !o.trim().is_empty());
    let campaigns = scope_campaigns(ctx, organization.as_deref()).await?;
    let open = ["JOB_QUEUED", "JOB_ACTIVE", "JOB_PAUSED"];
    let first = jobs_in_scope(ctx, &campaigns, &open).await?;
    let pool = &ctx.state.pool;
    let stop_id = sqlx::query_scalar!(
        r#"
        insert into emergency_stop (organization, requested_by, requested_by_name, jobs_found)
        values ($1, $2, $3, $4) returning emergency_stop_id
        "#,
        organization,
        ctx.user.user_id,
        ctx.user.username,
        first.len() as i32,
    )
    .fetch_one(pool)
    .await?;
    let mut outcomes: Vec<StopOutcome> = Vec::new();
    let mut handled: HashSet<i64> = HashSet::new();
    let waited_since = tokio::time::Instant::now();
    let mut round = first;
    loop {
        let mut still_queued = Vec::new();
        for (org, job) in round {
            if handled.contains(&job.job_id) {
                continue;
            }
            if job.job_state == "JOB_QUEUED" {
                still_queued.push((org, job));
                continue;
            }
            handled.insert(job.job_id);
            outcomes.push(stop_one(ctx, stop_id, &org, &job).await?);
        }
        if still_queued.is_empty() {
            break;
        }
        if waited_since.elapsed() >= QUEUED_WAIT {
            for (org, job) in still_queued {
                outcomes.push(StopOutcome {
                    organization: org,
                    campaign: job.campaign_name,
                    job_id: job.job_id,
                    state_before: job.job_state,
                    outcome: "failed".into(),
                    message: "Still queued after 10 seconds; POM cannot stop a queued job. Stop it once it is active.".into(),
                });
            }
            break;
        }
        tokio::time::sleep(QUEUED_CHECK).await;
        round = jobs_in_scope(ctx, &campaigns, &open).await?;
    }
    conclude(ctx, stop_id, organization, outcomes).await
}

/// Writes the pending row, stops one job and stores its answer.
async fn stop_one(
    ctx: &Ctx,
    stop_id: i64,
    organization: &str,
    job: &JobSummary,
) -> Result<StopOutcome, AppError> {
    let pending = Pending {
        organization,
        campaign: &job.campaign_name,
        job_id: Some(job.job_id),
        action: "stop",
        state_before: Some(&job.job_state),
        emergency_stop_id: Some(stop_id),
    };
    let action_id = begin(&ctx.state.pool, ctx, pending).await?;
    let answer: Answer = job_action(ctx, &job.campaign_name, job.job_id, JobAction::Stop).await?;
    finish(&ctx.state.pool, action_id, Some(job.job_id), &answer).await?;
    Ok(StopOutcome {
        organization: organization.to_string(),
        campaign: job.campaign_name.clone(),
        job_id: job.job_id,
        state_before: job.job_state.clone(),
        outcome: answer.outcome.to_string(),
        message: answer.message,
    })
}

/// Finishes the stop record and writes the one audit event listing every job.
async fn conclude(
    ctx: &Ctx,
    stop_id: i64,
    organization: Option<String>,
    jobs: Vec<StopOutcome>,
) -> Result<EmergencyStopReport, AppError> {
    let stopped = jobs.iter().filter(|j| j.outcome == "ok").count() as i32;
    let pool = &ctx.state.pool;
    sqlx::query!(
        "update emergency_stop set finished_at = now(), jobs_found = $2, jobs_stopped = $3 where emergency_stop_id = $1",
        stop_id,
        jobs.len() as i32,
        stopped,
    )
    .execute(pool)
    .await?;
    let all_stopped = stopped as usize == jobs.len();
    let mut event = AuditEvent::new(
        "campaign.emergency_stop",
        if all_stopped {
            Outcome::Success
        } else {
            Outcome::Failure
        },
    )
    .with_target(organization.as_deref().unwrap_or("every organization"))
    .with_parameters(json!({ "emergency_stop_id": stop_id, "jobs": jobs }))
    .with_counts(json!({ "found": jobs.len(), "stopped": stopped }));
    if let Some(organization) = &organization {
        event = event.with_organization(organization.as_str());
    }
    audit::record(pool, &Actor::user(&ctx.user), &ctx.meta, event).await?;
    ctx.state.campaigns.nudge();
    Ok(EmergencyStopReport {
        emergency_stop_id: stop_id,
        organization,
        jobs,
    })
}

/// The newest emergency stop concerning the user's organization (admins: any) within the
/// configured time.
pub async fn banner(ctx: &Ctx) -> Result<Option<EmergencyBanner>, AppError> {
    let window = ctx.state.settings.campaigns.banner_for.as_secs_f64();
    let row = sqlx::query!(
        r#"
        select emergency_stop_id, organization, requested_by_name, started_at, jobs_found,
               jobs_stopped
        from emergency_stop
        where started_at > now() - make_interval(secs => $1)
          and ($2 or organization is null or organization = $3)
        order by started_at desc
        limit 1
        "#,
        window,
        ctx.user.role == Role::Admin,
        ctx.user.organization,
    )
    .fetch_optional(&ctx.state.pool)
    .await?;
    Ok(row.map(|r| EmergencyBanner {
        emergency_stop_id: r.emergency_stop_id,
        by: r.requested_by_name,
        at: rfc3339(r.started_at),
        organization: r.organization,
        jobs_stopped: r.jobs_stopped,
        jobs_found: r.jobs_found,
    }))
}
