//! The emergency notices on every page: the newest stop that concerns the user's organization,
//! shown for the configured time (`OCM_EMERGENCY_BANNER_HOURS`), and the emergency modes in force.

use crate::access::Ctx;
use crate::dates::rfc3339;
use crate::error::AppError;
use crate::model::{EmergencyBanner, EmergencyNotices, Role};

/// The newest emergency stop concerning the user's organization (admins: any) within the
/// configured time, and the emergency modes in force the user is concerned by.
pub async fn banner(ctx: &Ctx) -> Result<EmergencyNotices, AppError> {
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
    let stop = row.map(|r| EmergencyBanner {
        emergency_stop_id: r.emergency_stop_id,
        by: r.requested_by_name,
        at: rfc3339(r.started_at),
        organization: r.organization,
        jobs_stopped: r.jobs_stopped,
        jobs_found: r.jobs_found,
    });
    Ok(EmergencyNotices {
        stop,
        modes: super::mode::shown_to(ctx).await?,
    })
}
