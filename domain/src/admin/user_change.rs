//! Changing a user from the browser: name, role and team; disable and enable (a disabled user's
//! sessions end at once); a new first password; ending their sessions. The last active admin
//! cannot be disabled or demoted, and nobody changes their own role or disables themselves.

use serde_json::json;
use sqlx::PgConnection;

use super::directory::usable_team;
use super::user_create::display_name;
use super::within::Within;
use super::{audit_change, credentials, end_sessions};
use crate::access::Ctx;
use crate::dates::rfc3339;
use crate::error::AppError;
use crate::model::{
    AuditAction, Credential, PasswordDelivery, Role, UserDetail, UserPatch, UserRow,
};

/// A user as locked for a change.
struct Locked {
    username: String,
    display_name: String,
    role: Role,
    team_id: i64,
    team: String,
    organization: String,
    active: bool,
}

impl Locked {
    fn snapshot(&self) -> serde_json::Value {
        json!({
            "display_name": self.display_name,
            "role": self.role.as_str(),
            "team": self.team,
            "organization": self.organization,
            "active": self.active,
        })
    }
}

async fn lock_user(conn: &mut PgConnection, user_id: i64) -> Result<Locked, AppError> {
    let row = sqlx::query!(
        r#"
        select u.username, u.display_name, u.role, u.team_id, t.name as team,
               o.name as organization, u.disabled_at is null as "active!"
          from app_user u join team t using (team_id) join organization o using (organization_id)
         where u.app_user_id = $1
           for update of u
        "#,
        user_id
    )
    .fetch_optional(conn)
    .await?
    .ok_or_else(|| AppError::NotFound(format!("User {user_id}")))?;
    Ok(Locked {
        username: row.username,
        display_name: row.display_name,
        role: Role::parse(&row.role).unwrap_or(Role::Manager),
        team_id: row.team_id,
        team: row.team,
        organization: row.organization,
        active: row.active,
    })
}

/// Locks every active admin, in id order, before any user row: two admins demoting or disabling
/// each other at once then queue instead of deadlocking, and the second sees the first's change.
async fn lock_admins(conn: &mut PgConnection) -> Result<Vec<i64>, AppError> {
    Ok(sqlx::query_scalar!(
        "select app_user_id from app_user where role = 'admin' and disabled_at is null
          order by app_user_id for update"
    )
    .fetch_all(conn)
    .await?)
}

/// Refuses a change that would leave no active admin besides `user_id`.
fn keep_an_admin(admins: &[i64], user_id: i64, field: &str) -> Result<(), AppError> {
    if admins.iter().all(|id| *id == user_id) {
        return Err(AppError::validation(
            field,
            "this is the last active admin: make another user an admin first",
        ));
    }
    Ok(())
}

/// A user for the edit page.
pub async fn detail(ctx: &Ctx, user_id: i64) -> Result<UserDetail, AppError> {
    let row = sqlx::query!(
        r#"
        select u.app_user_id, u.username, u.display_name, u.role, u.team_id, t.name as team,
               o.name as organization, u.disabled_at is null as "active!",
               u.must_change_password, u.created_at, u.is_demo, u.password_changed_at,
               u.totp_enabled_at is not null as "two_factor!",
               (select max(started_at) from login_session s where s.app_user_id = u.app_user_id) as last_sign_in,
               (select count(*) from login_session s
                 where s.app_user_id = u.app_user_id and s.ended_at is null) as "open_sessions!"
          from app_user u join team t using (team_id) join organization o using (organization_id)
         where u.app_user_id = $1
        "#,
        user_id
    )
    .fetch_optional(&ctx.state.pool)
    .await?
    .ok_or_else(|| AppError::NotFound(format!("User {user_id}")))?;
    Ok(UserDetail {
        user: UserRow {
            user_id: row.app_user_id,
            username: row.username,
            display_name: row.display_name,
            role: Role::parse(&row.role).unwrap_or(Role::Manager),
            team: row.team,
            organization: row.organization,
            active: row.active,
            must_change_password: row.must_change_password,
            last_sign_in: row.last_sign_in.map(rfc3339),
            open_sessions: row.open_sessions,
            created_at: rfc3339(row.created_at),
        },
        team_id: row.team_id,
        is_demo: row.is_demo,
        password_changed_at: row.password_changed_at.map(rfc3339),
        two_factor: row.two_factor,
    })
}

