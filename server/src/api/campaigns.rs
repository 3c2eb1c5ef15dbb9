//! Campaigns for other systems (seeds 002/003): read them with their current job and an OCM
//! `status`, and start, pause, resume or stop them. The same use cases as the campaigns board
//! (`domain::campaigns`), acting as the client; POM's refusals come back with its fault code.

use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::Response;
use axum::Json;
use domain::campaigns;
use serde::{Deserialize, Serialize};
use types::error::AppError;
use types::model::{ApiScope, CampaignRow, JobAction};
use utoipa::{IntoParams, ToSchema};

use super::paging::{page, ApiQuery};
use crate::edge::api::{answer, ActionRefusals, ApiCaller, ApiPost, Problem, ReadRefusals};

/// OCM's status of a campaign, from its current POM job (`docs/api.md` maps it to Genesys'
/// `GroupCampStatus` and MaxContact's status numbers).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CampaignStatus {
    NotRunning,
    Queued,
    Running,
    Paused,
    Stopping,
}

impl CampaignStatus {
    fn of(row: &CampaignRow) -> Self {
        match row.job.as_ref().map(|j| j.state.as_str()) {
            Some("JOB_QUEUED") => CampaignStatus::Queued,
            Some("JOB_ACTIVE") => CampaignStatus::Running,
            Some("JOB_PAUSED") => CampaignStatus::Paused,
            Some("JOB_STOPPING") => CampaignStatus::Stopping,
            _ => CampaignStatus::NotRunning,
        }
    }
}

/// A campaign's current (or last) job.
#[derive(Debug, Serialize, ToSchema)]
pub struct CampaignJobView {
    pub job_id: i64,
    /// POM's state name (`JOB_ACTIVE`, `JOB_STOPPED`, …).
    pub pom_state: String,
    /// When OCM first saw the job in this state (RFC 3339).
    pub state_since: Option<String>,
    /// Who started it through OCM (a user, or `api:NAME`).
    pub started_by: Option<String>,
}

/// One campaign.
#[derive(Debug, Serialize, ToSchema)]
pub struct CampaignView {
    /// The campaign's name in POM: its id in this API.
    pub name: String,
    pub organization: String,
    /// `preview`, `progressive` or `predictive`, when POM says.
    pub kind: Option<String>,
    pub finite: Option<bool>,
    /// Its contact lists.
    pub lists: Vec<String>,
    pub status: CampaignStatus,
    pub job: Option<CampaignJobView>,
}

fn view(row: CampaignRow, organization: &str) -> CampaignView {
    CampaignView {
        status: CampaignStatus::of(&row),
        organization: organization.to_string(),
        job: row.job.map(|job| CampaignJobView {
            job_id: job.job_id,
            pom_state: job.state,
            state_since: job.state_since,
            started_by: job.started.map(|s| s.username),
        }),
        name: row.name,
        kind: row.kind,
        finite: row.finite,
        lists: row.lists,
    }
}

/// A page of campaigns.
#[derive(Debug, Serialize, ToSchema)]
pub struct CampaignPage {
    pub items: Vec<CampaignView>,
    /// Pass as `cursor` for the next page; none after the last.
    pub next_cursor: Option<String>,
    /// When POM was last read (RFC 3339).
    pub read_at: Option<String>,
    /// Why the last read of POM failed; the campaigns are then the last known.
    pub pom_problem: Option<String>,
}

/// Which organization and which page.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct CampaignQuery {
    /// Required for a client of every organization; others may only name their own.
    pub organization: Option<String>,
    /// 1 to 500 (default 100).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<usize>,
    /// The `next_cursor` of the page before.
    pub cursor: Option<String>,
}

/// Which organization.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct OrganizationQuery {
    /// Required for a client of every organization; others may only name their own.
    pub organization: Option<String>,
}

/// What an action did.
#[derive(Debug, Serialize, ToSchema)]
pub struct ActionAnswer {
    pub message: String,
    pub job_id: Option<i64>,
}

/// The organization's campaigns, by name.
#[utoipa::path(get, path = "/campaigns", tag = "campaigns", params(CampaignQuery),
    security(("bearer" = ["campaigns:read"])),
    responses((status = 200, body = CampaignPage), ReadRefusals))]
pub async fn list(
    caller: ApiCaller,
    ApiQuery(query): ApiQuery<CampaignQuery>,
) -> Result<Json<CampaignPage>, Problem> {
    caller
        .require(ApiScope::CampaignsRead, "GET /api/v1/campaigns")
        .await?;
    let ctx = caller.ctx(query.organization.as_deref()).await?;
    let organization = ctx.user.organization.clone();
    let board = campaigns::board(&ctx, Some(organization.clone())).await?;
    let mut rows = board.campaigns;
    rows.sort_by(|a, b| a.name.cmp(&b.name));
    let (rows, next_cursor) = page(
        rows,
        |r| r.name.as_str(),
        query.limit,
        query.cursor.as_deref(),
    )?;
    caller
        .audit_status_read("GET /api/v1/campaigns", &organization)
        .await?;
    Ok(Json(CampaignPage {
        items: rows.into_iter().map(|r| view(r, &organization)).collect(),
        next_cursor,
        read_at: board.read_at,
        pom_problem: board.pom_problem,
    }))
}

