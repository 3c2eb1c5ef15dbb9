//! The session's key and how sessions end, each audited: sign-out, inactivity expiry (on request
//! or by the sweeper), and revocation when a signed-in user is disabled. Sign-in (`auth`) builds
//! on this, never the other way round.

use serde_json::json;
use sqlx::PgPool;
use tower_sessions::Session;
use uuid::Uuid;

use super::audit::{self, Actor, AuditEvent, Outcome};
use super::request_meta::RequestMeta;
use super::state::AppState;
use crate::error::{internal, AppError};
use crate::model::AuditAction;

/// The tower-sessions key holding the `login_session` id.
pub const SESSION_KEY: &str = "ocm.login_session";

/// A `login_session` id (what the session cookie's record holds).
pub type LoginSessionId = Uuid;

/// The `login_session` id a session holds, if signed in.
pub async fn current_id(session: &Session) -> Result<Option<LoginSessionId>, AppError> {
    session
        .get::<Uuid>(SESSION_KEY)
        .await
        .map_err(session_error)
}

/// A session the store could not read or write. The store is OCM's database but hands its
/// failures on as text only: the texts sqlx gives a pool timeout and a broken connection mean
/// the database is away (a page then says so); anything else is a fault inside OCM.
pub(super) fn session_error(error: tower_sessions::session::Error) -> AppError {
    use tower_sessions::session::Error;
    use tower_sessions::session_store::Error as StoreError;
    if let Error::Store(StoreError::Backend(text)) = &error {
        let broken = sqlx::Error::Io(std::io::Error::other("")).to_string();
        if *text == sqlx::Error::PoolTimedOut.to_string() || text.starts_with(broken.trim_end()) {
            tracing::warn!(error = %text, "the session store cannot reach the database");
            return AppError::DatabaseUnavailable;
        }
    }
    internal(&error)
}

/// Ends the session of a user who was disabled while signed in, and audits it.
pub(super) async fn revoke(
    pool: &PgPool,
    login_session_id: Uuid,
    username: &str,
) -> Result<(), sqlx::Error> {
    let mut tx = pool.begin().await?;
    sqlx::query!(
        "update login_session set ended_at = now(), end_reason = 'revoked' where login_session_id = $1 and ended_at is null",
        login_session_id
    )
    .execute(&mut *tx)
    .await?;
    let event = AuditEvent::new(AuditAction::SessionRevoked, Outcome::Success)
        .with_target(login_session_id.to_string())
        .with_parameters(json!({ "reason": "account disabled" }));
    audit::record(
        &mut *tx,
        &Actor::named(username),
        &RequestMeta::default(),
        event,
    )
    .await?;
    tx.commit().await
}

/// Ends the session on the server and in the cookie, and audits the sign-out.
pub async fn logout(
    state: &AppState,
    session: &Session,
    meta: &RequestMeta,
) -> Result<(), AppError> {
    if let Some(login_session_id) = session
        .get::<Uuid>(SESSION_KEY)
        .await
        .map_err(session_error)?
    {
        let mut tx = state.pool.begin().await?;
        let ended = sqlx::query!(
            r#"
            with ended as (
                update login_session set ended_at = now(), end_reason = 'logout'
                where login_session_id = $1 and ended_at is null
                returning app_user_id
            )
            select u.app_user_id, u.username, u.role, o.name as organization
            from ended join app_user u using (app_user_id)
            join team t using (team_id) join organization o using (organization_id)
            "#,
            login_session_id
        )
        .fetch_optional(&mut *tx)
        .await?;
        if let Some(user) = ended {
            let actor = Actor::stored(
                user.app_user_id,
                user.username,
                user.role,
                user.organization,
            );
            audit::record(
                &mut *tx,
                &actor,
                meta,
                AuditEvent::new(AuditAction::Logout, Outcome::Success),
            )
            .await?;
        }
        tx.commit().await?;
    }
    session.flush().await.map_err(session_error)?;
    Ok(())
}

/// Ends sessions idle for longer than `idle` (all of them, or only `only`) and audits each as
/// `session.expired`. Returns how many ended.
pub async fn expire_idle_sessions(
    pool: &PgPool,
    idle: std::time::Duration,
    only: Option<Uuid>,
) -> Result<u64, sqlx::Error> {
    let mut tx = pool.begin().await?;
    let expired = sqlx::query!(
        r#"
        with ended as (
            update login_session
            set ended_at = last_seen_at + make_interval(secs => $1), end_reason = 'expired'
            where ended_at is null
              and last_seen_at < now() - make_interval(secs => $1)
              and ($2::uuid is null or login_session_id = $2)
            returning login_session_id, app_user_id, last_seen_at, client_addr, user_agent
        )
        select ended.login_session_id, ended.last_seen_at, ended.client_addr, ended.user_agent,
               u.app_user_id, u.username, u.role, o.name as organization
        from ended join app_user u using (app_user_id)
        join team t using (team_id) join organization o using (organization_id)
        "#,
        idle.as_secs_f64(),
        only,
    )
    .fetch_all(&mut *tx)
    .await?;
    for row in &expired {
        let actor = Actor::stored(
            row.app_user_id,
            row.username.clone(),
            row.role.clone(),
            row.organization.clone(),
        );
        let meta = RequestMeta {
            request_id: None,
            client_addr: row.client_addr.clone().unwrap_or_else(|| "unknown".into()),
            user_agent: row.user_agent.clone(),
        };
        let event = AuditEvent::new(AuditAction::SessionExpired, Outcome::Success)
            .with_target(row.login_session_id.to_string())
            .with_parameters(json!({
                "idle_timeout_secs": idle.as_secs(),
                "last_activity": row.last_seen_at.to_string(),
            }));
        audit::record(&mut *tx, &actor, &meta, event).await?;
    }
    tx.commit().await?;
    Ok(expired.len() as u64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use tower_sessions::session::Error;
    use tower_sessions::session_store::Error as StoreError;

    /// What the Postgres session store hands on: the sqlx error as text.
    fn from_store(error: sqlx::Error) -> Error {
        Error::Store(StoreError::Backend(error.to_string()))
    }

    #[test]
    fn a_session_store_without_its_database_says_the_database_is_unavailable() {
        let refused = std::io::Error::from(std::io::ErrorKind::ConnectionRefused);
        for away in [sqlx::Error::PoolTimedOut, sqlx::Error::Io(refused)] {
            assert_eq!(
                session_error(from_store(away)),
                AppError::DatabaseUnavailable
            );
        }
        let broken = session_error(from_store(sqlx::Error::RowNotFound));
        assert!(matches!(broken, AppError::Internal(_)));
    }
}
