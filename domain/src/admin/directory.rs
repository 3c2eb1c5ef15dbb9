//! Teams and organizations as the admin pages list them, with their users counted, the lookups
//! the changes share, and the read-only settings view.

use sqlx::{PgConnection, PgPool};

use crate::error::AppError;
use crate::model::{Directory, OrganizationRow, TeamRow};

/// The settings page: the effective configuration and POM's and the database's health.
pub async fn settings_view(state: &crate::state::AppState) -> crate::model::SettingsView {
    crate::model::SettingsView {
        lines: state.settings.effective.clone(),
        status: crate::status::system(state).await,
    }
}

/// Every organization and team, by name.
pub async fn directory(pool: &PgPool) -> Result<Directory, AppError> {
    let organizations = sqlx::query!(
        r#"
        select o.organization_id, o.name, o.deactivated_at is null as "active!",
               (select count(*) from team t where t.organization_id = o.organization_id) as "teams!",
               (select count(*) from app_user u join team t using (team_id)
                 where t.organization_id = o.organization_id and u.disabled_at is null) as "users!"
          from organization o
         order by o.name
        "#
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|r| OrganizationRow {
        organization_id: r.organization_id,
        name: r.name,
        teams: r.teams,
        users: r.users,
        active: r.active,
    })
    .collect();
    let teams = sqlx::query!(
        r#"
        select t.team_id, t.name, t.organization_id, o.name as organization,
               t.deactivated_at is null as "active!",
               (select count(*) from app_user u
                 where u.team_id = t.team_id and u.disabled_at is null) as "users!"
          from team t join organization o using (organization_id)
         order by t.name
        "#
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|r| TeamRow {
        team_id: r.team_id,
        name: r.name,
        organization_id: r.organization_id,
        organization: r.organization,
        users: r.users,
        active: r.active,
    })
    .collect();
    Ok(Directory {
        organizations,
        teams,
    })
}

/// A team, locked for a change, with its organization.
pub(crate) struct LockedTeam {
    pub name: String,
    pub organization_id: i64,
    pub organization: String,
    pub active: bool,
    pub organization_active: bool,
}

/// Locks `team_id` for the rest of the transaction; unknown: `NotFound`.
pub(crate) async fn lock_team(
    conn: &mut PgConnection,
    team_id: i64,
) -> Result<LockedTeam, AppError> {
    let row = sqlx::query!(
        r#"
        select t.name, t.organization_id, o.name as organization,
               t.deactivated_at is null as "active!", o.deactivated_at is null as "org_active!"
          from team t join organization o using (organization_id)
         where t.team_id = $1
           for update of t
        "#,
        team_id
    )
    .fetch_optional(conn)
    .await?
    .ok_or_else(|| AppError::NotFound(format!("Team {team_id}")))?;
    Ok(LockedTeam {
        name: row.name,
        organization_id: row.organization_id,
        organization: row.organization,
        active: row.active,
        organization_active: row.org_active,
    })
}

/// A team new or moved users may join: it exists and it and its organization are active.
pub(crate) async fn usable_team(
    conn: &mut PgConnection,
    team_id: i64,
) -> Result<LockedTeam, AppError> {
    let team = lock_team(conn, team_id)
        .await
        .map_err(|_| AppError::validation("team_id", "choose one of the teams listed"))?;
    if !team.active {
        return Err(AppError::validation(
            "team_id",
            format!("team “{}” is deactivated", team.name),
        ));
    }
    if !team.organization_active {
        return Err(AppError::validation(
            "team_id",
            format!("organization “{}” is deactivated", team.organization),
        ));
    }
    Ok(team)
}
