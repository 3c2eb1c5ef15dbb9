//! The whole HTTP surface in one place: routes, pages and server functions, and the layers around
//! them (client identity, request ids, tracing, timeouts, security headers, same-origin writes,
//! sessions).

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use app::root::{shell, App};
use axum::extract::DefaultBodyLimit;
use axum::extract::FromRef;
use axum::http::{HeaderName, Request, StatusCode};
use axum::middleware::{from_fn, from_fn_with_state};
use axum::routing::{get, post};
use axum::{Extension, Router};
use domain::audit_log::AuditLog;
use domain::callbacks::board::CallbackBoard;
use domain::completion_rules::applications::Applications;
use domain::dnc::report::DncReport;
use domain::purge::history::PurgeHistory;
use domain::reports::agent_time::AgentTime;
use domain::reports::call_attempts::CallAttempts;
use domain::reports::code_lists::CodeLists;
use domain::reports::compliance::Compliance;
use domain::reports::inbound_abandoned::InboundAbandoned;
use domain::reports::job_summary::JobSummary;
use domain::reports::not_attempted::NotAttempted;
use domain::reports::not_listed::NotListed;
use domain::reports::nuisance::Nuisance;
use domain::reports::recalls::Recalls;
use domain::reports::sales::Sales;
use domain::state::AppState;
use domain::uploads::history::UploadHistory;
use leptos::config::LeptosOptions;
use leptos::prelude::provide_context;
use leptos_axum::{generate_route_list, AxumRouteListing, LeptosRoutes};
use tower::ServiceBuilder;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};
use tower_sessions_sqlx_store::PostgresStore;

use crate::config::Config;
use crate::edge::report_export;
use crate::middleware::client::{identify, TrustedProxies};
use crate::middleware::headers::{security_headers, HeaderPolicy};
use crate::middleware::http_metrics::track;
use crate::middleware::origin::{same_origin_writes, OriginPolicy};
use crate::middleware::pages::require_sign_in;
use crate::middleware::server_fn_status::map_error_status;
use crate::routes::{
    auth, callback_events, campaign_events, dnc_files, dnc_upload, erasure_certificate, events,
    export_files, floor_events, health, mappings, metrics, upload_files,
};
use crate::startup::SESSION_COOKIE;
use domain::admin::user_list::UserList;
use domain::erasure::history::ErasureList;
use tower_http::limit::RequestBodyLimitLayer;

/// The largest body a page or server function request may carry.
pub const SERVER_FN_BODY_LIMIT: usize = 4 * 1024 * 1024;

