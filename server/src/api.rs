//! The automation API at `/api/v1` (issue 20, `docs/api.md`): each route is registered together
//! with its OpenAPI description (`utoipa-axum`), so the document at `/api/v1/openapi.json` lists
//! exactly the routes served; `/api/docs` renders it for people. Handlers are thin: the bearer
//! caller and its scope (`edge::api`), one `domain` call. Server functions stay under
//! `/api/<area>/…`; no area is called `v1`.

mod admin;
mod admin_users;
mod callbacks;
mod campaign_changes;
mod campaigns;
mod dnc;
mod emergency;
mod event_stream;
mod events;
mod lists;
mod not_listed;
mod paging;
mod records;
mod reference;
mod reports;
mod sales;
mod token;

use std::sync::Arc;

use std::time::Duration;

use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::middleware::from_fn_with_state;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};
use domain::state::AppState;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use tower_http::timeout::TimeoutLayer;

use crate::edge::api::{outcome, ApiLimits, ApiState, Problem, ProblemDoc};
use crate::router::WebState;

/// Where the API lives.
pub const BASE: &str = "/api/v1";

#[derive(OpenApi)]
#[openapi(
    info(
        title = "OCM automation API",
        version = "1",
        description = "Outbound Campaign Manager for other systems: campaigns, lists, DNC, record cancel, emergency mode, reports and report inputs. \
                       Obtain a token with POST /auth/token (HTTP Basic: client id and secret), \
                       then send Authorization: Bearer <token>. Errors are application/problem+json."
    ),
    servers((url = "/api/v1")),
    modifiers(&Schemes),
    components(schemas(ProblemDoc)),
    tags(
        (name = "auth", description = "Tokens"),
        (name = "campaigns", description = "Campaigns and their jobs (seeds 002, 003)"),
        (name = "lists", description = "Contact lists"),
        (name = "callbacks", description = "Callbacks as on the callback dashboard, and scheduling one through POM (seed 004 ScheduleCallBack)"),
        (name = "dnc", description = "Do-not-call with receipts (seed 002 CM_ReqDoNotCall)"),
        (name = "events", description = "What happened, as server-sent events or pages; the same envelopes go to webhooks"),
        (name = "records", description = "Record cancel with receipts (seed 002 CM_ReqCancelRecord)"),
        (name = "admin", description = "Teams and users, as on the administration pages (seed 003)"),
        (name = "emergency", description = "Emergency mode: everything stopped, starts refused until lifted (seed 003)"),
        (name = "reports", description = "Reports as pages or whole exports, and report inputs from other systems (seed 001)"),
    )
)]
struct ApiDoc;

/// The two ways in: a client's id and secret for a token, the token for everything else.
struct Schemes;

impl Modify for Schemes {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "client_credentials",
            SecurityScheme::Http(Http::new(HttpAuthScheme::Basic)),
        );
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)),
        );
    }
}

/// Every route of the API with its description.
pub fn routes_and_document() -> (Router<ApiState>, utoipa::openapi::OpenApi) {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(token::token))
        .routes(routes!(campaigns::list, campaign_changes::create))
        .routes(routes!(campaigns::get, campaign_changes::change))
        .routes(routes!(campaign_changes::schedule))
        .routes(routes!(campaign_changes::add_list))
        .routes(routes!(campaigns::start))
        .routes(routes!(campaigns::pause))
        .routes(routes!(campaigns::resume))
        .routes(routes!(campaigns::stop))
        .routes(routes!(lists::list))
        .routes(routes!(lists::get))
        .routes(routes!(not_listed::add))
        .routes(routes!(admin::teams, admin::create_team))
        .routes(routes!(admin::change_team))
        .routes(routes!(admin_users::users, admin_users::create_user))
        .routes(routes!(admin_users::change_user))
        .routes(routes!(sales::add))
        .routes(routes!(callbacks::list, callbacks::create))
        .routes(routes!(reports::page))
        .routes(routes!(reports::file))
        .routes(routes!(dnc::request))
        .routes(routes!(dnc::receipt))
        .routes(routes!(dnc::status, dnc::remove))
        .routes(routes!(events::events))
        .routes(routes!(records::cancel))
        .routes(routes!(records::receipt))
        .routes(routes!(emergency::state))
        .routes(routes!(emergency::enable))
        .routes(routes!(emergency::disable))
        .split_for_parts()
}

/// The OpenAPI document (built once).
pub fn document() -> Arc<utoipa::openapi::OpenApi> {
    static DOCUMENT: std::sync::OnceLock<Arc<utoipa::openapi::OpenApi>> =
        std::sync::OnceLock::new();
    DOCUMENT
        .get_or_init(|| Arc::new(routes_and_document().1))
        .clone()
}

async fn unknown_route() -> Problem {
    Problem::new(
        StatusCode::NOT_FOUND,
        "route_not_found",
        "No such API route: see /api/docs.",
    )
}

async fn wrong_method() -> Problem {
    Problem::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        "This route does not take that method: see /api/docs.",
    )
}

/// How long a call may take to be answered (an action started goes on to its end: `once`).
const CALL_TIMEOUT: Duration = Duration::from_secs(60);

/// The API, its document and its reference page, ready to merge into the site's router.
pub fn router(app: AppState) -> Router<WebState> {
    let limits = Arc::new(ApiLimits::new(app.settings.api.rate_per_minute));
    let body_limit = app.settings.api.max_body_bytes;
    let state = ApiState { app, limits };
    let (v1, _) = routes_and_document();
    let v1 = v1
        .route(
            "/openapi.json",
            get(|| async { Json(document()).into_response() }),
        )
        .layer(DefaultBodyLimit::max(body_limit))
        .fallback(unknown_route)
        .method_not_allowed_fallback(wrong_method)
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            CALL_TIMEOUT,
        ))
        .layer(from_fn_with_state(state.clone(), outcome::outcome))
        .with_state(state);
    Router::new()
        .nest(BASE, v1)
        .route("/api/docs", get(reference::page))
}
