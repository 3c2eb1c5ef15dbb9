//! The emergency stop (admin): every active or paused job of one organization, or every job POM
//! lists, is stopped after the typed phrase. The stop and an audit record listing the jobs are
//! written before POM is asked; the work then runs as its own task, so a closed tab or a
//! request timeout cannot cut it off halfway. Jobs are stopped in parallel, each with a `pending`
//! row first; queued jobs are waited for (briefly) and stopped once POM lets them be; one audit
//! event lists every job with its outcome. The banner (`banner.rs`) tells the organization's users;
//! emergency mode (`mode.rs`) keeps starts refused afterwards until an admin lifts it.

mod banner;
pub mod mode;

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use futures::{stream, StreamExt};
use pom::client::rest::JobSummary;
use serde_json::json;

pub use self::banner::banner;
use super::actions::job_action;
use super::record::{begin, finish, Pending};
use crate::access::Ctx;
use crate::audit::{self, Actor, AuditEvent, Outcome};
use crate::error::AppError;
use crate::model::{AuditAction, EmergencyStopReport, JobAction, StopOutcome, EMERGENCY_PHRASE};

/// How long queued jobs are waited for before they are reported as not stopped.
const QUEUED_WAIT: Duration = Duration::from_secs(10);
const QUEUED_CHECK: Duration = Duration::from_millis(500);
/// Stop calls in flight at once.
const STOPS_IN_FLIGHT: usize = 8;
const OPEN: [&str; 3] = ["JOB_QUEUED", "JOB_ACTIVE", "JOB_PAUSED"];

/// Which jobs the stop concerns: one organization's campaigns, or everything POM lists.
#[derive(Clone)]
struct Scope {
    organization: Option<String>,
    /// Campaign → organization, from POM's catalogue (labels only when the scope is everything).
    owners: HashMap<String, String>,
}

impl Scope {
    fn owner_of(&self, campaign: &str) -> Option<String> {
        match (&self.organization, self.owners.get(campaign)) {
            (Some(_), owner) => owner.cloned(),
            (None, Some(owner)) => Some(owner.clone()),
            (None, None) => Some("(organization unknown)".into()),
        }
    }
}

async fn scope_of(ctx: &Ctx, organization: Option<String>) -> Result<Scope, AppError> {
    let client = ctx.state.pom()?;
    let owners = match &organization {
        // Exactly this organization's campaigns; POM failing refuses the stop before anything.
        Some(org) => ctx
            .state
            .campaigns
            .catalogue(org, true)
            .await?
            .into_iter()
            .map(|c| (c.campaign_name, org.clone()))
            .collect(),
        // Everything POM lists is stopped; the catalogue only names organizations.
        None => client
            .campaigns("")
            .await
            .unwrap_or_default()
            .into_iter()
            .filter_map(|c| Some((c.campaign_name, c.organization_name?)))
            .collect(),
    };
    Ok(Scope {
        organization,
        owners,
    })
}

/// (organization, job) for every job of the scope in an open state.
async fn open_jobs(ctx: &Ctx, scope: &Scope) -> Result<Vec<(String, JobSummary)>, AppError> {
    let jobs = ctx.state.pom()?.job_list().await?;
    Ok(jobs
        .into_iter()
        .filter(|j| OPEN.contains(&j.job_state.as_str()))
        .filter_map(|j| scope.owner_of(&j.campaign_name).map(|owner| (owner, j)))
        .collect())
}

/// Stops every open job in the scope (`None`: everything POM lists).
pub async fn stop(
    ctx: &Ctx,
    organization: Option<String>,
    phrase: &str,
) -> Result<EmergencyStopReport, AppError> {
    if phrase != EMERGENCY_PHRASE {
        return Err(AppError::validation(
            "phrase",
            format!("Type {EMERGENCY_PHRASE} exactly to confirm the emergency stop."),
        ));
    }
    stop_now(ctx, organization).await
}

