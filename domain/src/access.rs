//! Who is calling and what they may do: the one context every use case takes (`Ctx`), built the
//! same way for server functions and plain routes from a session and the request's facts, and the
//! role check whose refusals are audited.

use tower_sessions::Session;

use crate::audit::{self, Actor, AuditEvent, Outcome};
use crate::auth::{self, Activity};
use crate::error::AppError;
use crate::model::{AuditAction, CurrentUser, Role, SessionTiming};
use crate::request_meta::RequestMeta;
use crate::state::AppState;

/// What an authorised caller works with.
pub struct Ctx {
    pub state: AppState,
    pub user: CurrentUser,
    pub timing: SessionTiming,
    pub meta: RequestMeta,
}

/// The signed-in caller behind `session`; `activity` says whether the call extends the session.
pub async fn signed_in(
    state: AppState,
    session: &Session,
    meta: RequestMeta,
    activity: Activity,
) -> Result<Ctx, AppError> {
    let (user, timing) = auth::authenticate(&state, session, activity).await?;
    Ok(Ctx {
        state,
        user,
        timing,
        meta,
    })
}

/// Refuses (with `Forbidden`, audited as `access.denied` naming `action`) a user whose role is
/// not in `allowed`, and anyone who still has to replace a one-time password or set up the second
/// factor their role requires.
pub async fn check_role(
    state: &AppState,
    user: &CurrentUser,
    meta: &RequestMeta,
    action: AuditAction,
    allowed: &[Role],
) -> Result<(), AppError> {
    if user.must_change_password {
        return Err(AppError::PasswordChangeRequired);
    }
    if user.must_enrol_two_factor {
        return Err(AppError::TwoFactorRequired);
    }
    if allowed.contains(&user.role) {
        return Ok(());
    }
    let event =
        AuditEvent::new(AuditAction::AccessDenied, Outcome::Denied).with_target(action.as_str());
    audit::record(&state.pool, &Actor::user(user), meta, event).await?;
    Err(AppError::Forbidden)
}

impl Ctx {
    /// Refuses this caller unless their role is in `allowed`; see [`check_role`].
    pub async fn require(&self, action: AuditAction, allowed: &[Role]) -> Result<(), AppError> {
        check_role(&self.state, &self.user, &self.meta, action, allowed).await
    }
}
