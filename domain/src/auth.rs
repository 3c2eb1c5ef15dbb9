//! Sign-in, sign-out and session checks. The browser's cookie names a tower-sessions session that
//! holds one `login_session` id; OCM's own `login_session` row decides inactivity expiry, so expiry
//! is audited and enforced the same way on every instance.

use serde_json::json;
use tower_sessions::Session;
use uuid::Uuid;

use super::audit::{self, Actor, AuditEvent, Outcome};
use super::passwords;
use super::request_meta::RequestMeta;
use super::session_end::{self, session_error, SESSION_KEY};
use super::session_start;
use super::state::AppState;
use super::throttle;
use super::two_factor;
use super::users;
use crate::error::AppError;
use crate::model::{AuditAction, CurrentUser, Role, SessionTiming};

/// Longest user name worth looking up; longer input is refused before any work or audit.
const MAX_TYPED_USERNAME: usize = 64;

fn throttled(until: time::OffsetDateTime) -> AppError {
    AppError::Throttled {
        minutes: throttle::minutes_until(until, time::OffsetDateTime::now_utc()),
    }
}

/// A successful sign-in: who, and the device token the browser keeps (`throttle::device`).
#[derive(Debug)]
pub struct SignedIn {
    pub user: CurrentUser,
    pub device_token: String,
    /// The password was right and the user signs in with a second factor: the code comes next
    /// (`two_factor::sign_in::verify`); no session is signed in yet.
    pub code_needed: bool,
}

/// Checks a user name and password, applies throttling, starts a session (with a new id) and
/// audits the attempt whatever its outcome.
#[tracing::instrument(skip_all)]
pub async fn login(
    state: &AppState,
    session: &Session,
    meta: &RequestMeta,
    typed_username: &str,
    password: &str,
    device: Option<&str>,
) -> Result<SignedIn, AppError> {
    let pool = &state.pool;
    let policy = &state.settings.throttle;
    let username = users::normalise_username(typed_username);
    if username.is_empty() || password.is_empty() {
        return Err(AppError::validation(
            "username",
            "enter your user name and password",
        ));
    }
    if username.chars().count() > MAX_TYPED_USERNAME {
        return Err(AppError::InvalidCredentials);
    }
    let actor = Actor::named(&username);
    let address = throttle::address_key(&meta.client_addr);
    if let Some(block) = throttle::refuse_if_blocked(pool, &username, &address).await? {
        metrics::counter!("ocm_sign_in_failures_total", "step" => "blocked").increment(1);
        if block.first_refusal {
            let event = AuditEvent::new(AuditAction::LoginThrottled, Outcome::Denied)
                .with_parameters(json!({ "blocked_until": block.until.to_string() }));
            audit::record(pool, &actor, meta, event).await?;
        }
        return Err(throttled(block.until));
    }
    let attempt = throttle::register_attempt(pool, policy, &username, &address).await?;
    if attempt.over_limit(policy) {
        // Parallel guesses that raced past the block check: refused unchecked.
        let until = throttle::block(pool, policy, &attempt, &username, &address).await?;
        throttle::forget_attempt(pool, &attempt).await?;
        let event = AuditEvent::new(AuditAction::LoginThrottled, Outcome::Denied)
            .with_parameters(json!({ "blocked_until": until.to_string() }));
        audit::record(pool, &actor, meta, event).await?;
        return Err(throttled(until));
    }

    let known_device = throttle::device::recognised(pool, &username, device).await?;
    match throttle::schedule_check(pool, policy, &attempt, &username, known_device).await? {
        throttle::SlowDown::Go(wait) => tokio::time::sleep(wait).await,
        throttle::SlowDown::Refused {
            retry_after,
            first_refusal,
        } => {
            throttle::forget_attempt(pool, &attempt).await?;
            if first_refusal {
                let event = AuditEvent::new(AuditAction::LoginThrottled, Outcome::Denied).with_parameters(
                    json!({ "reason": "user name slowed down", "retry_after_seconds": retry_after.as_secs() }),
                );
                audit::record(pool, &actor, meta, event).await?;
            }
            return Err(throttled(time::OffsetDateTime::now_utc() + retry_after));
        }
    }

    let candidate = users::find_for_login(pool, &username).await?;
    let hash = candidate.as_ref().map(|c| c.password_hash.clone());
    let Some(matches) = passwords::check(password.to_string(), hash, known_device).await else {
        // Too many checks queued: refused unchecked, so it does not count as a failure.
        throttle::forget_attempt(pool, &attempt).await?;
        return Err(throttled(time::OffsetDateTime::now_utc()));
    };
    let failure_reason = match &candidate {
        None => Some("unknown user name"),
        Some(_) if !matches => Some("wrong password"),
        Some(found) if found.disabled => Some("account disabled"),
        Some(_) => None,
    };
    if let Some(reason) = failure_reason {
        let reached_limit = attempt.at_limit(policy);
        let actor = candidate
            .as_ref()
            .map(|c| Actor::user(&c.user))
            .unwrap_or(actor);
        metrics::counter!("ocm_sign_in_failures_total", "step" => "password").increment(1);
        let event = AuditEvent::new(AuditAction::LoginFailed, Outcome::Failure)
            .with_parameters(json!({ "reason": reason, "throttled": reached_limit }));
        audit::record(pool, &actor, meta, event).await?;
        if reached_limit {
            let until = throttle::block(pool, policy, &attempt, &username, &address).await?;
            return Err(throttled(until));
        }
        return Err(AppError::InvalidCredentials);
    }

    let candidate = candidate.ok_or(AppError::InvalidCredentials)?;
    throttle::forget_attempt(pool, &attempt).await?;
    let device_token = throttle::device::issue(pool, &username, device).await?;
    let user = candidate.user;
    if candidate.two_factor {
        // Earlier failures stay counted until the code is right: the password alone must not
        // reset the count of wrong codes.
        // The password was right; the session starts only after the code.
        two_factor::sign_in::await_code(session, &user).await?;
        let event = AuditEvent::new(AuditAction::LoginSecondFactor, Outcome::Success);
        audit::record(pool, &Actor::user(&user), meta, event).await?;
        return Ok(SignedIn {
            user,
            device_token,
            code_needed: true,
        });
    }
    throttle::clear_user_failures(pool, &username, &address).await?;
    session_start::start(state, session, meta, &user, None).await?;
    Ok(SignedIn {
        user,
        device_token,
        code_needed: false,
    })
}

