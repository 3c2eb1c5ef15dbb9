//! Creating a user from the browser: name, role and team checked, the first password handed out
//! once (a one-time password or a set-password link), audited.

use serde_json::json;

use super::credentials;
use super::directory::usable_team;
use super::within::Within;
use crate::access::Ctx;
use crate::audit::{self, Actor, AuditEvent, Outcome};
use crate::error::AppError;
use crate::model::{AuditAction, Credential, NewUserForm};
use crate::users;

/// Creates the user and returns the credential to show once.
pub async fn create(
    ctx: &Ctx,
    form: &NewUserForm,
    within: Within<'_>,
) -> Result<Credential, AppError> {
    let username = users::normalise_username(&form.username);
    users::check_username(&username).map_err(|p| AppError::validation("username", p))?;
    let display_name = display_name(&form.display_name, &username)?;
    let (hash, credential, link) = credentials::issue(&username, form.delivery).await?;
    let mut tx = ctx.state.pool.begin().await?;
    let team = usable_team(&mut tx, form.team_id).await?;
    within
        .team(&team.organization)
        .map_err(|_| AppError::validation("team_id", "not a team of this organization"))?;
    let user_id = sqlx::query_scalar!(
        "insert into app_user (username, display_name, role, team_id, password_hash,
                               must_change_password)
         values ($1, $2, $3, $4, $5, true)
         on conflict (username) do nothing
         returning app_user_id",
        username,
        display_name,
        form.role.as_str(),
        form.team_id,
        hash,
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| {
        AppError::validation("username", format!("“{username}” is taken; choose another"))
    })?;
    if let Some(token) = &link {
        credentials::store_link(&mut tx, user_id, token).await?;
    }
    let event = AuditEvent::new(AuditAction::UserAdd, Outcome::Success)
        .with_target(username.as_str())
        .with_organization(team.organization.as_str())
        .with_parameters(json!({
            "after": {
                "display_name": display_name,
                "role": form.role.as_str(),
                "team": team.name,
                "organization": team.organization,
                "active": true,
            },
            "delivery": form.delivery,
        }));
    audit::record(&mut *tx, &Actor::user(&ctx.user), &ctx.meta, event).await?;
    tx.commit().await?;
    Ok(credential)
}

/// The name shown in the header: trimmed, at most 100 characters; empty means the user name.
pub(crate) fn display_name(raw: &str, username: &str) -> Result<String, AppError> {
    let name = raw.trim();
    if name.chars().count() > 100 || name.chars().any(char::is_control) {
        return Err(AppError::validation(
            "display_name",
            "use at most 100 characters, without line breaks",
        ));
    }
    Ok(if name.is_empty() { username } else { name }.to_string())
}
