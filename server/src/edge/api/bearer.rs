//! `ApiCaller`: the client behind `Authorization: Bearer …` (one indexed read of the token's
//! SHA-256), held to its rate limit; its scope checks (refusals audited), its audit records and
//! the use-case context it acts with for one organization. `ApiLimits` also slows down callers
//! that present bad tokens or ask for tokens too often, counted per address.

use std::num::NonZeroU32;
use std::sync::{Arc, OnceLock};

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

/// The call limits of this instance: authenticated calls per client; token requests and bad
/// tokens per 16-bit bucket of the caller's address (so neither a client id someone else knows
/// nor made-up addresses can lock a client out or grow the table); rate-limit refusals audited at
/// most once a minute per client.
pub struct ApiLimits {
    calls: DefaultKeyedRateLimiter<Uuid>,
    anonymous: DefaultKeyedRateLimiter<u16>,
    refusals_audited: DefaultKeyedRateLimiter<Uuid>,
}

impl ApiLimits {
    /// `per_minute` calls per client, a minute's worth at once; token requests and bad tokens
    /// at a tenth of it per address (at least 10 a minute).
    pub fn new(per_minute: u32) -> Self {
        let calls = NonZeroU32::new(per_minute.max(1)).expect("at least one");
        let anonymous = NonZeroU32::new((per_minute / 10).max(10)).expect("at least ten");
        ApiLimits {
            calls: RateLimiter::keyed(Quota::per_minute(calls)),
            anonymous: RateLimiter::keyed(Quota::per_minute(anonymous)),
            refusals_audited: RateLimiter::keyed(Quota::per_minute(NonZeroU32::MIN)),
        }
    }

    fn refused(wait: std::time::Duration) -> Problem {
        let seconds = (wait.as_secs() + u64::from(wait.subsec_nanos() > 0)).max(1);
        let mut problem = Problem::new(
            StatusCode::TOO_MANY_REQUESTS,
            "rate_limited",
            format!("Too many calls: try again in {seconds} s."),
        );
        problem.retry_after = Some(u32::try_from(seconds).unwrap_or(u32::MAX));
        problem
    }

    /// One call of `client`, or 429 with the wait.
    pub fn call(&self, client: Uuid) -> Result<(), Box<Problem>> {
        self.calls.check_key(&client).map_err(|not_until| {
            Box::new(Self::refused(
                not_until.wait_time_from(DefaultClock::default().now()),
            ))
        })
    }

    /// One token request, or one bad token, from `address`; or 429 with the wait.
    pub fn anonymous(&self, address: &str) -> Result<(), Box<Problem>> {
        self.anonymous
            .check_key(&tokens::bucket(address))
            .map_err(|not_until| {
                Box::new(Self::refused(
                    not_until.wait_time_from(DefaultClock::default().now()),
                ))
            })
    }

    /// Whether a rate-limit refusal of `client` is the first this minute (and so audited).
    pub fn audit_refusal(&self, client: Uuid) -> bool {
        self.refusals_audited.check_key(&client).is_ok()
    }
}

/// What the API's handlers draw from.
#[derive(Clone, FromRef)]
pub struct ApiState {
    pub app: AppState,
    pub limits: Arc<ApiLimits>,
}

/// An authenticated API client and the facts of its request.
#[derive(Clone)]
pub struct ApiCaller {
    pub principal: ApiPrincipal,
    pub meta: RequestMeta,
    pub state: AppState,
}

/// Where the extractor leaves the caller for the layer that audits refused calls
/// (`outcome.rs`), which runs around the handler and cannot see its arguments.
#[derive(Clone, Default)]
pub struct CallerSlot(pub Arc<OnceLock<ApiCaller>>);

fn bearer(parts: &Parts) -> Option<&str> {
    let value = parts.headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

impl FromRequestParts<ApiState> for ApiCaller {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &ApiState) -> Result<Self, Problem> {
        let meta = RequestMeta::from_parts(parts);
        let principal = match bearer(parts) {
            Some(token) => tokens::authenticate(&state.app, token).await,
            None => Err(types::error::AppError::Unauthorized),
        };
        let principal = match principal {
            Ok(principal) => principal,
            Err(error) => {
                state.limits.anonymous(&meta.client_addr).map_err(|p| *p)?;
                return Err(error.into());
            }
        };
        let caller = ApiCaller {
            principal,
            meta,
            state: state.app.clone(),
        };
        if let Some(slot) = parts.extensions.get::<CallerSlot>() {
            let _ = slot.0.set(caller.clone());
        }
        state
            .limits
            .call(caller.principal.client_id)
            .map_err(|p| *p)?;
        Ok(caller)
    }
}

impl ApiCaller {
    fn actor(&self) -> Actor {
        Actor::api_client(
            &self.principal.name,
            self.principal.organization.as_ref().map(|(_, name)| name),
        )
    }

    /// Writes an audit record of this client's call (`route` as the target).
    pub async fn audit(
        &self,
        action: AuditAction,
        route: &str,
        details: Option<(Outcome, serde_json::Value)>,
    ) -> Result<(), Problem> {
        let (outcome, parameters) = details.unwrap_or((Outcome::Success, serde_json::json!({})));
        let event = AuditEvent::new(action, outcome)
            .with_target(route)
            .with_parameters(parameters);
        audit::record(&self.state.pool, &self.actor(), &self.meta, event)
            .await
            .map_err(|e| Problem::from(types::error::AppError::from(e)))
    }

    /// Refuses (403 `insufficient_scope`, audited) a client without `scope`; `route` names the
    /// call in the audit record.
    pub async fn require(&self, scope: ApiScope, route: &str) -> Result<(), Problem> {
        if self.principal.has(scope) {
            return Ok(());
        }
        let details = (
            Outcome::Denied,
            serde_json::json!({ "scope": scope.as_str() }),
        );
        self.audit(AuditAction::ApiScopeDenied, route, Some(details))
            .await?;
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

    /// Audits a read (`api.read`, the route as target) of `organization`'s people's data: one
    /// record per call, written with others in a batch (`domain::api::read_audit`).
    pub async fn audit_read(&self, route: &str, organization: &str) -> Result<(), Problem> {
        let event = AuditEvent::new(AuditAction::ApiRead, Outcome::Success)
            .with_target(route)
            .with_organization(organization);
        let (actor, meta) = (self.actor(), self.meta.clone());
        Ok(self.state.api.reads.record(actor, meta, event).await?)
    }

    /// Audits a read of `organization`'s operational status (campaigns, lists, emergency mode:
    /// no one's personal data): counted into one `api.read` record per client, route, address
    /// and second (docs/decisions.md, "Auditing the API's status reads").
    pub async fn audit_status_read(&self, route: &str, organization: &str) -> Result<(), Problem> {
        let event = AuditEvent::new(AuditAction::ApiRead, Outcome::Success)
            .with_target(route)
            .with_organization(organization);
        let (actor, meta) = (self.actor(), self.meta.clone());
        Ok(self.state.api.reads.count(actor, meta, event).await?)
    }
}