/// Whether a check counts as activity (extends the session) or only looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Activity {
    Touch,
    Peek,
}

/// Resolves the signed-in user from the session, enforcing inactivity expiry. `Touch` records
/// activity; `Peek` (used by the page's expiry countdown) does not.
pub async fn authenticate(
    state: &AppState,
    session: &Session,
    activity: Activity,
) -> Result<(CurrentUser, SessionTiming), AppError> {
    let Some(login_session_id) = session
        .get::<Uuid>(SESSION_KEY)
        .await
        .map_err(session_error)?
    else {
        return Err(AppError::Unauthorized);
    };
    let pool = &state.pool;
    let idle = state.settings.session_idle;
    let row = sqlx::query!(
        r#"
        select ls.ended_at is not null as "ended!",
               ls.last_seen_at < now() - make_interval(secs => $2) as "idle!",
               extract(epoch from ls.last_seen_at + make_interval(secs => $2) - now())::float8 as "remaining!",
               u.disabled_at is not null as "disabled!", u.must_change_password,
               (u.totp_enabled_at is null
                and exists (select 1 from sign_in_policy p where u.role = any(p.two_factor_roles)))
                   as "must_enrol!",
               u.app_user_id, u.username, u.display_name, u.role, t.name as team,
               o.organization_id, o.name as organization
        from login_session ls
        join app_user u using (app_user_id)
        join team t using (team_id)
        join organization o using (organization_id)
        where ls.login_session_id = $1
        "#,
        login_session_id,
        idle.as_secs_f64(),
    )
    .fetch_optional(pool)
    .await?;
    let Some(row) = row else {
        session.flush().await.map_err(session_error)?;
        return Err(AppError::Unauthorized);
    };
    if row.idle && !row.ended {
        session_end::expire_idle_sessions(pool, idle, Some(login_session_id)).await?;
    }
    if row.disabled && !row.ended {
        session_end::revoke(pool, login_session_id, &row.username).await?;
        session.flush().await.map_err(session_error)?;
        return Err(AppError::Unauthorized);
    }
    if row.ended || row.idle || row.disabled {
        session.flush().await.map_err(session_error)?;
        return Err(AppError::SessionExpired);
    }
    let mut remaining = row.remaining.max(0.0) as u64;
    if activity == Activity::Touch {
        sqlx::query!(
            "update login_session set last_seen_at = now() where login_session_id = $1 and ended_at is null",
            login_session_id
        )
        .execute(pool)
        .await?;
        remaining = idle.as_secs();
    }
    let user = CurrentUser {
        user_id: row.app_user_id,
        username: row.username,
        display_name: row.display_name,
        role: Role::parse(&row.role).unwrap_or(Role::Manager),
        team: row.team,
        organization_id: row.organization_id,
        organization: row.organization,
        must_change_password: row.must_change_password,
        must_enrol_two_factor: row.must_enrol,
        api_client: None,
    };
    let timing = SessionTiming {
        idle_timeout_secs: idle.as_secs(),
        warning_secs: state.settings.session_warning.as_secs(),
        remaining_secs: remaining,
    };
    Ok((user, timing))
}
