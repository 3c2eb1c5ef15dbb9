//! The floor dashboard's live figures, worked out once per organization per interval however
//! many people look (`FloorCache`): today's figures and charts (`today.rs`); agents now by team
//! and state (`agents.rs`); "Why isn't it dialling?" — for each campaign whose newest job places
//! no calls or few, the reasons OCM can see, with counts — and open jobs' progress through their
//! lists (penetration, remaining, attempts per hour, time to exhaustion); and which of its
//! sources is behind, since when (`crate::freshness`).

pub mod agents;
pub mod facts;
pub mod progress;
pub mod reader;
pub mod reasons;
pub mod today;
pub mod window;

use std::sync::Arc;
use std::time::Duration;

use sqlx::PgPool;
use time::OffsetDateTime;

use crate::access::Ctx;
use crate::campaigns::organization_for;
use crate::dates::rfc3339;
use crate::error::AppError;
use crate::freshness;
use crate::model::{job_is_open, CampaignBoard, CurrentUser, FloorNow, IdleCampaign, JobNow};
use crate::organizations;
use crate::shared_figures::SharedFigures;
use crate::state::AppState;
use facts::{Reading, RECENT};
use reasons::{needs_reasons, JobFacts};

/// How long one organization's figures are reused.
pub const EVERY: Duration = Duration::from_secs(1);
/// The longest one working-out may take before readers are told it failed.
const TAKES_AT_MOST: Duration = Duration::from_secs(10);
/// Jobs that ended longer ago than this are not explained any more.
const ENDED_WITHIN: time::Duration = time::Duration::hours(12);

/// The last figures per organization, and jobs' progress kept between workings-out.
#[derive(Clone)]
pub struct FloorCache {
    figures: Arc<SharedFigures<FloorNow>>,
    progress: Arc<progress::ProgressCache>,
}

impl Default for FloorCache {
    fn default() -> Self {
        FloorCache {
            figures: Arc::new(SharedFigures::new(
                EVERY,
                TAKES_AT_MOST,
                "The floor's figures took too long to work out; they are tried again in a moment.",
            )),
            progress: Arc::default(),
        }
    }
}

impl FloorCache {
    /// How many times figures were worked out since start (for tests and benchmarks).
    pub fn computations(&self) -> u64 {
        self.figures.computations()
    }
}

/// The floor figures of the organization the caller reads (admins: the one asked, or their own).
pub async fn now(ctx: &Ctx, organization: Option<String>) -> Result<Arc<FloorNow>, AppError> {
    let organization = match organization.filter(|o| !o.trim().is_empty()) {
        Some(asked) => organization_for(&ctx.user, &asked)?,
        None => ctx.user.organization.clone(),
    };
    known(&ctx.state.pool, &ctx.user, &organization).await?;
    let figures = current(&ctx.state, &organization).await?;
    Ok(Arc::new(reader::for_reader(&figures, ctx.user.role)))
}

/// Refuses an organization OCM does not know (an admin may name any): no figures, cache slot or
/// POM reads for made-up names.
pub async fn known(pool: &PgPool, user: &CurrentUser, organization: &str) -> Result<(), AppError> {
    if organizations::for_user(pool, user)
        .await?
        .iter()
        .any(|o| o == organization)
    {
        Ok(())
    } else {
        Err(AppError::NotFound(format!("Organization {organization}")))
    }
}

/// The organization's figures, worked out again when older than [`EVERY`], for every reader:
/// serve them through [`reader::for_reader`].
pub async fn current(state: &AppState, organization: &str) -> Result<Arc<FloorNow>, AppError> {
    state
        .floor
        .figures
        .get(organization, || compute(state, organization))
        .await
}

/// An open job's progress: contacts dealt with of its lists, and when the rest is reached at
/// the recent rate of attempts.
fn job_now(job: &JobFacts) -> JobNow {
    let dealt_with = job.dealt_with();
    let per_hour = job.attempts_recent * 60 / RECENT.whole_minutes();
    let remaining = job.list_size.map(|size| (size - dealt_with).max(0));
    JobNow {
        campaign: job.campaign.clone(),
        job_id: job.job_id,
        state: job.state.clone(),
        list_size: job.list_size,
        dealt_with,
        attempts_per_hour: per_hour,
        minutes_to_exhaustion: remaining
            .filter(|_| per_hour > 0 && job.state == "JOB_ACTIVE")
            .map(|left| (left * 60 + per_hour - 1) / per_hour),
    }
}

