//! Emergency mode for other systems (seed 003's global emergency): turning it on stops every
//! active and paused job as the emergency stop does and keeps starts, resumes and schedules
//! refused (pages and API) until it is turned off (`domain::campaigns::emergency::mode`). Scope
//! `emergency`; every organization at once, and lifting, only for a client of every
//! organization (it acts as an admin, and only admins lift it on the pages).

use axum::http::StatusCode;
use axum::response::Response;
use axum::Json;
use domain::audit::Outcome;
use domain::campaigns::emergency::mode;
use serde::{Deserialize, Serialize};
use types::model::{ApiScope, AuditAction, EmergencyMode, EmergencyStopReport};
use utoipa::ToSchema;

use super::campaigns::OrganizationQuery;
use super::paging::ApiQuery;
use crate::edge::api::{answer, ActionRefusals, ApiCaller, ApiPost, Problem, ReadRefusals};

/// Emergency mode in force.
#[derive(Debug, Serialize, ToSchema)]
pub struct EmergencyModeView {
    pub emergency_mode_id: i64,
    /// None: every organization.
    pub organization: Option<String>,
    pub reason: String,
    /// Who turned it on (a user, or `api:NAME`).
    pub enabled_by: String,
    /// RFC 3339.
    pub enabled_at: String,
}

impl From<EmergencyMode> for EmergencyModeView {
    fn from(m: EmergencyMode) -> Self {
        EmergencyModeView {
            emergency_mode_id: m.emergency_mode_id,
            organization: m.organization,
            reason: m.reason,
            enabled_by: m.by,
            enabled_at: m.at,
        }
    }
}

/// The modes in force that concern the organization (its own and every organization's).
#[derive(Debug, Serialize, ToSchema)]
pub struct EmergencyState {
    /// Whether starts are refused now.
    pub active: bool,
    pub modes: Vec<EmergencyModeView>,
}

/// One job the stop met.
#[derive(Debug, Serialize, ToSchema)]
pub struct StoppedJob {
    pub organization: String,
    pub campaign: String,
    pub job_id: i64,
    pub state_before: String,
    /// `ok`, `refused` or `failed`.
    pub outcome: String,
    pub message: String,
}

/// What turning emergency mode on did.
#[derive(Debug, Serialize, ToSchema)]
pub struct EmergencyAnswer {
    pub mode: EmergencyModeView,
    pub emergency_stop_id: i64,
    pub jobs: Vec<StoppedJob>,
}

/// Turning emergency mode on.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EnableBody {
    /// Shown to users with the mode (at most 500 characters).
    #[schema(max_length = 500)]
    pub reason: Option<String>,
    /// Every organization at once (a client of every organization only).
    #[serde(default)]
    pub all_organizations: bool,
}

/// Turning emergency mode off.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DisableBody {
    /// The mode for every organization rather than the named one's.
    #[serde(default)]
    pub all_organizations: bool,
}

fn answer_of(mode: EmergencyMode, report: EmergencyStopReport) -> EmergencyAnswer {
    EmergencyAnswer {
        mode: mode.into(),
        emergency_stop_id: report.emergency_stop_id,
        jobs: report
            .jobs
            .into_iter()
            .map(|j| StoppedJob {
                organization: j.organization,
                campaign: j.campaign,
                job_id: j.job_id,
                state_before: j.state_before,
                outcome: j.outcome,
                message: j.message,
            })
            .collect(),
    }
}

/// The organization a change concerns: the named (or own) one, or every organization.
async fn scope_of(
    caller: &ApiCaller,
    asked: Option<&str>,
    all: bool,
) -> Result<(domain::access::Ctx, Option<String>), Problem> {
    if all && caller.principal.organization.is_some() {
        let details = (
            Outcome::Denied,
            serde_json::json!({ "all_organizations": true }),
        );
        caller
            .audit(
                AuditAction::ApiScopeDenied,
                "POST /api/v1/emergency",
                Some(details),
            )
            .await?;
        return Err(Problem::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "Only a client of every organization may act on every organization.",
        ));
    }
    if all {
        // A client of every organization acts as an admin; the context's organization is unused.
        let ctx = caller
            .principal
            .ctx(caller.state.clone(), caller.meta.clone(), String::new());
        return Ok((ctx, None));
    }
    let ctx = caller.ctx(asked).await?;
    let organization = ctx.user.organization.clone();
    Ok((ctx, Some(organization)))
}