/// The pages' routes, listed once per process. Listing them raises a process-wide flag that parks
/// for good any resource first polled meanwhile (leptos issue #4773): a second listing while
/// another app in the process renders a page (the tests start many) would hang that page.
fn route_list() -> Vec<AxumRouteListing> {
    static ROUTES: OnceLock<Vec<AxumRouteListing>> = OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

/// The whole HTTP surface: pages, server functions, auth forms, downloads, health, static files.
pub fn build_router(state: AppState, options: LeptosOptions, config: &Config) -> Router {
    // The recorder first: what happens before it is installed is not counted.
    crate::metrics::handle();
    let routes = route_list();
    let context_state = state.clone();
    let state = WebState {
        app: state,
        leptos_options: Arc::new(options.clone()),
    };
    // `leptos_routes` mounts the pages and every server function (under `/api/`); the sign-in
    // check lets server functions through, as they check access themselves.
    let pages = Router::new()
        .leptos_routes_with_context(
            &state,
            routes,
            move || provide_context(context_state.clone()),
            move || shell(options.clone()),
        )
        .route_layer(from_fn_with_state(state.app.clone(), require_sign_in))
        // Server functions read their whole body before they check anything: bounded here, for
        // every caller, signed in or not (the largest legitimate body is a 1 MiB mappings CSV).
        .layer(RequestBodyLimitLayer::new(SERVER_FN_BODY_LIMIT));

    let sessions = SessionManagerLayer::new(PostgresStore::new(state.app.pool.clone()))
        .with_name(SESSION_COOKIE)
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(config.secure_cookies())
        .with_expiry(Expiry::OnSessionEnd);
    let origin_policy = OriginPolicy {
        public_origin: config.public_url.as_deref().map(Arc::from),
    };
    let request_id = HeaderName::from_static(domain::request_meta::REQUEST_ID_HEADER);
    let trace = TraceLayer::new_for_http()
        .make_span_with(|request: &Request<_>| {
            let id = request
                .headers()
                .get(domain::request_meta::REQUEST_ID_HEADER)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("-");
            tracing::info_span!("request", method = %request.method(), path = %request.uri().path(), request_id = %id)
        })
        .on_response(DefaultOnResponse::new().level(tracing::Level::INFO));

    // A large DNC file on a slow link takes longer than any other request may.
    let uploads = Router::new()
        .route(
            "/dnc/upload",
            post(dnc_upload::upload).layer(DefaultBodyLimit::max(
                state.app.settings.dnc.max_file_bytes as usize + 1024 * 1024,
            )),
        )
        .route(
            "/uploads/file",
            post(upload_files::receive).layer(DefaultBodyLimit::max(
                state.app.settings.uploads.max_file_bytes as usize + 1024 * 1024,
            )),
        )
        .layer(request_timeout(UPLOAD_TIMEOUT));

    // A workbook is written whole before its first byte is sent: a large one takes longer than
    // other answers may (CSV starts at once and streams).
    let exports = Router::new()
        .route("/audit/{file}", get(report_export::export::<AuditLog>))
        .route("/reports/schedules/runs/{id}/file", get(export_files::file))
        .route(
            "/purge/history/{file}",
            get(report_export::export::<PurgeHistory>),
        )
        .route(
            "/dnc/report/{file}",
            get(report_export::export::<DncReport>),
        )
        .route(
            "/reports/call-attempts/{file}",
            get(report_export::export::<CallAttempts>),
        )
        .route(
            "/reports/agent-time/{file}",
            get(report_export::export::<AgentTime>),
        )
        .route(
            "/reports/job-summary/{file}",
            get(report_export::export::<JobSummary>),
        )
        .route("/reports/sales/{file}", get(report_export::export::<Sales>))
        .route(
            "/reports/codes/{file}",
            get(report_export::export::<CodeLists>),
        )
        .route(
            "/reports/recalls/{file}",
            get(report_export::export::<Recalls>),
        )
        .route(
            "/callbacks/{file}",
            get(report_export::export::<CallbackBoard>),
        )
        .route(
            "/completion-rules/applications/{file}",
            get(report_export::export::<Applications>),
        )
        .route(
            "/reports/inbound-abandoned/{file}",
            get(report_export::export::<InboundAbandoned>),
        )
        .route(
            "/reports/not-attempted/{file}",
            get(report_export::export::<NotAttempted>),
        )
        .route(
            "/reports/not-in-listing/{file}",
            get(report_export::export::<NotListed>),
        )
        .route(
            "/reports/nuisance/{file}",
            get(report_export::export::<Nuisance>),
        )
        .route(
            "/reports/compliance/{file}",
            get(report_export::export::<Compliance>),
        )
        .route(
            "/uploads/history/{file}",
            get(report_export::export::<UploadHistory>),
        )
        .route(
            "/admin/user-list/{file}",
            get(report_export::export::<UserList>),
        )
        .route(
            "/admin/erasures/list/{file}",
            get(report_export::export::<ErasureList>),
        )
        .layer(request_timeout(EXPORT_TIMEOUT));

    Router::new()
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route(
            "/metrics",
            get(metrics::scrape).layer(Extension(Arc::new(config.metrics.clone()))),
        )
        .route("/auth/login", post(auth::login))
        .route("/auth/code", post(auth::code))
        .route("/auth/logout", post(auth::logout))
        .route("/events", get(events::events))
        .route("/campaigns/events", get(campaign_events::campaign_events))
        .route("/floor/events", get(floor_events::floor_events))
        .route("/callbacks/events", get(callback_events::callback_events))
        .route("/dnc/uploads/{id}/{file}", get(dnc_files::upload_file))
        .route("/uploads/{id}/{file}", get(upload_files::file))
        // Not under /admin/users/: a user's page is /admin/users/{id}.
        .route("/admin/mappings/{file}", get(mappings::file))
        .route(
            "/admin/erasures/{id}/{file}",
            get(erasure_certificate::file),
        )
        .merge(pages)
        .fallback(leptos_axum::file_and_error_handler::<WebState, _>(shell))
        .layer(request_timeout(REQUEST_TIMEOUT))
        .merge(uploads)
        .merge(exports)
        .layer(sessions)
        // The automation API authenticates by bearer token: no session, no cookie.
        .merge(crate::api::router(state.app.clone()))
        .layer(from_fn(map_error_status))
        .layer(from_fn_with_state(origin_policy, same_origin_writes))
        .layer(from_fn_with_state(
            HeaderPolicy {
                strict_transport: config.secure_cookies(),
            },
            security_headers,
        ))
        .layer(
            ServiceBuilder::new()
                .layer(SetRequestIdLayer::new(request_id.clone(), MakeRequestUuid))
                .layer(trace)
                .layer(PropagateRequestIdLayer::new(request_id)),
        )
        // Every request counted by its matched route (known once routing has run, inside).
        .layer(from_fn(track))
        // Outermost: drop client-sent request ids before one is made, resolve the client address.
        .layer(from_fn_with_state(
            TrustedProxies(Arc::new(config.trusted_proxies.clone())),
            identify,
        ))
        .with_state(state)
}

/// What the router's handlers draw from: the domain's state and the site's Leptos options (the
/// domain knows nothing of Leptos, so they live side by side here). Cloned for every request,
/// so both are behind reference counts.
#[derive(Clone)]
pub struct WebState {
    pub app: AppState,
    pub leptos_options: Arc<LeptosOptions>,
}

impl FromRef<WebState> for AppState {
    fn from_ref(state: &WebState) -> Self {
        state.app.clone()
    }
}

impl FromRef<WebState> for LeptosOptions {
    fn from_ref(state: &WebState) -> Self {
        (*state.leptos_options).clone()
    }
}

/// How long a request may take to be answered (a streamed body may take longer).
const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);
/// How long an export may take to start answering (a workbook of a few million rows).
const EXPORT_TIMEOUT: Duration = Duration::from_secs(10 * 60);
/// How long a DNC file upload may take (50 MB at about 0.5 Mbit/s).
const UPLOAD_TIMEOUT: Duration = Duration::from_secs(15 * 60);

fn request_timeout(limit: Duration) -> TimeoutLayer {
    TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, limit)
}
