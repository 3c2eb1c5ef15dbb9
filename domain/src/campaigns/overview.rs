//! The dashboard's campaign block and the recent-actions list: open jobs with how long they have
//! been in their state, today's started and ended jobs, and users' last actions.

use crate::access::Ctx;
use crate::dates::rfc3339;
use crate::error::AppError;
use crate::model::{CampaignActionLine, CampaignOverview, OpenJobLine};
use crate::organizations;

/// When today began in `zone` (the configured POM time zone, by its standard offset).
fn today_began(zone: &str) -> time::OffsetDateTime {
    let offset = pom::zones::offset_minutes(zone).unwrap_or(0);
    let shift = time::Duration::minutes(i64::from(offset));
    let local = time::OffsetDateTime::now_utc() + shift;
    local.replace_time(time::Time::MIDNIGHT) - shift
}

/// The user's organizations' last campaign actions (`None`: all the user may see), newest first.
pub async fn recent_actions(
    ctx: &Ctx,
    organization: Option<&str>,
    limit: i64,
) -> Result<Vec<CampaignActionLine>, AppError> {
    let organizations = match organization {
        Some(asked) => vec![super::organization_for(&ctx.user, asked)?],
        None => organizations::for_user(&ctx.state.pool, &ctx.user).await?,
    };
    let rows = sqlx::query!(
        r#"
        select requested_at, requested_by_name, organization, campaign, action, job_id, outcome,
               message, emergency_stop_id is not null as "emergency!"
        from campaign_action
        where organization = any($1)
        order by requested_at desc, campaign_action_id desc
        limit $2
        "#,
        &organizations,
        limit,
    )
    .fetch_all(&ctx.state.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| CampaignActionLine {
            at: rfc3339(r.requested_at),
            username: r.requested_by_name,
            organization: r.organization,
            campaign: r.campaign,
            // A stop made by an emergency stop is one, not a plain "Stop".
            action: if r.emergency {
                "emergency_stop".to_string()
            } else {
                r.action
            },
            job_id: r.job_id,
            outcome: r.outcome,
            message: r.message,
        })
        .collect())
}

/// Open jobs, today's figures and the last actions across the user's organizations. POM is read
/// first (unless a read within the poll interval exists); when it cannot be, the last known
/// states are shown.
pub async fn overview(ctx: &Ctx) -> Result<CampaignOverview, AppError> {
    let organizations = organizations::for_user(&ctx.state.pool, &ctx.user).await?;
    let monitor = &ctx.state.campaigns;
    if let Err(error) = monitor.refresh(&organizations, false).await {
        tracing::debug!(error = %error, "campaign overview uses the last known job states");
    }
    let pool = &ctx.state.pool;
    let open = sqlx::query!(
        r#"
        select organization, campaign, job_id, state, state_since
        from campaign_job
        where organization = any($1)
          and state in ('JOB_QUEUED', 'JOB_ACTIVE', 'JOB_PAUSED', 'JOB_STOPPING')
        order by state_since
        "#,
        &organizations,
    )
    .fetch_all(pool)
    .await?;
    let today = sqlx::query!(
        r#"
        select
            count(*) filter (where first_seen_at >= $2
                and first_state in ('JOB_QUEUED', 'JOB_ACTIVE', 'JOB_PAUSED')) as "started!",
            count(*) filter (where state in ('JOB_STOPPED', 'JOB_COMPLETED')
                and state_since >= $2
                and first_seen_at < state_since) as "ended!"
        from campaign_job
        where organization = any($1)
        "#,
        &organizations,
        today_began(&ctx.state.settings.campaigns.time_zone),
    )
    .fetch_one(pool)
    .await?;
    Ok(CampaignOverview {
        open_jobs: open
            .into_iter()
            .map(|r| OpenJobLine {
                organization: r.organization,
                campaign: r.campaign,
                job_id: r.job_id,
                state: r.state,
                state_since: rfc3339(r.state_since),
            })
            .collect(),
        started_today: today.started,
        ended_today: today.ended,
        recent_actions: recent_actions(ctx, None, 10).await?,
        as_of: rfc3339(time::OffsetDateTime::now_utc()),
    })
}
