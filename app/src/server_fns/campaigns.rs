//! Campaigns: the live board, start / pause / resume / stop, one-off scheduled starts, the
//! emergency stop, emergency mode and their notices, and the dashboard's campaign block. Live updates of the board
//! come from `GET /campaigns/events`.
//! (Functions returning a model type are named `get_*`: Leptos names each function's argument
//! struct after the function, which must not collide with the type.)

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::{
    ActionOutcome, CampaignActionLine, CampaignBoard, CampaignOverview, EmergencyMode,
    EmergencyNotices, EmergencyStopReport, FloorNow, JobAction, ScheduleOptions, ScheduledStart,
};

/// The organization's campaigns with their current jobs. Managers read; `organization` is for
/// admins (others always get their own).
#[server(endpoint = "campaigns/board")]
pub async fn get_campaign_board(organization: Option<String>) -> Result<CampaignBoard, AppError> {
    use crate::guard;
    use crate::model::AuditAction;
    use domain::campaigns;
    let ctx = guard::require(AuditAction::CampaignsBoard, &campaigns::READ_ROLES).await?;
    campaigns::board(&ctx, organization).await
}

/// Starts a job of the campaign (POM answers "queued"; the board follows it to active).
#[server(endpoint = "campaigns/start")]
pub async fn start_campaign(
    organization: String,
    campaign: String,
) -> Result<ActionOutcome, AppError> {
    use crate::guard;
    use crate::model::AuditAction;
    use domain::campaigns;
    let ctx = guard::require(AuditAction::CampaignsStart, &campaigns::ACT_ROLES).await?;
    campaigns::start(&ctx, &organization, &campaign).await
}

/// Pauses, resumes or stops a job of the campaign.
#[server(endpoint = "campaigns/job_action")]
pub async fn campaign_job_action(
    organization: String,
    campaign: String,
    job_id: i64,
    action: JobAction,
) -> Result<ActionOutcome, AppError> {
    use crate::guard;
    use crate::model::AuditAction;
    use domain::campaigns;
    let ctx = guard::require(AuditAction::CampaignsJobAction, &campaigns::ACT_ROLES).await?;
    campaigns::act(&ctx, &organization, &campaign, job_id, action).await
}

/// Asks POM to start the campaign once at `start` (`yyyy-MM-ddTHH:mm`, as a date-time input
/// gives it) in `time_zone`.
#[server(endpoint = "campaigns/schedule")]
pub async fn schedule_campaign_start(
    organization: String,
    campaign: String,
    start: String,
    time_zone: String,
) -> Result<ScheduledStart, AppError> {
    use crate::guard;
    use crate::model::AuditAction;
    use domain::campaigns;
    let ctx = guard::require(AuditAction::CampaignsSchedule, &campaigns::ACT_ROLES).await?;
    campaigns::schedule(&ctx, &organization, &campaign, &start, &time_zone).await
}

/// Scheduled starts of the organization, upcoming first, then the last week's.
#[server(endpoint = "campaigns/scheduled")]
pub async fn scheduled_starts(organization: String) -> Result<Vec<ScheduledStart>, AppError> {
    use crate::guard;
    use crate::model::AuditAction;
    use domain::campaigns;
    let ctx = guard::require(AuditAction::CampaignsScheduled, &campaigns::READ_ROLES).await?;
    campaigns::scheduled(&ctx, &organization).await
}

/// The time zones a schedule may use and the configured default.
#[server(endpoint = "campaigns/schedule_options")]
pub async fn get_schedule_options() -> Result<ScheduleOptions, AppError> {
    use crate::guard;
    use crate::model::AuditAction;
    use domain::campaigns;
    let ctx = guard::require(
        AuditAction::CampaignsScheduleOptions,
        &campaigns::READ_ROLES,
    )
    .await?;
    Ok(campaigns::schedule_options(&ctx))
}

