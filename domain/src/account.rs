//! A user's own password: chosen after a one-time password (or whenever they like, giving the
//! current one), or through a set-password link an admin handed out. Both end the user's other
//! sessions and are audited; the password itself never is.

use serde_json::json;
use uuid::Uuid;

use crate::access::Ctx;
use crate::admin::credentials::{self, token_hash};
use crate::admin::end_sessions;
use crate::audit::{self, Actor, AuditEvent, Outcome};
use crate::error::AppError;
use crate::model::AuditAction;
use crate::request_meta::RequestMeta;
use crate::state::AppState;
use crate::{passwords, throttle};

/// The two fields of a new password, checked alike everywhere.
fn check_new(new: &str, repeat: &str, username: &str, display: &str) -> Result<(), AppError> {
    if new != repeat {
        return Err(AppError::validation("repeat", "the two passwords differ"));
    }
    passwords::check_new_password(new, &[username, display])
        .map_err(|problem| AppError::validation("new_password", problem))
}

/// Changes the signed-in user's password after checking the current one. Their other sessions
/// end; this one goes on (its id was cycled at sign-in).
pub async fn change_password(
    ctx: &Ctx,
    current_session: Option<Uuid>,
    current: &str,
    new: &str,
    repeat: &str,
) -> Result<(), AppError> {
    let user = &ctx.user;
    check_new(new, repeat, &user.username, &user.display_name)?;
    if new == current {
        return Err(AppError::validation(
            "new_password",
            "choose a password different from the current one",
        ));
    }
    let stored = sqlx::query_scalar!(
        "select password_hash from app_user where app_user_id = $1",
        user.user_id
    )
    .fetch_one(&ctx.state.pool)
    .await?;
    // Guessing the current password from an open session is throttled like signing in; reaching
    // the limit also ends the user's sessions.
    let pool = &ctx.state.pool;
    let policy = &ctx.state.settings.throttle;
    let address = throttle::address_key(&ctx.meta.client_addr);
    if let Some(block) = throttle::refuse_if_blocked(pool, &user.username, &address).await? {
        return Err(AppError::Throttled {
            minutes: throttle::minutes_until(block.until, time::OffsetDateTime::now_utc()),
        });
    }
    let attempt = throttle::register_attempt(pool, policy, &user.username, &address).await?;
    let matches = passwords::check(current.to_string(), Some(stored), true)
        .await
        .ok_or_else(|| AppError::Busy {
            message: "OCM is checking many passwords just now; try again in a minute.".into(),
            retry_after_secs: 60,
        })?;
    if !matches {
        let event = AuditEvent::new(AuditAction::AccountPasswordChange, Outcome::Failure)
            .with_target(user.username.as_str())
            .with_organization(user.organization.as_str())
            .with_parameters(json!({ "reason": "wrong current password" }));
        audit::record(pool, &Actor::user(user), &ctx.meta, event).await?;
        if attempt.at_limit(policy) || attempt.over_limit(policy) {
            let until = throttle::block(pool, policy, &attempt, &user.username, &address).await?;
            let mut conn = pool.acquire().await?;
            end_sessions(&mut conn, user.user_id).await?;
            return Err(AppError::Throttled {
                minutes: throttle::minutes_until(until, time::OffsetDateTime::now_utc()),
            });
        }
        return Err(AppError::validation(
            "current_password",
            "this is not your current password",
        ));
    }
    throttle::forget_attempt(pool, &attempt).await?;
    throttle::clear_user_failures(pool, &user.username, &address).await?;
    let hash = passwords::hash_off_thread(new.to_string()).await?;
    let mut tx = ctx.state.pool.begin().await?;
    sqlx::query!(
        "update app_user set password_hash = $2, must_change_password = false,
                             password_changed_at = now(), updated_at = now()
          where app_user_id = $1",
        user.user_id,
        hash
    )
    .execute(&mut *tx)
    .await?;
    credentials::expire_links(&mut tx, user.user_id).await?;
    let others = sqlx::query!(
        "update login_session set ended_at = now(), end_reason = 'revoked'
          where app_user_id = $1 and ended_at is null and login_session_id is distinct from $2",
        user.user_id,
        current_session
    )
    .execute(&mut *tx)
    .await?
    .rows_affected();
    let event = AuditEvent::new(AuditAction::AccountPasswordChange, Outcome::Success)
        .with_target(user.username.as_str())
        .with_organization(user.organization.as_str())
        .with_parameters(json!({ "after_one_time_password": user.must_change_password }))
        .with_counts(json!({ "other_sessions_ended": others }));
    audit::record(&mut *tx, &Actor::user(user), &ctx.meta, event).await?;
    tx.commit().await?;
    Ok(())
}

/// The user a set-password link is for, while it can still be used.
pub async fn link_user(state: &AppState, token: &str) -> Result<String, AppError> {
    let username = sqlx::query_scalar!(
        "select u.username from password_link l join app_user u using (app_user_id)
          where l.token_sha256 = $1 and l.used_at is null and l.expires_at > now()
            and u.disabled_at is null",
        token_hash(token)
    )
    .fetch_optional(&state.pool)
    .await?;
    username.ok_or_else(|| {
        AppError::validation(
            "token",
            "this link has expired or was used already; ask an admin for a new one",
        )
    })
}

/// Sets the password through a link: once, before it expires, for an active user.
pub async fn set_with_link(
    state: &AppState,
    meta: &RequestMeta,
    token: &str,
    new: &str,
    repeat: &str,
) -> Result<String, AppError> {
    let username = link_user(state, token).await?;
    check_new(new, repeat, &username, "")?;
    let hash = passwords::hash_off_thread(new.to_string()).await?;
    let mut tx = state.pool.begin().await?;
    let row = sqlx::query!(
        r#"
        update password_link l set used_at = now()
          from app_user u join team t using (team_id) join organization o using (organization_id)
         where l.token_sha256 = $1 and l.used_at is null and l.expires_at > now()
           and u.app_user_id = l.app_user_id and u.disabled_at is null
        returning u.app_user_id, u.username, u.role, o.name as organization
        "#,
        token_hash(token)
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| AppError::validation("token", "this link was used a moment ago"))?;
    sqlx::query!(
        "update app_user set password_hash = $2, must_change_password = false,
                             password_changed_at = now(), updated_at = now()
          where app_user_id = $1",
        row.app_user_id,
        hash
    )
    .execute(&mut *tx)
    .await?;
    credentials::expire_links(&mut tx, row.app_user_id).await?;
    let ended = end_sessions(&mut tx, row.app_user_id).await?;
    let actor = Actor::stored(
        row.app_user_id,
        row.username.clone(),
        row.role,
        row.organization.clone(),
    );
    let event = AuditEvent::new(AuditAction::AccountPasswordLink, Outcome::Success)
        .with_target(row.username.as_str())
        .with_organization(row.organization)
        .with_counts(json!({ "sessions_ended": ended }));
    audit::record(&mut *tx, &actor, meta, event).await?;
    tx.commit().await?;
    Ok(row.username)
}
