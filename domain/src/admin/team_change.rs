//! Teams from the browser: create, rename, move to another organization (what that changes is
//! shown first and confirmed against what was shown), deactivate and activate again.

use serde_json::json;
use sqlx::PgConnection;

use super::directory::lock_team;
use super::within::Within;
use super::{audit_change, check_name, end_sessions};
use crate::access::Ctx;
use crate::error::AppError;
use crate::model::{AuditAction, TeamMove};

/// An active organization by id, locked; otherwise a message for `field`.
async fn usable_organization(
    conn: &mut PgConnection,
    organization_id: i64,
    field: &str,
) -> Result<String, AppError> {
    let row = sqlx::query!(
        r#"select name, deactivated_at is null as "active!" from organization
            where organization_id = $1 for share"#,
        organization_id
    )
    .fetch_optional(conn)
    .await?
    .ok_or_else(|| AppError::validation(field, "choose one of the organizations listed"))?;
    if !row.active {
        return Err(AppError::validation(
            field,
            format!("organization “{}” is deactivated", row.name),
        ));
    }
    Ok(row.name)
}

fn taken(name: &str) -> AppError {
    AppError::validation("name", format!("a team called “{name}” exists already"))
}

/// Creates a team in an active organization.
pub async fn create(ctx: &Ctx, name: &str, organization_id: i64) -> Result<i64, AppError> {
    let name = check_name("name", name)?;
    let mut tx = ctx.state.pool.begin().await?;
    let organization = usable_organization(&mut tx, organization_id, "organization_id").await?;
    let team_id = sqlx::query_scalar!(
        "insert into team (name, organization_id) values ($1, $2)
         on conflict (name) do nothing returning team_id",
        name,
        organization_id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| taken(&name))?;
    audit_change(
        &mut tx,
        ctx,
        AuditAction::TeamAdd,
        &name,
        &organization,
        json!(null),
        json!({ "name": name, "organization": organization, "active": true }),
    )
    .await?;
    tx.commit().await?;
    Ok(team_id)
}

/// Renames a team.
pub async fn rename(
    ctx: &Ctx,
    team_id: i64,
    name: &str,
    within: Within<'_>,
) -> Result<(), AppError> {
    let name = check_name("name", name)?;
    let mut tx = ctx.state.pool.begin().await?;
    let team = lock_team(&mut tx, team_id).await?;
    within.team(&team.organization)?;
    if team.name == name {
        return Ok(());
    }
    let clash = sqlx::query_scalar!("select team_id from team where name = $1", name)
        .fetch_optional(&mut *tx)
        .await?;
    if clash.is_some() {
        return Err(taken(&name));
    }
    sqlx::query!(
        "update team set name = $2 where team_id = $1",
        team_id,
        name
    )
    .execute(&mut *tx)
    .await?;
    audit_change(
        &mut tx,
        ctx,
        AuditAction::TeamRename,
        &name,
        &team.organization,
        json!({ "name": team.name }),
        json!({ "name": name }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// What moving `team_id` to `organization_id` would change.
pub async fn move_preview(
    ctx: &Ctx,
    team_id: i64,
    organization_id: i64,
) -> Result<TeamMove, AppError> {
    let mut tx = ctx.state.pool.begin().await?;
    let preview = preview_in(&mut tx, team_id, organization_id).await?;
    tx.rollback().await?;
    Ok(preview)
}

async fn preview_in(
    conn: &mut PgConnection,
    team_id: i64,
    organization_id: i64,
) -> Result<TeamMove, AppError> {
    let team = lock_team(conn, team_id).await?;
    let to = usable_organization(conn, organization_id, "organization_id").await?;
    if team.organization_id == organization_id {
        return Err(AppError::validation(
            "organization_id",
            format!("team “{}” is in {to} already", team.name),
        ));
    }
    let users = sqlx::query_scalar!(
        "select username from app_user where team_id = $1 and disabled_at is null order by username",
        team_id
    )
    .fetch_all(&mut *conn)
    .await?;
    let open_sessions = sqlx::query_scalar!(
        r#"select count(*) as "count!" from login_session s join app_user u using (app_user_id)
            where u.team_id = $1 and s.ended_at is null"#,
        team_id
    )
    .fetch_one(&mut *conn)
    .await?;
    Ok(TeamMove {
        team: team.name,
        from: team.organization,
        to,
        users,
        open_sessions,
    })
}

/// Moves the team after the admin saw [`move_preview`]: if its active users changed since,
/// nothing moves and the new preview's figures are named. Its users' sessions end.
pub async fn move_team(
    ctx: &Ctx,
    team_id: i64,
    organization_id: i64,
    users_seen: &[String],
) -> Result<TeamMove, AppError> {
    let mut tx = ctx.state.pool.begin().await?;
    let preview = preview_in(&mut tx, team_id, organization_id).await?;
    if preview.users != users_seen {
        return Err(AppError::validation(
            "organization_id",
            format!(
                "the team's users changed since you looked ({} now); check again",
                types::words::plural(preview.users.len() as i64, "active user", "active users")
            ),
        ));
    }
    sqlx::query!(
        "update team set organization_id = $2 where team_id = $1",
        team_id,
        organization_id
    )
    .execute(&mut *tx)
    .await?;
    let user_ids = sqlx::query_scalar!(
        "select app_user_id from app_user where team_id = $1",
        team_id
    )
    .fetch_all(&mut *tx)
    .await?;
    let mut ended = 0;
    for user_id in user_ids {
        ended += end_sessions(&mut tx, user_id).await?;
    }
    audit_change(
        &mut tx,
        ctx,
        AuditAction::TeamMove,
        &preview.team,
        &preview.to,
        json!({ "organization": preview.from }),
        json!({ "organization": preview.to, "users": preview.users, "sessions_ended": ended }),
    )
    .await?;
    tx.commit().await?;
    Ok(preview)
}

/// Deactivates (no user joins it; refused while it has active users) or activates a team.
pub async fn set_active(
    ctx: &Ctx,
    team_id: i64,
    active: bool,
    within: Within<'_>,
) -> Result<(), AppError> {
    let mut tx = ctx.state.pool.begin().await?;
    let team = lock_team(&mut tx, team_id).await?;
    within.team(&team.organization)?;
    if team.active == active {
        return Ok(());
    }
    if !active {
        let users = sqlx::query_scalar!(
            r#"select count(*) as "count!" from app_user where team_id = $1 and disabled_at is null"#,
            team_id
        )
        .fetch_one(&mut *tx)
        .await?;
        if users > 0 {
            return Err(AppError::validation(
                "active",
                format!(
                    "team “{}” still has {}: move or disable them first",
                    team.name,
                    types::words::plural(users, "active user", "active users")
                ),
            ));
        }
    }
    sqlx::query!(
        "update team set deactivated_at = case when $2 then null else now() end where team_id = $1",
        team_id,
        active
    )
    .execute(&mut *tx)
    .await?;
    let action = if active {
        AuditAction::TeamActivate
    } else {
        AuditAction::TeamDeactivate
    };
    audit_change(
        &mut tx,
        ctx,
        action,
        &team.name,
        &team.organization,
        json!({ "active": team.active }),
        json!({ "active": active }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
