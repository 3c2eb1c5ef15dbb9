//! More campaign calls for other systems (seeds 002/003): a one-off scheduled start, a contact
//! list added to the running job (POM `AddContactListToJob`, MaxContact's list activation), and
//! the changes POM cannot make (creating a campaign, changing its dialling mode), which answer
//! 501 `not_supported_by_pom`. The same use cases as the campaigns page.

use axum::extract::Path;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use domain::campaigns::{self, job_lists};
use serde::{Deserialize, Serialize};
use types::error::AppError;
use types::model::ApiScope;
use utoipa::ToSchema;

use super::campaigns::{ActionAnswer, OrganizationQuery};
use super::paging::ApiQuery;
use crate::edge::api::body::json_body;
use crate::edge::api::{answer, ActionRefusals, ApiCaller, ApiPost, Problem, ReadRefusals};

/// A one-off start.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScheduleBody {
    /// The wall time in `time_zone`, `YYYY-MM-DDTHH:MM` (or with `:SS`).
    #[schema(max_length = 19, example = "2027-01-15T09:00")]
    pub at: String,
    /// An IANA time zone POM knows (`Europe/London`).
    #[schema(max_length = 64, example = "Europe/London")]
    pub time_zone: String,
}

/// A start POM accepted.
#[derive(Debug, Serialize, ToSchema)]
pub struct ScheduleView {
    pub schedule_id: i64,
    pub campaign: String,
    /// The wall time POM was given (`yyyy/MM/dd HH:mm:ss`).
    pub start_local: String,
    pub time_zone: String,
    /// The same instant, RFC 3339.
    pub starts_at: String,
}

/// A contact list for the running job.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AddListBody {
    /// The name of one of the organization's contact lists.
    #[schema(max_length = 200)]
    pub list: String,
    /// `low`, `medium` (default) or `high`: how POM fetches it against the job's other lists.
    #[schema(pattern = "^(low|medium|high)$")]
    pub priority: Option<String>,
    /// Whether the campaign's filter applies to the list's contacts (default false).
    #[serde(default)]
    pub apply_filter: bool,
}

fn renamed(error: AppError, from: &str, to: &str) -> Problem {
    match error {
        AppError::Validation { field, message } if field == from => Problem::invalid(to, message),
        other => Problem::from(other).not_found_as("campaign_not_found"),
    }
}

/// Schedules a one-off start of the campaign (POM `ScheduleCampaign`); refused in emergency mode.
#[utoipa::path(post, path = "/campaigns/{name}/schedule", tag = "campaigns",
    params(("name" = String, Path, description = "The campaign's name"), OrganizationQuery,
           ("Idempotency-Key" = Option<String>, Header, pattern = "^[!-~]{1,200}$", description = "Runs the call once per key and body (1 to 200 visible ASCII characters)")),
    request_body = ScheduleBody, security(("bearer" = ["campaigns:control"])),
    responses((status = 201, body = ScheduleView), ReadRefusals, ActionRefusals))]
pub async fn schedule(
    caller: ApiCaller,
    Path(name): Path<String>,
    ApiQuery(query): ApiQuery<OrganizationQuery>,
    post: ApiPost,
) -> Response {
    let check = (
        ApiScope::CampaignsControl,
        "POST /api/v1/campaigns/{name}/schedule",
    );
    post.json(caller, check, |caller, request: ScheduleBody| async move {
        let ctx = caller.ctx(query.organization.as_deref()).await?;
        let organization = ctx.user.organization.clone();
        let start = &request.at;
        let scheduled = campaigns::schedule(&ctx, &organization, &name, start, &request.time_zone)
            .await
            .map_err(|e| renamed(e, "start", "at"))?;
        let view = ScheduleView {
            schedule_id: scheduled.schedule_id,
            campaign: scheduled.campaign,
            start_local: scheduled.start_local,
            time_zone: scheduled.time_zone,
            starts_at: scheduled.starts_at,
        };
        answer(StatusCode::CREATED, view)
    })
    .await
}