/// Stops every open job in the scope, the confirmation already given (the phrase on the page;
/// the `emergency` scope for the API).
pub(super) async fn stop_now(
    ctx: &Ctx,
    organization: Option<String>,
) -> Result<EmergencyStopReport, AppError> {
    let scope = scope_of(ctx, organization.filter(|o| !o.trim().is_empty())).await?;
    let first = open_jobs(ctx, &scope).await?;
    let mut tx = ctx.state.pool.begin().await?;
    let stop_id = sqlx::query_scalar!(
        r#"insert into emergency_stop (organization, requested_by, requested_by_name, jobs_found)
           values ($1, $2, $3, $4) returning emergency_stop_id"#,
        scope.organization,
        ctx.user.stored_id(),
        ctx.user.username,
        first.len() as i32,
    )
    .fetch_one(&mut *tx)
    .await?;
    let listed: Vec<_> = first.iter().map(|(o, j)| json!({ "organization": o, "campaign": j.campaign_name, "job_id": j.job_id, "state": j.job_state })).collect();
    let mut event = AuditEvent::new(
        AuditAction::CampaignEmergencyStopRequested,
        Outcome::Success,
    )
    .with_target(
        scope
            .organization
            .as_deref()
            .unwrap_or("every organization"),
    )
    .with_parameters(json!({ "emergency_stop_id": stop_id, "jobs": listed }));
    if let Some(org) = &scope.organization {
        event = event.with_organization(org.as_str());
    }
    audit::record(&mut *tx, &Actor::user(&ctx.user), &ctx.meta, event).await?;
    tx.commit().await?;
    // The stop goes on even if this request is dropped (timeout, closed tab).
    let task = Ctx {
        state: ctx.state.clone(),
        user: ctx.user.clone(),
        timing: ctx.timing,
        meta: ctx.meta.clone(),
    };
    tokio::spawn(async move { run(&task, stop_id, scope, first).await })
        .await
        .map_err(|e| crate::error::internal(&e))?
}

/// Stops the jobs round by round (queued ones once they are active), then concludes.
async fn run(
    ctx: &Ctx,
    stop_id: i64,
    scope: Scope,
    first: Vec<(String, JobSummary)>,
) -> Result<EmergencyStopReport, AppError> {
    let mut outcomes: Vec<StopOutcome> = Vec::new();
    let mut handled: HashSet<i64> = HashSet::new();
    let mut round = first;
    let mut waited_since: Option<tokio::time::Instant> = None;
    loop {
        let (queued, now): (Vec<_>, Vec<_>) = round
            .into_iter()
            .filter(|(_, j)| !handled.contains(&j.job_id))
            .partition(|(_, j)| j.job_state == "JOB_QUEUED");
        handled.extend(now.iter().map(|(_, j)| j.job_id));
        let stopped: Vec<StopOutcome> = stream::iter(now)
            .map(|(org, job)| async move { stop_one(ctx, stop_id, &org, &job).await })
            .buffer_unordered(STOPS_IN_FLIGHT)
            .collect()
            .await;
        outcomes.extend(stopped);
        if queued.is_empty() {
            break;
        }
        let since = *waited_since.get_or_insert_with(tokio::time::Instant::now);
        if since.elapsed() >= QUEUED_WAIT {
            outcomes.extend(queued.into_iter().map(|(org, job)| StopOutcome {
                organization: org,
                campaign: job.campaign_name,
                job_id: job.job_id,
                state_before: job.job_state,
                outcome: "failed".into(),
                message: "Still queued after 10 seconds; POM cannot stop a queued job. Stop it once it is active.".into(),
            }));
            break;
        }
        tokio::time::sleep(QUEUED_CHECK).await;
        round = match open_jobs(ctx, &scope).await {
            Ok(jobs) => jobs,
            Err(error) => {
                tracing::warn!(error = %error, "emergency stop could not read POM's jobs again");
                Vec::new()
            }
        };
    }
    conclude(ctx, stop_id, scope.organization, outcomes).await
}

/// Writes the pending row, stops one job and stores its answer (and the running count).
async fn stop_one(ctx: &Ctx, stop_id: i64, organization: &str, job: &JobSummary) -> StopOutcome {
    let mut outcome = StopOutcome {
        organization: organization.to_string(),
        campaign: job.campaign_name.clone(),
        job_id: job.job_id,
        state_before: job.job_state.clone(),
        outcome: "failed".into(),
        message: String::new(),
    };
    let pending = Pending {
        organization,
        campaign: &job.campaign_name,
        job_id: Some(job.job_id),
        action: "stop",
        state_before: Some(&job.job_state),
        emergency_stop_id: Some(stop_id),
    };
    let pool = &ctx.state.pool;
    let result = async {
        let action_id = begin(pool, ctx, pending).await?;
        let answer = job_action(ctx, &job.campaign_name, job.job_id, JobAction::Stop).await?;
        finish(pool, action_id, Some(job.job_id), &answer).await?;
        if answer.outcome == "ok" {
            sqlx::query!("update emergency_stop set jobs_stopped = jobs_stopped + 1 where emergency_stop_id = $1", stop_id)
                .execute(pool)
                .await?;
        }
        Ok::<_, AppError>(answer)
    }
    .await;
    match result {
        Ok(answer) => {
            outcome.outcome = answer.outcome.to_string();
            outcome.message = answer.message;
        }
        Err(error) => outcome.message = error.to_string(),
    }
    outcome
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
        AuditAction::CampaignEmergencyStop,
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
