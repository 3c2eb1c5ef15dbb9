//! The sign-in step after a right password for a user with a second factor: the browser's session
//! holds only "password checked for user N at T" (for five minutes, no signed-in session yet);
//! the code (or a recovery code) is throttled and audited like a password, and only then does the
//! session start.

use serde::{Deserialize, Serialize};
use serde_json::json;
use tower_sessions::Session;

use super::{codes, unix_now};
use crate::audit::{self, Actor, AuditEvent, Outcome};
use crate::error::AppError;
use crate::model::{AuditAction, CurrentUser};
use crate::request_meta::RequestMeta;
use crate::session_end::session_error;
use crate::state::AppState;
use crate::{session_start, throttle, users};

/// The session key of a sign-in waiting for its code.
pub const PENDING_KEY: &str = "ocm.second_factor";
/// How long a checked password waits for its code.
const CODE_WAIT_SECS: u64 = 300;
/// Wrong codes one password entry allows; then the password is asked for again (and the
/// throttle, which a right password no longer resets, keeps counting).
const CODES_PER_PASSWORD: u32 = 3;

#[derive(Debug, Serialize, Deserialize)]
struct Pending {
    username: String,
    since: u64,
    #[serde(default)]
    wrong: u32,
}

/// Remembers, in this browser's session only, that `user`'s password was right.
pub async fn await_code(session: &Session, user: &CurrentUser) -> Result<(), AppError> {
    session.cycle_id().await.map_err(session_error)?;
    let pending = Pending {
        username: user.username.clone(),
        since: unix_now(),
        wrong: 0,
    };
    session
        .insert(PENDING_KEY, pending)
        .await
        .map_err(session_error)
}

/// Whether this browser has a checked password waiting for its code.
pub async fn waiting(session: &Session) -> bool {
    matches!(session.get::<Pending>(PENDING_KEY).await, Ok(Some(p)) if unix_now() < p.since + CODE_WAIT_SECS)
}

/// Checks the code and starts the session. A missing or stale step answers `SessionExpired`
/// (sign in again); a wrong code `InvalidCredentials`, counted like a wrong password; the third
/// wrong code for one password `Validation` (the password is asked for again).
pub async fn verify(
    state: &AppState,
    session: &Session,
    meta: &RequestMeta,
    code: &str,
) -> Result<CurrentUser, AppError> {
    let pending = session
        .get::<Pending>(PENDING_KEY)
        .await
        .map_err(session_error)?;
    let Some(pending) = pending.filter(|p| unix_now() < p.since + CODE_WAIT_SECS) else {
        session
            .remove::<Pending>(PENDING_KEY)
            .await
            .map_err(session_error)?;
        return Err(AppError::SessionExpired);
    };
    let pool = &state.pool;
    let policy = &state.settings.throttle;
    let username = pending.username.clone();
    let address = throttle::address_key(&meta.client_addr);
    if let Some(block) = throttle::refuse_if_blocked(pool, &username, &address).await? {
        return Err(AppError::Throttled {
            minutes: throttle::minutes_until(block.until, time::OffsetDateTime::now_utc()),
        });
    }
    let attempt = throttle::register_attempt(pool, policy, &username, &address).await?;
    if attempt.over_limit(policy) {
        // Parallel guesses that raced past the block check: refused unchecked.
        let until = throttle::block(pool, policy, &attempt, &username, &address).await?;
        throttle::forget_attempt(pool, &attempt).await?;
        session
            .remove::<Pending>(PENDING_KEY)
            .await
            .map_err(session_error)?;
        return Err(AppError::Throttled {
            minutes: throttle::minutes_until(until, time::OffsetDateTime::now_utc()),
        });
    }
    let candidate = users::find_for_login(pool, &username)
        .await?
        .filter(|c| !c.disabled && c.two_factor);
    let accepted = match &candidate {
        Some(found) => accept(pool, found.user.user_id, code).await?,
        None => None,
    };
    let (Some(found), Some(how)) = (candidate, accepted) else {
        metrics::counter!("ocm_sign_in_failures_total", "step" => "second_factor").increment(1);
        let event = AuditEvent::new(AuditAction::LoginFailed, Outcome::Failure)
            .with_parameters(json!({ "reason": "wrong second-factor code" }));
        audit::record(pool, &Actor::named(&username), meta, event).await?;
        if attempt.at_limit(policy) {
            let until = throttle::block(pool, policy, &attempt, &username, &address).await?;
            session
                .remove::<Pending>(PENDING_KEY)
                .await
                .map_err(session_error)?;
            return Err(AppError::Throttled {
                minutes: throttle::minutes_until(until, time::OffsetDateTime::now_utc()),
            });
        }
        let wrong = pending.wrong + 1;
        if wrong >= CODES_PER_PASSWORD {
            session
                .remove::<Pending>(PENDING_KEY)
                .await
                .map_err(session_error)?;
            return Err(AppError::validation(
                "code",
                "too many wrong codes: sign in with your password again",
            ));
        }
        let again = Pending {
            username: username.clone(),
            since: pending.since,
            wrong,
        };
        session
            .insert(PENDING_KEY, again)
            .await
            .map_err(session_error)?;
        return Err(AppError::InvalidCredentials);
    };
    throttle::forget_attempt(pool, &attempt).await?;
    throttle::clear_user_failures(pool, &username, &address).await?;
    session
        .remove::<Pending>(PENDING_KEY)
        .await
        .map_err(session_error)?;
    session_start::start(state, session, meta, &found.user, Some(how)).await?;
    Ok(found.user)
}

/// Accepts a code from the app (each step once) or an unused recovery code; says which.
async fn accept(
    pool: &sqlx::PgPool,
    user_id: i64,
    code: &str,
) -> Result<Option<&'static str>, AppError> {
    let typed = code.trim();
    if typed.len() > 32 {
        return Ok(None);
    }
    if typed.chars().any(|c| c.is_ascii_alphabetic()) {
        let used = sqlx::query!(
            "update recovery_code set used_at = now()
              where app_user_id = $1 and code_sha256 = $2 and used_at is null",
            user_id,
            codes::recovery_hash(typed)
        )
        .execute(pool)
        .await?;
        return Ok((used.rows_affected() == 1).then_some("recovery_code"));
    }
    let row = sqlx::query!(
        "select totp_secret, totp_last_step from app_user where app_user_id = $1",
        user_id
    )
    .fetch_one(pool)
    .await?;
    let Some(secret) = row.totp_secret else {
        return Ok(None);
    };
    let last = row.totp_last_step.and_then(|s| u64::try_from(s).ok());
    let Some(step) = codes::check(&secret, typed, unix_now(), last) else {
        return Ok(None);
    };
    // The step is recorded only if still newer: two requests with one code, one sign-in.
    let step = i64::try_from(step).unwrap_or(i64::MAX);
    let taken = sqlx::query!(
        "update app_user set totp_last_step = $2
          where app_user_id = $1 and (totp_last_step is null or totp_last_step < $2)",
        user_id,
        step
    )
    .execute(pool)
    .await?;
    Ok((taken.rows_affected() == 1).then_some("authenticator"))
}
