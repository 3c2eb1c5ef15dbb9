//! Teams for other systems (seed 003; scope `admin`), and what the teams and users calls
//! (`admin_users.rs`) share: the same operations as the administration pages (`domain::admin`),
//! acting as an admin. A client of one organization
//! manages only its organization's teams and users (another's are "not found") and may not make
//! anyone an admin, who would see every organization; a client of every organization manages
//! all. Passwords are never returned: a new user gets a set-password link, valid for a day.

use axum::body::Bytes;
use axum::extract::Path;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Json;
use domain::access::Ctx;
use domain::admin::within::Within;
use domain::admin::{directory, team_change};
use serde::{Deserialize, Serialize};
use types::error::AppError;
use types::model::{ApiScope, Role, TeamRow};
use utoipa::{IntoParams, ToSchema};

use super::paging::{page, ApiQuery};
use crate::edge::api::body::json_body;
use crate::edge::api::{answer, ActionRefusals, ApiCaller, ApiPost, Problem, ReadRefusals};

/// A team.
#[derive(Debug, Serialize, ToSchema)]
pub struct TeamView {
    pub team_id: i64,
    pub name: String,
    pub organization: String,
    /// Active users in it.
    pub users: i64,
    pub active: bool,
}

impl From<TeamRow> for TeamView {
    fn from(t: TeamRow) -> Self {
        TeamView {
            team_id: t.team_id,
            name: t.name,
            organization: t.organization,
            users: t.users,
            active: t.active,
        }
    }
}

/// A page of teams.
#[derive(Debug, Serialize, ToSchema)]
pub struct TeamPage {
    pub items: Vec<TeamView>,
    pub next_cursor: Option<String>,
}

/// Which organization (a client of every organization: any, or all when left out) and page.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DirectoryQuery {
    pub organization: Option<String>,
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<usize>,
    pub cursor: Option<String>,
}

/// The organization a team is created in, as other calls name it.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct OrganizationOnly {
    /// For a client of every organization (or `organization` in the body).
    pub organization: Option<String>,
}

/// A new team.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTeam {
    #[schema(max_length = 100)]
    pub name: String,
    /// For a client of every organization: the team's organization.
    pub organization: Option<String>,
}

/// A change to a team: its name, or whether users may join it.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TeamChange {
    #[schema(max_length = 100)]
    pub name: Option<String>,
    pub active: Option<bool>,
}

/// The admin context for a call, and the organization it is limited to (none: every one).
pub(super) async fn admin_ctx(
    caller: &ApiCaller,
    asked: Option<&str>,
    route: &str,
) -> Result<(Ctx, Option<String>), Problem> {
    caller.require(ApiScope::Admin, route).await?;
    let limited = match (&caller.principal.organization, asked) {
        (Some(_), _) | (None, Some(_)) => Some(caller.ctx(asked).await?.user.organization),
        (None, None) => None,
    };
    let mut ctx = caller.principal.ctx(
        caller.state.clone(),
        caller.meta.clone(),
        limited.clone().unwrap_or_default(),
    );
    ctx.user.role = Role::Admin;
    Ok((ctx, limited))
}

pub(super) fn role_for(caller: &ApiCaller, text: &str) -> Result<Role, Problem> {
    let role = Role::parse(text.trim())
        .ok_or_else(|| Problem::invalid("role", "admin, supervisor or manager"))?;
    if role == Role::Admin && caller.principal.organization.is_some() {
        return Err(Problem::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "An admin sees every organization: only a client of every organization may make one.",
        ));
    }
    Ok(role)
}

/// The team, if the call may touch it.
pub(super) async fn team_in(
    ctx: &Ctx,
    limited: &Option<String>,
    team_id: i64,
) -> Result<TeamRow, Problem> {
    directory::directory(&ctx.state.pool)
        .await?
        .teams
        .into_iter()
        .find(|t| t.team_id == team_id && limited.as_ref().is_none_or(|o| *o == t.organization))
        .ok_or_else(|| {
            Problem::new(
                StatusCode::NOT_FOUND,
                "team_not_found",
                format!("No team {team_id}."),
            )
        })
}

