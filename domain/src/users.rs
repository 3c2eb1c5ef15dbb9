//! Users, teams and organizations in Postgres.

use sqlx::{PgConnection, PgExecutor, PgPool};

use crate::model::{CurrentUser, Role};

/// A user as needed to check a sign-in.
#[derive(Debug, Clone)]
pub struct LoginCandidate {
    pub user: CurrentUser,
    pub password_hash: String,
    pub disabled: bool,
    /// Signs in with a code from an authenticator app after the password.
    pub two_factor: bool,
}

/// A user to create.
#[derive(Debug, Clone)]
pub struct NewUser<'a> {
    pub username: &'a str,
    pub display_name: &'a str,
    pub role: Role,
    pub team_id: i64,
    pub password_hash: &'a str,
    pub is_demo: bool,
}

/// Normalises a typed user name the way it is stored.
pub fn normalise_username(raw: &str) -> String {
    raw.trim().to_lowercase()
}

/// Checks a user name against the stored rule, with a message naming what is wrong.
pub fn check_username(username: &str) -> Result<(), String> {
    let valid_chars = username
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'));
    let starts_well = username
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    if !(2..=64).contains(&username.len()) || !valid_chars || !starts_well {
        return Err(
            "use 2 to 64 characters: a-z, 0-9, '.', '_' or '-', starting with a letter or digit"
                .into(),
        );
    }
    Ok(())
}

/// Looks a user up by (normalised) user name for sign-in.
pub async fn find_for_login(
    pool: &PgPool,
    username: &str,
) -> Result<Option<LoginCandidate>, sqlx::Error> {
    let row = sqlx::query!(
        r#"
        select u.app_user_id, u.username, u.display_name, u.role, u.password_hash,
               u.disabled_at is not null as "disabled!", u.must_change_password, t.name as team,
               u.totp_enabled_at is not null as "two_factor!",
               (u.totp_enabled_at is null
                and exists (select 1 from sign_in_policy p where u.role = any(p.two_factor_roles)))
                   as "must_enrol!",
               o.organization_id, o.name as organization
        from app_user u
        join team t using (team_id)
        join organization o using (organization_id)
        where u.username = $1
        "#,
        username
    )
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| LoginCandidate {
        user: CurrentUser {
            user_id: r.app_user_id,
            username: r.username,
            display_name: r.display_name,
            role: Role::parse(&r.role).unwrap_or(Role::Manager),
            team: r.team,
            organization_id: r.organization_id,
            organization: r.organization,
            must_change_password: r.must_change_password,
            must_enrol_two_factor: r.must_enrol,
            api_client: None,
        },
        password_hash: r.password_hash,
        disabled: r.disabled,
        two_factor: r.two_factor,
    }))
}

/// Returns the organization's id, creating it if needed.
pub async fn ensure_organization(conn: &mut PgConnection, name: &str) -> Result<i64, sqlx::Error> {
    sqlx::query!(
        "insert into organization (name) values ($1) on conflict (name) do nothing",
        name
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query_scalar!(
        "select organization_id from organization where name = $1",
        name
    )
    .fetch_one(&mut *conn)
    .await
}

/// Returns the team's id, creating it in `organization_id` if needed. An existing team keeps its
/// organization; the caller is told which one it has.
pub async fn ensure_team(
    conn: &mut PgConnection,
    name: &str,
    organization_id: i64,
) -> Result<(i64, i64), sqlx::Error> {
    sqlx::query!(
        "insert into team (name, organization_id) values ($1, $2) on conflict (name) do nothing",
        name,
        organization_id
    )
    .execute(&mut *conn)
    .await?;
    let row = sqlx::query!(
        "select team_id, organization_id from team where name = $1",
        name
    )
    .fetch_one(&mut *conn)
    .await?;
    Ok((row.team_id, row.organization_id))
}

/// Finds a team by name.
pub async fn find_team(
    executor: impl PgExecutor<'_>,
    name: &str,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar!("select team_id from team where name = $1", name)
        .fetch_optional(executor)
        .await
}

/// Creates a user and returns its id.
pub async fn create_user(
    executor: impl PgExecutor<'_>,
    user: &NewUser<'_>,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(
        r#"
        insert into app_user (username, display_name, role, team_id, password_hash, is_demo)
        values ($1, $2, $3, $4, $5, $6)
        returning app_user_id
        "#,
        user.username,
        user.display_name,
        user.role.as_str(),
        user.team_id,
        user.password_hash,
        user.is_demo,
    )
    .fetch_one(executor)
    .await
}

/// Creates or refreshes a demo user (password and team follow the current demo settings).
pub async fn upsert_demo_user(
    executor: impl PgExecutor<'_>,
    user: &NewUser<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        r#"
        insert into app_user (username, display_name, role, team_id, password_hash, is_demo)
        values ($1, $2, $3, $4, $5, true)
        on conflict (username) do update
            set display_name = excluded.display_name, role = excluded.role,
                team_id = excluded.team_id, password_hash = excluded.password_hash,
                disabled_at = null
            where app_user.is_demo
        "#,
        user.username,
        user.display_name,
        user.role.as_str(),
        user.team_id,
        user.password_hash,
    )
    .execute(executor)
    .await?;
    Ok(())
}

/// Removes every demo user (and their sign-in records). Audit rows keep their copied names.
pub async fn remove_demo_users(conn: &mut PgConnection) -> Result<u64, sqlx::Error> {
    // The demo's scheduled exports go with their owners (a real system keeps none of them).
    sqlx::query!(
        "delete from export_delivery where export_run_id in (
             select r.export_run_id from export_run r
             join export_schedule s using (export_schedule_id)
             join app_user u on u.app_user_id = s.owner_id where u.is_demo)"
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "delete from export_run where export_schedule_id in (
             select s.export_schedule_id from export_schedule s
             join app_user u on u.app_user_id = s.owner_id where u.is_demo)"
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "delete from export_schedule where owner_id in (select app_user_id from app_user where is_demo)"
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "delete from login_session where app_user_id in (select app_user_id from app_user where is_demo)"
    )
    .execute(&mut *conn)
    .await?;
    let removed = sqlx::query!("delete from app_user where is_demo")
        .execute(&mut *conn)
        .await?;
    Ok(removed.rows_affected())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_are_trimmed_and_lower_cased() {
        assert_eq!(normalise_username("  Supervisor "), "supervisor");
    }

    #[test]
    fn username_rule_names_what_is_allowed() {
        assert!(check_username("jane.doe").is_ok());
        assert!(check_username("j").is_err());
        assert!(check_username("-jane").is_err());
        assert!(check_username("jane doe").is_err());
    }
}
