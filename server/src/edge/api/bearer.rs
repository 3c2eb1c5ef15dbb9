//! `ApiCaller`: the client behind `Authorization: Bearer …` (one indexed read of the token's
//! SHA-256), held to its rate limit; its scope checks (refusals audited) and the use-case context
//! it acts with for one organization.

use std::num::NonZeroU32;
use std::sync::Arc;

use axum::extract::{FromRef, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use domain::access::Ctx;
use domain::api::{tokens, ApiPrincipal};
use domain::audit::{self, Actor, AuditEvent, Outcome};
use domain::request_meta::RequestMeta;
use domain::state::AppState;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use types::model::{ApiScope, AuditAction};
use uuid::Uuid;

use super::problem::Problem;

/// Per-client call limits of this instance: authenticated calls by client id, token requests by
/// a 16-bit bucket of the id they claim (so made-up ids cannot grow the table).
pub struct ApiLimits {
    calls: DefaultKeyedRateLimiter<Uuid>,
    token_requests: DefaultKeyedRateLimiter<u16>,
}

impl ApiLimits {
    /// `per_minute` calls per client, a minute's worth at once; token requests at a tenth of it
    /// (at least 10 a minute).
    pub fn new(per_minute: u32) -> Self {
        let calls = NonZeroU32::new(per_minute.max(1)).expect("at least one");
        let tokens = NonZeroU32::new((per_minute / 10).max(10)).expect("at least ten");
        ApiLimits {
            calls: RateLimiter::keyed(Quota::per_minute(calls)),
            token_requests: RateLimiter::keyed(Quota::per_minute(tokens)),
        }
    }

    fn refused(wait: std::time::Duration) -> Problem {
        let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
        let mut problem = Problem::new(
            StatusCode::TOO_MANY_REQUESTS,
            "rate_limited",
            format!("Too many calls from this client: try again in {seconds} s."),
        );
        problem.retry_after = Some(u32::try_from(seconds.max(1)).unwrap_or(u32::MAX));
        problem
    }

    /// One call of `client`, or 429 with the wait.
    pub fn call(&self, client: Uuid) -> Result<(), Problem> {
        self.calls.check_key(&client).map_err(|not_until| {
            Self::refused(not_until.wait_time_from(DefaultClock::default().now()))
        })
    }

    /// One token request claiming `client_id`, or 429 with the wait.
    pub fn token_request(&self, client_id: &str) -> Result<(), Problem> {
        let digest = domain::api::tokens::bucket(client_id);
        self.token_requests.check_key(&digest).map_err(|not_until| {
            Self::refused(not_until.wait_time_from(DefaultClock::default().now()))
        })
    }
}

/// What the API's handlers draw from.
#[derive(Clone, FromRef)]
pub struct ApiState {
    pub app: AppState,
    pub limits: Arc<ApiLimits>,
}

/// An authenticated, rate-limited API client and the facts of its request.
pub struct ApiCaller {
    pub principal: ApiPrincipal,
    pub meta: RequestMeta,
    pub state: AppState,
}

fn bearer(parts: &Parts) -> Option<&str> {
    let value = parts.headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

impl FromRequestParts<ApiState> for ApiCaller {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &ApiState) -> Result<Self, Problem> {
        let token = bearer(parts).ok_or_else(Problem::unauthorized)?;
        let principal = tokens::authenticate(&state.app.pool, token).await?;
        state.limits.call(principal.client_id)?;
        Ok(ApiCaller {
            principal,
            meta: RequestMeta::from_parts(parts),
            state: state.app.clone(),
        })
    }
}

impl ApiCaller {
    fn actor(&self) -> Actor {
        Actor::api_client(
            &self.principal.name,
            self.principal.organization.as_ref().map(|(_, name)| name),
        )
    }

    /// Refuses (403 `insufficient_scope`, audited) a client without `scope`; `route` names the
    /// call in the audit record.
    pub async fn require(&self, scope: ApiScope, route: &str) -> Result<(), Problem> {
        if self.principal.has(scope) {
            return Ok(());
        }
        let event = AuditEvent::new(AuditAction::ApiScopeDenied, Outcome::Denied)
            .with_target(route)
            .with_parameters(serde_json::json!({ "scope": scope.as_str() }));
        audit::record(&self.state.pool, &self.actor(), &self.meta, event)
            .await
            .map_err(|e| Problem::from(types::error::AppError::from(e)))?;
        Err(Problem::new(
            StatusCode::FORBIDDEN,
            "insufficient_scope",
            format!("This client does not have the scope {}.", scope.as_str()),
        ))
    }

    /// The organization the call is about (`asked`, for a client of every organization) and
    /// the context the domain's use cases take for it.
    pub async fn ctx(&self, asked: Option<&str>) -> Result<Ctx, Problem> {
        let organization = self
            .principal
            .organization(&self.state.pool, asked)
            .await
            .map_err(|e| Problem::from(e).not_found_as("organization_not_found"))?;
        Ok(self
            .principal
            .ctx(self.state.clone(), self.meta.clone(), organization))
    }

    /// Audits a read (`api.read`, the route as target) of `organization`'s data.
    pub async fn audit_read(&self, route: &str, organization: &str) -> Result<(), Problem> {
        let event = AuditEvent::new(AuditAction::ApiRead, Outcome::Success)
            .with_target(route)
            .with_organization(organization);
        audit::record(&self.state.pool, &self.actor(), &self.meta, event)
            .await
            .map_err(|e| Problem::from(types::error::AppError::from(e)))
    }
}