/// The teams, by name.
#[utoipa::path(get, path = "/teams", tag = "admin", params(DirectoryQuery),
    security(("bearer" = ["admin"])), responses((status = 200, body = TeamPage), ReadRefusals))]
pub async fn teams(
    caller: ApiCaller,
    ApiQuery(query): ApiQuery<DirectoryQuery>,
) -> Result<Json<TeamPage>, Problem> {
    let route = "GET /api/v1/teams";
    let (ctx, limited) = admin_ctx(&caller, query.organization.as_deref(), route).await?;
    let mut teams: Vec<TeamRow> = directory::directory(&ctx.state.pool)
        .await?
        .teams
        .into_iter()
        .filter(|t| limited.as_ref().is_none_or(|o| *o == t.organization))
        .collect();
    // The cursor compares names byte by byte: listed in the database's collation, a name with
    // punctuation could fall on the wrong side of it and be skipped or repeated.
    teams.sort_by(|a, b| a.name.cmp(&b.name));
    let (teams, next_cursor) = page(
        teams,
        |t| t.name.as_str(),
        query.limit,
        query.cursor.as_deref(),
    )?;
    caller
        .audit_read(route, limited.as_deref().unwrap_or(""))
        .await?;
    Ok(Json(TeamPage {
        items: teams.into_iter().map(Into::into).collect(),
        next_cursor,
    }))
}

/// Creates a team in the organization.
#[utoipa::path(post, path = "/teams", tag = "admin", request_body = NewTeam,
    params(OrganizationOnly, ("Idempotency-Key" = Option<String>, Header, pattern = "^[!-~]{1,200}$", description = "Runs the call once per key and body (1 to 200 visible ASCII characters)")),
    security(("bearer" = ["admin"])), responses((status = 201, body = TeamView), ReadRefusals, ActionRefusals))]
pub async fn create_team(
    caller: ApiCaller,
    ApiQuery(query): ApiQuery<OrganizationOnly>,
    post: ApiPost,
) -> Response {
    let route = "POST /api/v1/teams";
    post.json(
        caller,
        (ApiScope::Admin, route),
        move |caller, request: NewTeam| async move {
            // The organization: in the body, or in the query as everywhere else.
            let asked = request.organization.or(query.organization);
            let (ctx, limited) = admin_ctx(&caller, asked.as_deref(), route).await?;
            let organization =
                limited.ok_or_else(|| Problem::invalid("organization", "required"))?;
            let organization_id = directory::directory(&ctx.state.pool)
                .await?
                .organizations
                .into_iter()
                .find(|o| o.name == organization)
                .map(|o| o.organization_id)
                .ok_or_else(|| AppError::NotFound(format!("Organization {organization}")))?;
            let team_id = team_change::create(&ctx, &request.name, organization_id).await?;
            let team = TeamView::from(team_in(&ctx, &Some(organization), team_id).await?);
            answer(StatusCode::CREATED, team)
        },
    )
    .await
}

/// Renames a team, or activates or deactivates it (refused while it has active users).
#[utoipa::path(patch, path = "/teams/{id}", tag = "admin", request_body = TeamChange,
    params(("id" = i64, Path, description = "The team's id")),
    security(("bearer" = ["admin"])), responses((status = 200, body = TeamView), ReadRefusals, ActionRefusals))]
pub async fn change_team(
    caller: ApiCaller,
    Path(team_id): Path<i64>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<TeamView>, Problem> {
    let (ctx, limited) = admin_ctx(&caller, None, "PATCH /api/v1/teams/{id}").await?;
    let body: TeamChange = json_body(&headers, &body)?;
    team_in(&ctx, &limited, team_id).await?;
    // Checked again by the use cases on the locked team: it may move meanwhile.
    let within = Within::organization(limited.as_deref());
    let moved_away = |e: AppError| Problem::from(e).not_found_as("team_not_found");
    if let Some(name) = &body.name {
        team_change::rename(&ctx, team_id, name, within)
            .await
            .map_err(moved_away)?;
    }
    if let Some(active) = body.active {
        team_change::set_active(&ctx, team_id, active, within)
            .await
            .map_err(moved_away)?;
    }
    Ok(Json(team_in(&ctx, &limited, team_id).await?.into()))
}