/// The organization's last campaign actions by users (newest first).
#[server(endpoint = "campaigns/actions")]
pub async fn campaign_actions(organization: String) -> Result<Vec<CampaignActionLine>, AppError> {
    use crate::guard;
    use crate::model::AuditAction;
    use domain::campaigns;
    let ctx = guard::require(AuditAction::CampaignsActions, &campaigns::READ_ROLES).await?;
    campaigns::recent_actions(&ctx, Some(&organization), 20).await
}

/// Admin: stops every active or paused job of one organization (`None`: of all), after the
/// typed confirmation phrase.
#[server(endpoint = "campaigns/emergency_stop")]
pub async fn emergency_stop(
    organization: Option<String>,
    phrase: String,
) -> Result<EmergencyStopReport, AppError> {
    use crate::guard;
    use crate::model::AuditAction;
    use domain::campaigns;
    let ctx = guard::require(
        AuditAction::CampaignsEmergencyStop,
        &[crate::model::Role::Admin],
    )
    .await?;
    campaigns::emergency::stop(&ctx, organization, &phrase).await
}

/// Admin: the emergency stop, then emergency mode kept on (starts, resumes and schedules
/// refused) until an admin lifts it. The same typed phrase confirms it.
#[server(endpoint = "campaigns/emergency_mode")]
pub async fn emergency_mode_on(
    organization: Option<String>,
    phrase: String,
    #[server(default)] reason: String,
) -> Result<EmergencyStopReport, AppError> {
    use crate::guard;
    use crate::model::{AuditAction, EMERGENCY_PHRASE};
    use domain::campaigns;
    let ctx = guard::require(
        AuditAction::CampaignsEmergencyStop,
        &[crate::model::Role::Admin],
    )
    .await?;
    if phrase != EMERGENCY_PHRASE {
        return Err(AppError::validation(
            "phrase",
            format!("Type {EMERGENCY_PHRASE} exactly to confirm the emergency stop."),
        ));
    }
    let (_, report) = campaigns::emergency::mode::enable(&ctx, organization, &reason).await?;
    Ok(report)
}

/// Admin: lifts emergency mode for one organization (`None`: the one for every organization).
#[server(endpoint = "campaigns/emergency_mode_lift")]
pub async fn emergency_mode_lift(organization: Option<String>) -> Result<EmergencyMode, AppError> {
    use crate::guard;
    use crate::model::AuditAction;
    use domain::campaigns;
    let ctx = guard::require(
        AuditAction::CampaignEmergencyModeOff,
        &[crate::model::Role::Admin],
    )
    .await?;
    campaigns::emergency::mode::lift(&ctx, organization).await
}

/// The newest emergency stop that concerns the user's organization, within the last day, and
/// the emergency modes in force that concern the user.
#[server(endpoint = "campaigns/emergency_banner")]
pub async fn get_emergency_banner() -> Result<EmergencyNotices, AppError> {
    use crate::guard;
    use domain::{auth::Activity, campaigns};
    let ctx = guard::signed_in(Activity::Peek).await?;
    campaigns::emergency::banner(&ctx).await
}

/// The floor's live figures: "Why isn't it dialling?" and open jobs' progress through their
/// lists. `organization` is for admins (others always get their own).
#[server(endpoint = "campaigns/floor")]
pub async fn get_floor_now(organization: Option<String>) -> Result<FloorNow, AppError> {
    use crate::guard;
    use crate::model::AuditAction;
    use domain::campaigns;
    let ctx = guard::require(AuditAction::CampaignsFloor, &campaigns::READ_ROLES).await?;
    Ok((*domain::floor::now(&ctx, organization).await?).clone())
}

/// The dashboard's campaign block: open jobs with their state age, today's figures, last actions.
#[server(endpoint = "campaigns/overview")]
pub async fn get_campaign_overview() -> Result<CampaignOverview, AppError> {
    use crate::guard;
    use crate::model::AuditAction;
    use domain::campaigns;
    let ctx = guard::require(AuditAction::CampaignsOverview, &campaigns::READ_ROLES).await?;
    campaigns::overview(&ctx).await
}
