//! Users for other systems (seed 003; scope `admin`): listed through the user-list report,
//! created with a set-password link (never a password), changed, moved between the
//! organization's teams, disabled and enabled, with the rules of `admin.rs`.

use axum::body::Bytes;
use axum::extract::Path;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Json;
use domain::access::Ctx;
use domain::admin::within::Within;
use domain::admin::{user_change, user_create, user_list::UserList};
use domain::report;
use serde::{Deserialize, Serialize};
use types::model::{
    ApiScope, NewUserForm, PasswordDelivery, Role, UserFilters, UserPatch, UserRow,
};
use types::report::{Position, ReportRequest, Sort};
use utoipa::{IntoParams, ToSchema};

use super::admin::{admin_ctx, role_for, team_in};
use super::paging::ApiQuery;
use crate::edge::api::body::json_body;
use crate::edge::api::{answer, ActionRefusals, ApiCaller, ApiPost, Problem, ReadRefusals};

/// A user (never a password).
#[derive(Debug, Serialize, ToSchema)]
pub struct UserView {
    pub user_id: i64,
    pub username: String,
    pub display_name: String,
    /// `admin`, `supervisor` or `manager`.
    pub role: String,
    pub team: String,
    pub organization: String,
    pub active: bool,
    /// Has not chosen a password yet.
    pub must_change_password: bool,
    pub last_sign_in: Option<String>,
}

impl From<UserRow> for UserView {
    fn from(u: UserRow) -> Self {
        UserView {
            user_id: u.user_id,
            username: u.username,
            display_name: u.display_name,
            role: u.role.as_str().into(),
            team: u.team,
            organization: u.organization,
            active: u.active,
            must_change_password: u.must_change_password,
            last_sign_in: u.last_sign_in,
        }
    }
}

/// A page of users.
#[derive(Debug, Serialize, ToSchema)]
pub struct UserPage {
    pub items: Vec<UserView>,
    pub next_cursor: Option<String>,
}

/// A new user.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUser {
    #[schema(max_length = 64)]
    pub username: String,
    #[schema(max_length = 100)]
    pub display_name: Option<String>,
    /// `supervisor` or `manager` (`admin`: a client of every organization only).
    #[schema(pattern = "^(admin|supervisor|manager)$")]
    pub role: String,
    pub team_id: i64,
}

/// A new user and the link they choose their password with.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedUser {
    pub username: String,
    /// The path of the set-password link (`/account/set-password?token=…`), usable once.
    pub set_password_link: Option<String>,
    pub link_expires_at: Option<String>,
    /// On a replay of the creation (same Idempotency-Key): the link is not given again.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A change to a user: name, role, team (moving them), or active (disable / enable).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserChange {
    #[schema(max_length = 100)]
    pub display_name: Option<String>,
    #[schema(pattern = "^(admin|supervisor|manager)$")]
    pub role: Option<String>,
    pub team_id: Option<i64>,
    pub active: Option<bool>,
}

/// The user, if the call may touch them.
pub(super) async fn user_in(
    ctx: &Ctx,
    limited: &Option<String>,
    user_id: i64,
) -> Result<UserRow, Problem> {
    let not_found = || {
        Problem::new(
            StatusCode::NOT_FOUND,
            "user_not_found",
            format!("No user {user_id}."),
        )
    };
    let user = user_change::detail(ctx, user_id)
        .await
        .map_err(|_| not_found())?
        .user;
    if limited.as_ref().is_some_and(|o| *o != user.organization) {
        return Err(not_found());
    }
    Ok(user)
}

/// Which organization (a client of every organization: any, or all when left out) and page (the
/// user-list report's pages of 50).
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct UsersQuery {
    pub organization: Option<String>,
    pub cursor: Option<String>,
}

/// The users, oldest first (through the user-list report).
#[utoipa::path(get, path = "/users", tag = "admin", params(UsersQuery),
    security(("bearer" = ["admin"])), responses((status = 200, body = UserPage), ReadRefusals))]
pub async fn users(
    caller: ApiCaller,
    ApiQuery(query): ApiQuery<UsersQuery>,
) -> Result<Json<UserPage>, Problem> {
    let route = "GET /api/v1/users";
    let (ctx, limited) = admin_ctx(&caller, query.organization.as_deref(), route).await?;
    let request = ReportRequest {
        filters: UserFilters {
            organization: limited.clone(),
            ..UserFilters::default()
        },
        position: Position {
            after: query.cursor.clone(),
            ..Position::default()
        },
        sort: Sort::default(),
    };
    if let Some(cursor) = query.cursor.as_deref().filter(|c| !c.is_empty()) {
        if !report::cursor_reads::<UserList>(&request.sort, cursor)? {
            return Err(Problem::invalid(
                "cursor",
                "not a cursor of this list: pass the next_cursor of the page before",
            ));
        }
    }
    let found = report::page::<UserList>(&ctx, &request).await?;
    caller
        .audit_read(route, limited.as_deref().unwrap_or(""))
        .await?;
    Ok(Json(UserPage {
        items: found.rows.into_iter().map(Into::into).collect(),
        next_cursor: found.next,
    }))
}

