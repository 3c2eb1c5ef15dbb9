//! `Caller`: the signed-in user behind a plain route, built exactly as `app::guard` builds it for
//! server functions (session, expiry, activity), so every route and API handler checks the same way.
//! `Watcher` is the same caller for streams the page opens by itself, which must not keep an idle
//! session alive.

use axum::extract::{FromRef, FromRequestParts};
use axum::http::request::Parts;
use domain::access::{self, Ctx};
use domain::auth::Activity;
use domain::request_meta::RequestMeta;
use domain::state::AppState;
use tower_sessions::Session;
use types::error::AppError;
use types::model::{AuditAction, Role};

use crate::routes::ApiError;

/// A signed-in caller; `require` checks the role (refusals audited) and yields the use-case context.
pub struct Caller(pub Ctx);

/// A signed-in caller whose request does not count as activity (event streams).
pub struct Watcher(pub Caller);

async fn signed_in<S>(parts: &mut Parts, state: &S, activity: Activity) -> Result<Caller, ApiError>
where
    S: Send + Sync,
    AppState: FromRef<S>,
{
    let session = Session::from_request_parts(parts, state)
        .await
        .map_err(|(_, message)| {
            tracing::error!(%message, "session layer missing");
            AppError::Internal("session".into())
        })?;
    let meta = match RequestMeta::from_request_parts(parts, state).await {
        Ok(meta) => meta,
        Err(never) => match never {},
    };
    let ctx = access::signed_in(AppState::from_ref(state), &session, meta, activity).await?;
    Ok(Caller(ctx))
}

impl<S> FromRequestParts<S> for Caller
where
    S: Send + Sync,
    AppState: FromRef<S>,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        signed_in(parts, state, Activity::Touch).await
    }
}

impl<S> FromRequestParts<S> for Watcher
where
    S: Send + Sync,
    AppState: FromRef<S>,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        signed_in(parts, state, Activity::Peek).await.map(Watcher)
    }
}

impl Caller {
    /// The caller's context when their role is in `allowed`; `action` names a refusal in the audit log.
    pub async fn require(self, action: AuditAction, allowed: &[Role]) -> Result<Ctx, ApiError> {
        self.0.require(action, allowed).await?;
        Ok(self.0)
    }
}
