//! Callbacks for other systems, as on the callback dashboard: `GET /callbacks` lists them (the
//! dashboard's report: filters, `next_cursor`, CSV with `Accept: text/csv`; scope `reports`, as
//! the rows hold phone numbers and notes) and `POST /callbacks` schedules one through POM's `ScheduleCallBack` (scope
//! `campaigns:control`), refusals as problem+json with POM's fault code.

use axum::extract::RawQuery;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use domain::callbacks::board::CallbackBoard;
use domain::callbacks::schedule;
use serde::{Deserialize, Serialize};
use types::error::AppError;
use types::model::{ApiScope, CallbackScheduleForm, ScheduledCallback};
use utoipa::ToSchema;

use super::campaigns::OrganizationQuery;
use super::paging::ApiQuery;
use super::reports::{read_as, wants_csv, ReportPageView};
use crate::edge::api::{answer, ActionRefusals, ApiCaller, ApiPost, Problem, ReadRefusals};

/// A callback to schedule.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScheduleCallbackBody {
    /// The campaign whose first running job takes the callback.
    #[schema(max_length = 200)]
    pub campaign: String,
    /// The contact list holding the contact (one of the campaign's lists).
    #[schema(max_length = 200)]
    pub list: String,
    /// The contact's id in that list (POM's `UserContactID`).
    #[schema(max_length = 200)]
    pub contact_id: String,
    /// When it is due: wall time in `time_zone`, `YYYY-MM-DDTHH:MM`.
    #[schema(example = "2027-01-15T10:30")]
    pub due: String,
    /// Until when it may be dialled (same form); two hours after `due` when left out.
    pub expires: Option<String>,
    /// An IANA zone (`Europe/London`) or `UTC±hh:mm`.
    #[schema(example = "Europe/London")]
    pub time_zone: String,
    /// `phoneNumber1` or `phoneNumber2`; the campaign's default when left out.
    pub phone_attribute: Option<String>,
    /// A number to call instead of the contact's (OCM's phone rules read it).
    #[schema(max_length = 64)]
    pub address: Option<String>,
    /// Notes for the agent (at most 1,000 characters).
    pub notes: Option<String>,
}

/// A callback POM accepted.
#[derive(Debug, Serialize, ToSchema)]
pub struct ScheduledCallbackView {
    pub campaign: String,
    pub list: String,
    pub contact_id: String,
    /// POM's wall times in `time_zone`, `YYYY-MM-DD HH:MM`.
    pub due_local: String,
    pub expires_local: String,
    pub time_zone: String,
    /// The instants they stand for (RFC 3339).
    pub due_at: String,
    pub expires_at: String,
    pub message: String,
}

impl From<ScheduledCallback> for ScheduledCallbackView {
    fn from(s: ScheduledCallback) -> Self {
        ScheduledCallbackView {
            campaign: s.campaign,
            list: s.list,
            contact_id: s.contact_id,
            due_local: s.due_local,
            expires_local: s.expires_local,
            time_zone: s.time_zone,
            due_at: s.due_at,
            expires_at: s.expires_at,
            message: s.message,
        }
    }
}

/// The organization's callbacks, due first: open ones (overdue, due within the hour, later
/// today, later) or, with `section=ended`, those that ended today. Filters as on the dashboard
/// (`section`, `callback_type`, `owner`, `campaign`, `state`, `contact`); each item keyed by
/// the export's column keys.
#[utoipa::path(get, path = "/callbacks", tag = "callbacks",
    params(("section" = Option<String>, Query, description = "overdue, next_hour, later_today, later or ended"),
           ("callback_type" = Option<String>, Query, description = "standard, agent_owned or campaign"),
           ("owner" = Option<String>, Query, description = "The owning agent's id"),
           ("campaign" = Option<String>, Query, description = "Exact campaign name"),
           ("state" = Option<String>, Query, description = "created, pending, dialled, rescheduled (open), or completed, cancelled, expired (ended: implies section=ended)"),
           ("contact" = Option<String>, Query, description = "Contact id or phone contains"),
           ("organization" = Option<String>, Query, description = "Required for a client of every organization"),
           ("cursor" = Option<String>, Query, description = "The `next_cursor` of the page before")),
    security(("bearer" = ["reports"])),
    responses((status = 200, description = "A page as JSON; with Accept: text/csv the whole list as CSV", content((ReportPageView = "application/json"), (String = "text/csv"))), ReadRefusals))]
pub async fn list(caller: ApiCaller, RawQuery(query): RawQuery, headers: HeaderMap) -> Response {
    let query = query.unwrap_or_default();
    let check = (ApiScope::Reports, "GET /api/v1/callbacks");
    let read = read_as::<CallbackBoard>(caller, check, "callbacks", (&query, wants_csv(&headers)));
    match read.await {
        Ok(response) => response,
        Err(problem) => problem.into_response(),
    }
}

/// Schedules a callback for a contact through POM (`ScheduleCallBack`): POM gives it to the
/// campaign's first running job, which offers it to an agent from `due` until `expires`.
#[utoipa::path(post, path = "/callbacks", tag = "callbacks", params(OrganizationQuery,
        ("Idempotency-Key" = Option<String>, Header, pattern = "^[!-~]{1,200}$", description = "Runs the call once per key and body (1 to 200 visible ASCII characters)")),
    request_body = ScheduleCallbackBody, security(("bearer" = ["campaigns:control"])),
    responses((status = 201, body = ScheduledCallbackView), ReadRefusals, ActionRefusals))]
pub async fn create(
    caller: ApiCaller,
    ApiQuery(query): ApiQuery<OrganizationQuery>,
    post: ApiPost,
) -> Response {
    let check = (ApiScope::CampaignsControl, "POST /api/v1/callbacks");
    post.json(
        caller,
        check,
        |caller, body: ScheduleCallbackBody| async move {
            let ctx = caller.ctx(query.organization.as_deref()).await?;
            let form = CallbackScheduleForm {
                organization: Some(ctx.user.organization.clone()),
                campaign: body.campaign,
                list: body.list,
                contact_id: body.contact_id,
                due: body.due,
                expires: body.expires,
                time_zone: body.time_zone,
                phone_attribute: body.phone_attribute,
                address: body.address,
                notes: body.notes.unwrap_or_default(),
            };
            let scheduled = schedule::schedule(&ctx, &form).await.map_err(|e| match e {
                AppError::NotFound(what) if what.starts_with("Contact list") => {
                    Problem::from(AppError::NotFound(what)).not_found_as("list_not_found")
                }
                other => Problem::from(other).not_found_as("campaign_not_found"),
            })?;
            answer(StatusCode::CREATED, ScheduledCallbackView::from(scheduled))
        },
    )
    .await
}
