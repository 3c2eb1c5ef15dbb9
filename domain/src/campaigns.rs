//! Campaign control: who may read and act, the organization's board (from the shared poller in
//! `monitor.rs`), start / pause / resume / stop (`actions.rs`), one-off schedules
//! (`schedule.rs`), a list added to a running job (`job_lists.rs`), the emergency stop and
//! emergency mode (`emergency.rs`) and the dashboard block (`overview.rs`).

mod actions;
pub mod emergency;
pub mod job_lists;
pub mod monitor;
mod observe;
mod overview;
mod record;
mod schedule;

pub use actions::{act, campaign_in, open_job, start};
pub use overview::{overview, recent_actions};
pub(crate) use record::Answer;
pub use schedule::{parse_start, schedule, schedule_options, scheduled};

use super::access::Ctx;
use crate::error::AppError;
use crate::model::{CampaignBoard, CurrentUser, Role};
use crate::organizations;

/// Who may see campaigns and their jobs (managers read only).
pub const READ_ROLES: [Role; 3] = [Role::Admin, Role::Supervisor, Role::Manager];

/// Who may start, pause, resume, stop and schedule.
pub const ACT_ROLES: [Role; 2] = [Role::Admin, Role::Supervisor];

/// The organization a request is about: the user's own unless an admin names another. Another
/// organization's campaigns are "not found" for everyone else.
pub fn organization_for(user: &CurrentUser, asked: &str) -> Result<String, AppError> {
    if user.may_see_organization(asked) {
        Ok(asked.to_string())
    } else {
        Err(AppError::NotFound(format!("Organization {asked}")))
    }
}

/// The board of `organization` (admins: the first one when none is named) for this user.
pub async fn board(ctx: &Ctx, organization: Option<String>) -> Result<CampaignBoard, AppError> {
    let organizations = organizations::for_user(&ctx.state.pool, &ctx.user).await?;
    let organization = match organization.filter(|o| !o.trim().is_empty()) {
        Some(asked) => organization_for(&ctx.user, &asked)?,
        None => organizations
            .first()
            .cloned()
            .unwrap_or_else(|| ctx.user.organization.clone()),
    };
    let board = ctx.state.campaigns.current(&organization).await?;
    Ok(for_user(&board, &ctx.user, organizations))
}

/// The shared board with what this user may do.
pub fn for_user(
    board: &CampaignBoard,
    user: &CurrentUser,
    organizations: Vec<String>,
) -> CampaignBoard {
    CampaignBoard {
        can_act: ACT_ROLES.contains(&user.role),
        organizations,
        ..board.clone()
    }
}