/// The jobs worth explaining on the board: open ones, and newest ones that ended lately.
fn jobs_on(board: &CampaignBoard, now: OffsetDateTime) -> Vec<JobFacts> {
    board
        .campaigns
        .iter()
        .filter_map(|row| {
            let job = row.job.as_ref()?;
            let since = job.state_since.as_deref().and_then(|s| {
                OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339).ok()
            });
            let recent_end = since.is_some_and(|at| now - at < ENDED_WITHIN);
            (job_is_open(&job.state) || recent_end).then(|| JobFacts {
                campaign: row.name.clone(),
                job_id: job.job_id,
                state: job.state.clone(),
                state_since: since,
                ..JobFacts::default()
            })
        })
        .collect()
}

async fn compute(state: &AppState, organization: &str) -> Result<FloorNow, AppError> {
    let board = state.campaigns.current(organization).await?;
    let now = OffsetDateTime::now_utc();
    let mut jobs = jobs_on(&board, now);
    let reading = Reading {
        pool: &state.pool,
        organization,
        now,
        window: state.settings.campaigns.calling_window,
        default_zone: &state.settings.campaigns.time_zone,
        progress: &state.floor.progress,
    };
    let mut org = facts::gather(&reading, &mut jobs).await?;
    let zone = &state.settings.call_data.time_zone;
    let feed_configured = state.settings.call_data.feed_url.is_some();
    let call_data =
        freshness::call_data_facts(&state.pool, Some(organization), feed_configured, now).await?;
    let stale: Vec<_> = freshness::pom_behind(&board, now, zone)
        .into_iter()
        .chain(freshness::call_data_behind(&call_data, now, zone))
        .collect();
    let mut behind = Vec::new();
    // Today's figures and the agents are parts of the card: one failing says so in its place
    // rather than taking the reasons and progress away with it.
    let callbacks = crate::callbacks::live::current(state, Some(organization)).await;
    let today = match callbacks {
        Ok(callbacks) => {
            today::today(&today::Day {
                pool: &state.pool,
                organization,
                now,
                zone: &state.settings.call_data.time_zone,
                amd_false_positive_percent: state.settings.call_data.amd_false_positive_percent,
                callbacks: &callbacks,
            })
            .await
        }
        Err(failed) => Err(failed),
    };
    let today = today
        .map_err(|failed| {
            tracing::warn!(organization, error = %failed, "floor: today's figures not read");
            behind.push(format!("Today's figures could not be read: {failed}"));
        })
        .ok();
    let agents = agents::now(&state.pool, organization, now)
        .await
        .unwrap_or_else(|failed| {
            tracing::warn!(organization, error = %failed, "floor: agents not read");
            behind.push(format!("The agents' states could not be read: {failed}"));
            Vec::new()
        });
    // "None ready" is read from the same agents the card shows.
    org.agents_now = agents.clone();
    let closed_by_role = reader::closed_by_role(&state.pool).await?;
    let progress = jobs
        .iter()
        .filter(|j| job_is_open(&j.state))
        .map(job_now)
        .collect();
    let (idle, dialling): (Vec<JobFacts>, Vec<JobFacts>) =
        jobs.into_iter().partition(needs_reasons);
    Ok(FloorNow {
        organization: organization.to_string(),
        today,
        closed_by_role,
        agents,
        jobs: progress,
        idle: idle
            .iter()
            .map(|job| IdleCampaign {
                campaign: job.campaign.clone(),
                job_id: job.job_id,
                state: job.state.clone(),
                attempts_recent: job.attempts_recent,
                reasons: reasons::reasons(job, &org),
            })
            .collect(),
        dialling: dialling.into_iter().map(|j| j.campaign).collect(),
        recent_minutes: RECENT.whole_minutes(),
        computed_at: rfc3339(now),
        jobs_read_at: board.read_at.clone(),
        call_data_newest: call_data.newest_record.map(rfc3339),
        behind,
        stale,
    })
}
