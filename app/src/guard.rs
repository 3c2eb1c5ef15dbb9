//! Access checks for server functions in one line:
//! `let ctx = guard::require(AuditAction::AuditList, &[..]).await?;`
//! The only code that reads the Leptos context: the state, the session and the request's facts,
//! handed to `domain::access`, which enforces expiry and the role and audits refusals. The
//! organization check is the use case's, through `ctx.user`.

use domain::access::{self, Ctx};
use domain::auth::Activity;
use domain::request_meta::RequestMeta;
use domain::state::AppState;
use leptos::prelude::use_context;
use tower_sessions::Session;

use crate::error::AppError;
use crate::model::{AuditAction, Role};

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

/// The caller's `login_session` id, if signed in.
pub async fn login_session_id() -> Result<Option<domain::session_end::LoginSessionId>, AppError> {
    domain::session_end::current_id(&session().await?).await
}

/// Any signed-in user; `activity` says whether the call extends the session.
pub async fn signed_in(activity: Activity) -> Result<Ctx, AppError> {
    let state = app_state()?;
    let session = session().await?;
    let meta = request_meta().await?;
    access::signed_in(state, &session, meta, activity).await
}

/// A signed-in user whose role is in `allowed`; refusals are audited naming `action`.
pub async fn require(action: AuditAction, allowed: &[Role]) -> Result<Ctx, AppError> {
    let ctx = signed_in(Activity::Touch).await?;
    ctx.require(action, allowed).await?;
    Ok(ctx)
}