/// The body with its priority read, before any `Idempotency-Key` is taken.
fn read_add_list(
    headers: &HeaderMap,
    body: &[u8],
) -> Result<(AddListBody, job_lists::ListPriority), Problem> {
    let request: AddListBody = json_body(headers, body)?;
    let priority = match request.priority.as_deref() {
        None | Some("medium") => job_lists::ListPriority::Medium,
        Some("low") => job_lists::ListPriority::Low,
        Some("high") => job_lists::ListPriority::High,
        Some(_) => return Err(Problem::invalid("priority", "low, medium or high")),
    };
    Ok((request, priority))
}

/// Adds one of the organization's contact lists to the campaign's running job (POM
/// `AddContactListToJob`): 409 with POM's fault when there is no running job (-27) or the list
/// is already in it (-35).
#[utoipa::path(post, path = "/campaigns/{name}/lists", tag = "campaigns",
    params(("name" = String, Path, description = "The campaign's name"), OrganizationQuery,
           ("Idempotency-Key" = Option<String>, Header, pattern = "^[!-~]{1,200}$", description = "Runs the call once per key and body (1 to 200 visible ASCII characters)")),
    request_body = AddListBody, security(("bearer" = ["campaigns:control"])),
    responses((status = 200, body = ActionAnswer), ReadRefusals, ActionRefusals))]
pub async fn add_list(
    caller: ApiCaller,
    Path(name): Path<String>,
    ApiQuery(query): ApiQuery<OrganizationQuery>,
    post: ApiPost,
) -> Response {
    let check = (
        ApiScope::CampaignsControl,
        "POST /api/v1/campaigns/{name}/lists",
    );
    post.read_with(
        caller,
        check,
        read_add_list,
        |caller, (request, priority)| async move {
            let ctx = caller.ctx(query.organization.as_deref()).await?;
            let organization = ctx.user.organization.clone();
            let choice = (priority, request.apply_filter);
            let outcome = job_lists::add_list(&ctx, &organization, &name, &request.list, choice)
                .await
                .map_err(|e| match e {
                    AppError::NotFound(what) if what.starts_with("Contact list") => {
                        Problem::from(AppError::NotFound(what)).not_found_as("list_not_found")
                    }
                    other => Problem::from(other).not_found_as("campaign_not_found"),
                })?;
            let view = ActionAnswer {
                message: outcome.message,
                job_id: outcome.job_id,
            };
            answer(StatusCode::OK, view)
        },
    )
    .await
}

fn not_supported(what: &str) -> Problem {
    Problem::new(
        StatusCode::NOT_IMPLEMENTED,
        "not_supported_by_pom",
        format!("{what} POM's interfaces (seed 004) do not offer this: do it in POM's own administration."),
    )
}

/// Creating a campaign: POM offers no interface for it (501 `not_supported_by_pom`).
#[utoipa::path(post, path = "/campaigns", tag = "campaigns",
    security(("bearer" = ["campaigns:control"])),
    responses((status = 501, description = "POM cannot do this", body = crate::edge::api::ProblemDoc, content_type = "application/problem+json"), ReadRefusals))]
pub async fn create(caller: ApiCaller) -> Result<(), Problem> {
    caller
        .require(ApiScope::CampaignsControl, "POST /api/v1/campaigns")
        .await?;
    Err(not_supported(
        "Campaigns are created in POM, not through OCM:",
    ))
}

/// Changing a campaign (its dialling mode, pacing, lists): POM offers no interface for it (501
/// `not_supported_by_pom`); a running job takes more lists with `POST /campaigns/{name}/lists`.
#[utoipa::path(patch, path = "/campaigns/{name}", tag = "campaigns",
    params(("name" = String, Path, description = "The campaign's name")),
    security(("bearer" = ["campaigns:control"])),
    responses((status = 501, description = "POM cannot do this", body = crate::edge::api::ProblemDoc, content_type = "application/problem+json"), ReadRefusals))]
pub async fn change(caller: ApiCaller, Path(_name): Path<String>) -> Result<(), Problem> {
    caller
        .require(ApiScope::CampaignsControl, "PATCH /api/v1/campaigns/{name}")
        .await?;
    Err(not_supported(
        "A campaign's dialling mode and settings are changed in POM:",
    ))
}
