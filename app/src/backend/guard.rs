//! Access checks for server functions in one line: `let ctx = guard::require("audit.list", &[..]).await?;`
//! They read the state from context and the session from the request, enforce expiry, check the
//! role, and audit refusals. The organization check is the caller's, through `ctx.user`.

use leptos::prelude::use_context;
use tower_sessions::Session;

use super::audit::{self, Actor, AuditEvent, Outcome};
use super::auth::{self, Activity};
use super::request_meta::RequestMeta;
use super::state::AppState;
use crate::error::AppError;
use crate::model::{CurrentUser, Role, SessionTiming};

/// What an authorised server function works with.
pub struct Ctx {
    pub state: AppState,
    pub user: CurrentUser,
    pub timing: SessionTiming,
    pub meta: RequestMeta,
}

/// The application state provided to every server function.
pub fn app_state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from the Leptos context");
        AppError::Internal("state".into())
    })
}

/// Request facts for audit records.
pub async fn request_meta() -> Result<RequestMeta, AppError> {
    leptos_axum::extract::<RequestMeta>()
        .await
        .map_err(|e| AppError::Request(e.to_string()))
}

async fn session() -> Result<Session, AppError> {
    leptos_axum::extract::<Session>().await.map_err(|e| {
        tracing::error!(error = %e, "session layer missing");
        AppError::Internal("session".into())
    })
}

/// Any signed-in user; `activity` says whether the call extends the session.
pub async fn signed_in(activity: Activity) -> Result<Ctx, AppError> {
    let state = app_state()?;
    let session = session().await?;
    let meta = request_meta().await?;
    let (user, timing) = auth::authenticate(&state, &session, activity).await?;
    Ok(Ctx {
        state,
        user,
        timing,
        meta,
    })
}

/// Refuses (with `Forbidden`, audited as `access.denied` naming `action`) a user whose role is
/// not in `allowed`. Shared by server functions and the server crate's plain routes.
pub async fn check_role(
    state: &AppState,
    user: &CurrentUser,
    meta: &RequestMeta,
    action: &'static str,
    allowed: &[Role],
) -> Result<(), AppError> {
    if allowed.contains(&user.role) {
        return Ok(());
    }
    let event = AuditEvent::new("access.denied", Outcome::Denied).with_target(action);
    audit::record(&state.pool, &Actor::user(user), meta, event).await?;
    Err(AppError::Forbidden)
}

/// A signed-in user whose role is in `allowed`; see [`check_role`].
pub async fn require(action: &'static str, allowed: &[Role]) -> Result<Ctx, AppError> {
    let ctx = signed_in(Activity::Touch).await?;
    check_role(&ctx.state, &ctx.user, &ctx.meta, action, allowed).await?;
    Ok(ctx)
}