async fn find(
    caller: &ApiCaller,
    name: &str,
    organization: Option<&str>,
) -> Result<(domain::access::Ctx, CampaignRow), Problem> {
    let ctx = caller.ctx(organization).await?;
    let board = campaigns::board(&ctx, Some(ctx.user.organization.clone())).await?;
    let row = board
        .campaigns
        .into_iter()
        .find(|c| c.name == name)
        .ok_or_else(|| {
            Problem::new(
                StatusCode::NOT_FOUND,
                "campaign_not_found",
                format!("Campaign {name} was not found."),
            )
        })?;
    Ok((ctx, row))
}

/// One campaign with its current job.
#[utoipa::path(get, path = "/campaigns/{name}", tag = "campaigns", params(("name" = String, Path, description = "The campaign's name"), OrganizationQuery),
    security(("bearer" = ["campaigns:read"])),
    responses((status = 200, body = CampaignView), ReadRefusals))]
pub async fn get(
    caller: ApiCaller,
    Path(name): Path<String>,
    ApiQuery(query): ApiQuery<OrganizationQuery>,
) -> Result<Json<CampaignView>, Problem> {
    caller
        .require(ApiScope::CampaignsRead, "GET /api/v1/campaigns/{name}")
        .await?;
    let (ctx, row) = find(&caller, &name, query.organization.as_deref()).await?;
    caller
        .audit_status_read("GET /api/v1/campaigns/{name}", &ctx.user.organization)
        .await?;
    Ok(Json(view(row, &ctx.user.organization)))
}

/// Runs one action on the campaign (once per `Idempotency-Key`).
async fn control(
    caller: ApiCaller,
    name: String,
    query: OrganizationQuery,
    post: ApiPost,
    action: Option<JobAction>,
) -> Response {
    let route = format!(
        "POST /api/v1/campaigns/{{name}}/{}",
        action.map_or("start", |a| a.as_str())
    );
    let check = (ApiScope::CampaignsControl, route.as_str());
    post.bodiless(caller, check, move |caller| async move {
        let ctx = caller.ctx(query.organization.as_deref()).await?;
        let organization = ctx.user.organization.clone();
        let open_job = campaigns::open_job(&ctx, &organization, &name)
            .await
            .map_err(|e| Problem::from(e).not_found_as("campaign_not_found"))?;
        let not_running = || {
            Problem::new(
                StatusCode::CONFLICT,
                "campaign_not_running",
                format!("{name} has no queued, running, paused or stopping job."),
            )
        };
        let outcome = match (action, open_job) {
            (None, Some(job)) => {
                return Err(Problem::new(
                    StatusCode::CONFLICT,
                    "campaign_already_running",
                    format!("{name} already has job {job} queued, running, paused or stopping."),
                ))
            }
            (None, None) => campaigns::start(&ctx, &organization, &name).await?,
            (Some(_), None) => return Err(not_running()),
            // The job may have ended since the board was read: POM no longer lists it.
            (Some(action), Some(job)) => {
                match campaigns::act(&ctx, &organization, &name, job, action).await {
                    Err(AppError::NotFound(_)) => return Err(not_running()),
                    other => other?,
                }
            }
        };
        let status = if matches!(action, None | Some(JobAction::Stop)) {
            StatusCode::ACCEPTED
        } else {
            StatusCode::OK
        };
        let view = ActionAnswer {
            message: outcome.message,
            job_id: outcome.job_id,
        };
        answer(status, view)
    })
    .await
}

macro_rules! control_route {
    ($name:ident, $path:literal, $action:expr, $summary:literal) => {
        #[doc = $summary]
        #[utoipa::path(post, path = $path, tag = "campaigns",
            params(("name" = String, Path, description = "The campaign's name"), OrganizationQuery,
                   ("Idempotency-Key" = Option<String>, Header, pattern = "^[!-~]{1,200}$", description = "Runs the call once per key and body (1 to 200 visible ASCII characters)")),
            security(("bearer" = ["campaigns:control"])),
            responses((status = 200, body = ActionAnswer), (status = 202, body = ActionAnswer),
                      ReadRefusals, ActionRefusals))]
        pub async fn $name(
            caller: ApiCaller,
            Path(name): Path<String>,
            ApiQuery(query): ApiQuery<OrganizationQuery>,
            post: ApiPost,
        ) -> Response {
            control(caller, name, query, post, $action).await
        }
    };
}

control_route!(
    start,
    "/campaigns/{name}/start",
    None,
    "Starts a job of the campaign (202: POM queues it)."
);
control_route!(
    pause,
    "/campaigns/{name}/pause",
    Some(JobAction::Pause),
    "Pauses the campaign's running job."
);
control_route!(
    resume,
    "/campaigns/{name}/resume",
    Some(JobAction::Resume),
    "Resumes the campaign's paused job."
);
control_route!(
    stop,
    "/campaigns/{name}/stop",
    Some(JobAction::Stop),
    "Stops the campaign's job (202: agents finish their calls first)."
);