/// Saves a new display name, role and team. A new role or organization ends the user's sessions,
/// so no open page keeps what the old one allowed.
pub async fn update(
    ctx: &Ctx,
    patch: &UserPatch,
    within: Within<'_>,
) -> Result<UserDetail, AppError> {
    let mut tx = ctx.state.pool.begin().await?;
    let admins = lock_admins(&mut tx).await?;
    let before = lock_user(&mut tx, patch.user_id).await?;
    within.user(&before.organization, before.role)?;
    let asked_name = patch.display_name.as_deref();
    let name = display_name(asked_name.unwrap_or(&before.display_name), &before.username)?;
    let (role, team_id) = (
        patch.role.unwrap_or(before.role),
        patch.team_id.unwrap_or(before.team_id),
    );
    if role != before.role {
        if patch.user_id == ctx.user.user_id {
            return Err(AppError::validation(
                "role",
                "another admin changes your own role",
            ));
        }
        if before.role == Role::Admin && before.active {
            keep_an_admin(&admins, patch.user_id, "role")?;
        }
    }
    let team = if team_id == before.team_id {
        None
    } else {
        let team = usable_team(&mut tx, team_id).await?;
        within
            .team(&team.organization)
            .map_err(|_| AppError::validation("team_id", "not a team of this organization"))?;
        Some(team)
    };
    sqlx::query!(
        "update app_user set display_name = $2, role = $3, team_id = $4, updated_at = now()
          where app_user_id = $1",
        patch.user_id,
        name,
        role.as_str(),
        team_id,
    )
    .execute(&mut *tx)
    .await?;
    let after = Locked {
        display_name: name,
        role,
        team_id,
        team: team
            .as_ref()
            .map_or(before.team.clone(), |t| t.name.clone()),
        organization: team
            .as_ref()
            .map_or(before.organization.clone(), |t| t.organization.clone()),
        username: before.username.clone(),
        active: before.active,
    };
    if after.role != before.role || after.organization != before.organization {
        end_sessions(&mut tx, patch.user_id).await?;
    }
    audit_change(
        &mut tx,
        ctx,
        AuditAction::UserUpdate,
        &before.username,
        &after.organization,
        before.snapshot(),
        after.snapshot(),
    )
    .await?;
    tx.commit().await?;
    detail(ctx, patch.user_id).await
}

/// Disables (ending every session at once) or enables a user.
pub async fn set_active(
    ctx: &Ctx,
    user_id: i64,
    active: bool,
    within: Within<'_>,
) -> Result<UserDetail, AppError> {
    let mut tx = ctx.state.pool.begin().await?;
    let admins = lock_admins(&mut tx).await?;
    let before = lock_user(&mut tx, user_id).await?;
    within.user(&before.organization, before.role)?;
    if before.active == active {
        tx.rollback().await?;
        return detail(ctx, user_id).await;
    }
    if !active {
        if user_id == ctx.user.user_id {
            return Err(AppError::validation(
                "active",
                "you cannot disable yourself",
            ));
        }
        if before.role == Role::Admin {
            keep_an_admin(&admins, user_id, "active")?;
        }
    }
    sqlx::query!(
        "update app_user set disabled_at = case when $2 then null else now() end,
                             updated_at = now()
          where app_user_id = $1",
        user_id,
        active
    )
    .execute(&mut *tx)
    .await?;
    let ended = if active {
        0
    } else {
        end_sessions(&mut tx, user_id).await?
    };
    let action = if active {
        AuditAction::UserEnable
    } else {
        AuditAction::UserDisable
    };
    let after = json!({ "active": active, "sessions_ended": ended });
    audit_change(
        &mut tx,
        ctx,
        action,
        &before.username,
        &before.organization,
        json!({ "active": before.active }),
        after,
    )
    .await?;
    tx.commit().await?;
    detail(ctx, user_id).await
}

/// Replaces the user's password with a new first password (shown once) and ends their sessions.
pub async fn reset_password(
    ctx: &Ctx,
    user_id: i64,
    delivery: PasswordDelivery,
) -> Result<Credential, AppError> {
    let username = detail(ctx, user_id).await?.user.username;
    let (hash, credential, link) = credentials::issue(&username, delivery).await?;
    let mut tx = ctx.state.pool.begin().await?;
    let before = lock_user(&mut tx, user_id).await?;
    sqlx::query!(
        "update app_user set password_hash = $2, must_change_password = true, updated_at = now()
          where app_user_id = $1",
        user_id,
        hash
    )
    .execute(&mut *tx)
    .await?;
    credentials::expire_links(&mut tx, user_id).await?;
    if let Some(token) = &link {
        credentials::store_link(&mut tx, user_id, token).await?;
    }
    let ended = end_sessions(&mut tx, user_id).await?;
    audit_change(
        &mut tx,
        ctx,
        AuditAction::UserPasswordReset,
        &before.username,
        &before.organization,
        json!({}),
        json!({ "delivery": delivery, "sessions_ended": ended }),
    )
    .await?;
    tx.commit().await?;
    Ok(credential)
}

/// Ends every open session of the user; returns how many.
pub async fn sign_out(ctx: &Ctx, user_id: i64) -> Result<i64, AppError> {
    let mut tx = ctx.state.pool.begin().await?;
    let before = lock_user(&mut tx, user_id).await?;
    let ended = end_sessions(&mut tx, user_id).await?;
    audit_change(
        &mut tx,
        ctx,
        AuditAction::UserSignOut,
        &before.username,
        &before.organization,
        json!({}),
        json!({ "sessions_ended": ended }),
    )
    .await?;
    tx.commit().await?;
    Ok(ended)
}
