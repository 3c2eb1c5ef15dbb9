//! Administration: users, teams and organizations (admins only; refusals audited).

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::{
    Credential, Directory, NewUserForm, PasswordDelivery, TeamMove, UserDetail, UserEdit,
    UserFilters, UserRow,
};
use types::report::{Page, ReportRequest};

#[cfg(feature = "ssr")]
use domain::admin::within::Within;

#[cfg(feature = "ssr")]
async fn admin(action: crate::model::AuditAction) -> Result<domain::access::Ctx, AppError> {
    crate::guard::require(action, domain::admin::ROLES).await
}

/// Users matching the filters.
#[server(endpoint = "admin/users", input = server_fn::codec::Json)]
pub async fn list_users(request: ReportRequest<UserFilters>) -> Result<Page<UserRow>, AppError> {
    use domain::admin::user_list::UserList;
    let ctx = admin(crate::model::AuditAction::AdminRead).await?;
    domain::report::page::<UserList>(&ctx, &request).await
}

/// Every organization and team.
#[server(endpoint = "admin/directory")]
pub async fn admin_directory() -> Result<Directory, AppError> {
    let ctx = admin(crate::model::AuditAction::AdminRead).await?;
    domain::admin::directory::directory(&ctx.state.pool).await
}

/// Creates a user; the credential is shown once.
#[server(endpoint = "admin/users/create", input = server_fn::codec::Json)]
pub async fn create_user(form: NewUserForm) -> Result<Credential, AppError> {
    let ctx = admin(crate::model::AuditAction::UserAdd).await?;
    domain::admin::user_create::create(&ctx, &form, Within::EVERYTHING).await
}

/// One user.
#[server(endpoint = "admin/users/get")]
pub async fn get_user(user_id: i64) -> Result<UserDetail, AppError> {
    let ctx = admin(crate::model::AuditAction::AdminRead).await?;
    domain::admin::user_change::detail(&ctx, user_id).await
}

/// Saves name, role and team.
#[server(endpoint = "admin/users/update", input = server_fn::codec::Json)]
pub async fn update_user(edit: UserEdit) -> Result<UserDetail, AppError> {
    let ctx = admin(crate::model::AuditAction::UserUpdate).await?;
    domain::admin::user_change::update(&ctx, &(&edit).into(), Within::EVERYTHING).await
}

/// Disables or enables a user.
#[server(endpoint = "admin/users/active")]
pub async fn set_user_active(user_id: i64, active: bool) -> Result<UserDetail, AppError> {
    use crate::model::AuditAction;
    let action = if active {
        AuditAction::UserEnable
    } else {
        AuditAction::UserDisable
    };
    let ctx = admin(action).await?;
    domain::admin::user_change::set_active(&ctx, user_id, active, Within::EVERYTHING).await
}

/// A new first password for a user; shown once.
#[server(endpoint = "admin/users/reset", input = server_fn::codec::Json)]
pub async fn reset_user_password(
    user_id: i64,
    delivery: PasswordDelivery,
) -> Result<Credential, AppError> {
    let ctx = admin(crate::model::AuditAction::UserPasswordReset).await?;
    domain::admin::user_change::reset_password(&ctx, user_id, delivery).await
}

/// Ends a user's sessions; answers how many.
#[server(endpoint = "admin/users/sign-out")]
pub async fn sign_out_user(user_id: i64) -> Result<i64, AppError> {
    let ctx = admin(crate::model::AuditAction::UserSignOut).await?;
    domain::admin::user_change::sign_out(&ctx, user_id).await
}

/// Creates a team.
#[server(endpoint = "admin/teams/create")]
pub async fn create_team(name: String, organization_id: i64) -> Result<i64, AppError> {
    let ctx = admin(crate::model::AuditAction::TeamAdd).await?;
    domain::admin::team_change::create(&ctx, &name, organization_id).await
}

/// Renames a team.
#[server(endpoint = "admin/teams/rename")]
pub async fn rename_team(team_id: i64, name: String) -> Result<(), AppError> {
    let ctx = admin(crate::model::AuditAction::TeamRename).await?;
    domain::admin::team_change::rename(&ctx, team_id, &name, Within::EVERYTHING).await
}

/// What moving a team would change.
#[server(endpoint = "admin/teams/move-preview")]
pub async fn preview_team_move(team_id: i64, organization_id: i64) -> Result<TeamMove, AppError> {
    let ctx = admin(crate::model::AuditAction::TeamMove).await?;
    domain::admin::team_change::move_preview(&ctx, team_id, organization_id).await
}

/// Moves a team as previewed (`users_seen`: the preview's users).
#[server(endpoint = "admin/teams/move", input = server_fn::codec::Json)]
pub async fn move_team(
    team_id: i64,
    organization_id: i64,
    users_seen: Vec<String>,
) -> Result<TeamMove, AppError> {
    let ctx = admin(crate::model::AuditAction::TeamMove).await?;
    domain::admin::team_change::move_team(&ctx, team_id, organization_id, &users_seen).await
}

/// Deactivates or activates a team.
#[server(endpoint = "admin/teams/active")]
pub async fn set_team_active(team_id: i64, active: bool) -> Result<(), AppError> {
    use crate::model::AuditAction;
    let action = if active {
        AuditAction::TeamActivate
    } else {
        AuditAction::TeamDeactivate
    };
    let ctx = admin(action).await?;
    domain::admin::team_change::set_active(&ctx, team_id, active, Within::EVERYTHING).await
}

/// Adds an organization POM knows.
#[server(endpoint = "admin/organizations/create")]
pub async fn create_organization(name: String) -> Result<i64, AppError> {
    let ctx = admin(crate::model::AuditAction::OrganizationAdd).await?;
    domain::admin::organization_change::create(&ctx, &name).await
}

/// Deactivates or activates an organization.
#[server(endpoint = "admin/organizations/active")]
pub async fn set_organization_active(organization_id: i64, active: bool) -> Result<(), AppError> {
    use crate::model::AuditAction;
    let action = if active {
        AuditAction::OrganizationActivate
    } else {
        AuditAction::OrganizationDeactivate
    };
    let ctx = admin(action).await?;
    domain::admin::organization_change::set_active(&ctx, organization_id, active).await
}

/// How call-data ingestion is going (admins).
#[server(endpoint = "admin/call-data")]
pub async fn call_data_status() -> Result<crate::model::CallDataStatus, AppError> {
    let ctx = admin(crate::model::AuditAction::AdminRead).await?;
    domain::call_data::status_view::status_view(&ctx.state.pool, &ctx.state.settings.call_data)
        .await
}

/// The effective configuration (secrets hidden) and the systems' health.
#[server(endpoint = "admin/settings")]
pub async fn settings_view() -> Result<crate::model::SettingsView, AppError> {
    let ctx = admin(crate::model::AuditAction::AdminRead).await?;
    Ok(domain::admin::directory::settings_view(&ctx.state).await)
}

/// Who besides admins reads each report.
#[server(endpoint = "admin/report-access")]
pub async fn report_access() -> Result<Vec<crate::model::ReportAccessRow>, AppError> {
    let ctx = admin(crate::model::AuditAction::ReportAccessRead).await?;
    domain::admin::report_access::list(&ctx).await
}

/// Sets who besides admins reads one report.
#[server(endpoint = "admin/report-access/save")]
pub async fn save_report_access(
    report: String,
    supervisor: bool,
    manager: bool,
) -> Result<crate::model::ReportAccessRow, AppError> {
    let ctx = admin(crate::model::AuditAction::ReportAccessChange).await?;
    domain::admin::report_access::save(&ctx, &report, supervisor, manager).await
}