/// What a repeat of a user's creation answers: the link is not stored, so it is given once.
fn forget_link(answer: &mut serde_json::Value) {
    answer["set_password_link"] = serde_json::Value::Null;
    answer["link_expires_at"] = serde_json::Value::Null;
    answer["note"] =
        "The set-password link was given with the first answer and is not kept.".into();
}

/// Creates a user in one of the organization's teams; answers the set-password link once.
#[utoipa::path(post, path = "/users", tag = "admin", request_body = NewUser,
    params(("Idempotency-Key" = Option<String>, Header, pattern = "^[!-~]{1,200}$", description = "Runs the call once per key and body (1 to 200 visible ASCII characters)")),
    security(("bearer" = ["admin"])), responses((status = 201, body = CreatedUser), ReadRefusals, ActionRefusals))]
pub async fn create_user(caller: ApiCaller, post: ApiPost) -> Response {
    let route = "POST /api/v1/users";
    let check = (ApiScope::Admin, route);
    let act = move |caller: ApiCaller, request: NewUser| async move {
        let (ctx, limited) = admin_ctx(&caller, None, route).await?;
        let role = role_for(&caller, &request.role)?;
        team_in(&ctx, &limited, request.team_id)
            .await
            .map_err(|_| Problem::invalid("team_id", "not a team of this organization"))?;
        let form = NewUserForm {
            username: request.username,
            display_name: request.display_name.unwrap_or_default(),
            role,
            team_id: request.team_id,
            delivery: PasswordDelivery::Link,
        };
        // Checked again on the locked team: an admin may move it meanwhile.
        let within = Within::organization(limited.as_deref());
        let credential = user_create::create(&ctx, &form, within).await?;
        let created = CreatedUser {
            username: credential.username,
            set_password_link: credential.link,
            link_expires_at: credential.expires_at,
            note: None,
        };
        answer(StatusCode::CREATED, created)
    };
    post.json_redacted(caller, check, act, forget_link).await
}

/// Changes a user's name, role or team (moving them; the team must be the organization's), or
/// disables (their sessions end at once) or enables them.
#[utoipa::path(patch, path = "/users/{id}", tag = "admin", request_body = UserChange,
    params(("id" = i64, Path, description = "The user's id")),
    security(("bearer" = ["admin"])), responses((status = 200, body = UserView), ReadRefusals, ActionRefusals))]
pub async fn change_user(
    caller: ApiCaller,
    Path(user_id): Path<i64>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<UserView>, Problem> {
    let (ctx, limited) = admin_ctx(&caller, None, "PATCH /api/v1/users/{id}").await?;
    let body: UserChange = json_body(&headers, &body)?;
    let user = user_in(&ctx, &limited, user_id).await?;
    // Checked again by the use cases on the locked user: an admin may move them meanwhile.
    let within = Within::organization(limited.as_deref());
    if user.role == Role::Admin && caller.principal.organization.is_some() {
        return Err(Problem::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "Admins are changed by a client of every organization.",
        ));
    }
    if body.display_name.is_some() || body.role.is_some() || body.team_id.is_some() {
        if let Some(team_id) = body.team_id {
            team_in(&ctx, &limited, team_id)
                .await
                .map_err(|_| Problem::invalid("team_id", "not a team of this organization"))?;
        }
        // Fields not given keep what the change finds under its lock, not what was read here.
        let patch = UserPatch {
            user_id,
            display_name: body.display_name,
            role: body
                .role
                .as_ref()
                .map(|r| role_for(&caller, r))
                .transpose()?,
            team_id: body.team_id,
        };
        user_change::update(&ctx, &patch, within)
            .await
            .map_err(|e| Problem::from(e).not_found_as("user_not_found"))?;
    }
    if let Some(active) = body.active {
        user_change::set_active(&ctx, user_id, active, within)
            .await
            .map_err(|e| Problem::from(e).not_found_as("user_not_found"))?;
    }
    Ok(Json(user_in(&ctx, &limited, user_id).await?.into()))
}