/// Whether emergency mode is in force for the organization.
#[utoipa::path(get, path = "/emergency", tag = "emergency", params(OrganizationQuery),
    security(("bearer" = ["emergency"])), responses((status = 200, body = EmergencyState), ReadRefusals))]
pub async fn state(
    caller: ApiCaller,
    ApiQuery(query): ApiQuery<OrganizationQuery>,
) -> Result<Json<EmergencyState>, Problem> {
    let route = "GET /api/v1/emergency";
    caller.require(ApiScope::Emergency, route).await?;
    let ctx = caller.ctx(query.organization.as_deref()).await?;
    let organization = ctx.user.organization;
    let modes = mode::in_force(&caller.state.pool, Some(&organization)).await?;
    caller.audit_status_read(route, &organization).await?;
    Ok(Json(EmergencyState {
        active: !modes.is_empty(),
        modes: modes.into_iter().map(Into::into).collect(),
    }))
}

/// Stops every active and paused job of the organization (or of every organization) and keeps
/// starts, resumes and schedules refused until `POST /emergency/disable`. Already on: the stop
/// runs again and the mode stays as it was.
#[utoipa::path(post, path = "/emergency/enable", tag = "emergency", params(OrganizationQuery,
        ("Idempotency-Key" = Option<String>, Header, pattern = "^[!-~]{1,200}$", description = "Runs the call once per key and body (1 to 200 visible ASCII characters)")),
    request_body = EnableBody, security(("bearer" = ["emergency"])),
    responses((status = 200, body = EmergencyAnswer), ReadRefusals, ActionRefusals))]
pub async fn enable(
    caller: ApiCaller,
    ApiQuery(query): ApiQuery<OrganizationQuery>,
    post: ApiPost,
) -> Response {
    let check = (ApiScope::Emergency, "POST /api/v1/emergency/enable");
    post.optional_json(caller, check, |caller, request: EnableBody| async move {
        let asked = query.organization.as_deref();
        let (ctx, organization) = scope_of(&caller, asked, request.all_organizations).await?;
        let reason = request.reason.unwrap_or_default();
        let (mode, report) = mode::enable(&ctx, organization, &reason).await?;
        answer(StatusCode::OK, answer_of(mode, report))
    })
    .await
}

/// Lifts emergency mode: starts, resumes and schedules are allowed again (stopped jobs stay
/// stopped). Releasing the brake is for admins: only a client of every organization may (403
/// otherwise), as only admins may on the campaigns page.
#[utoipa::path(post, path = "/emergency/disable", tag = "emergency", params(OrganizationQuery,
        ("Idempotency-Key" = Option<String>, Header, pattern = "^[!-~]{1,200}$", description = "Runs the call once per key and body (1 to 200 visible ASCII characters)")),
    request_body = DisableBody, security(("bearer" = ["emergency"])),
    responses((status = 200, body = EmergencyModeView), ReadRefusals, ActionRefusals))]
pub async fn disable(
    caller: ApiCaller,
    ApiQuery(query): ApiQuery<OrganizationQuery>,
    post: ApiPost,
) -> Response {
    let check = (ApiScope::Emergency, "POST /api/v1/emergency/disable");
    post.optional_json(caller, check, |caller, request: DisableBody| async move {
        let asked = query.organization.as_deref();
        let (ctx, organization) = scope_of(&caller, asked, request.all_organizations).await?;
        let lifted = mode::lift(&ctx, organization)
            .await
            .map_err(|e| Problem::from(e).not_found_as("emergency_mode_not_found"))?;
        answer(StatusCode::OK, EmergencyModeView::from(lifted))
    })
    .await
}
