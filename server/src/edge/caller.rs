//! `Caller`: the signed-in user behind a plain route, built exactly as `app::guard` builds it for
//! server functions (session, expiry, activity), so every route and API handler checks the same way.

use axum::extract::{FromRef, FromRequestParts};
use axum::http::request::Parts;
use domain::access::{self, Ctx};
use domain::auth::Activity;
use domain::request_meta::RequestMeta;
use domain::state::AppState;
use tower_sessions::Session;
use types::error::AppError;
use types::model::Role;

use crate::routes::ApiError;

/// A signed-in caller; `require` checks the role (refusals audited) and yields the use-case context.
pub struct Caller(pub Ctx);

impl<S> FromRequestParts<S> for Caller
where
    S: Send + Sync,
    AppState: FromRef<S>,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
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
        let ctx =
            access::signed_in(AppState::from_ref(state), &session, meta, Activity::Touch).await?;
        Ok(Caller(ctx))
    }
}

impl Caller {
    /// The caller's context when their role is in `allowed`; `action` names a refusal in the audit log.
    pub async fn require(self, action: &'static str, allowed: &[Role]) -> Result<Ctx, ApiError> {
        self.0.require(action, allowed).await?;
        Ok(self.0)
    }
}
