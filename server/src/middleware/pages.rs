//! Pages need a signed-in session: without one the browser is sent to `/login` (with the page it
//! asked for as `next`); a signed-in user who opens `/login` goes to the dashboard, and one who
//! must replace a one-time password goes to the password page. Server functions share these
//! routes but check access themselves, so they pass through; so does the set-password link's page.
//! While the database is away every page, the sign-in page included, says so (503).

use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use domain::auth::{self, Activity};
use domain::state::AppState;
use tower_sessions::Session;
use types::error::AppError;
use types::model::percent_encode;

use super::server_fn_status::SERVER_FN_PREFIX;
use crate::routes::database_unavailable_page;

/// Where a user signed in with a one-time password chooses their own.
const PASSWORD_PAGE: &str = "/account/password";
/// Where a set-password link leads: opened without a session, the link's token is the proof.
const SET_PASSWORD_PAGE: &str = "/account/set-password";
/// Where a user whose role requires a second factor sets it up before anything else.
const TWO_FACTOR_PAGE: &str = "/account/two-factor";
/// The second step of signing in: the code, after the password (no signed-in session yet).
const CODE_PAGE: &str = "/login/code";

/// Route layer for the Leptos page routes.
pub async fn require_sign_in(
    State(state): State<AppState>,
    session: Session,
    request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path();
    if path.starts_with(SERVER_FN_PREFIX) || path == SET_PASSWORD_PAGE || path == CODE_PAGE {
        return next.run(request).await;
    }
    let signed_in = auth::authenticate(&state, &session, Activity::Peek).await;
    // Before anything else, the sign-in page included: nothing can be shown or signed into.
    if matches!(signed_in, Err(AppError::DatabaseUnavailable)) {
        return database_unavailable_page();
    }
    if path == "/login" {
        return match signed_in {
            Ok(_) => Redirect::to("/").into_response(),
            Err(_) => next.run(request).await,
        };
    }
    let wanted = request
        .uri()
        .path_and_query()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "/".into());
    let next_param = if wanted == "/" {
        String::new()
    } else {
        format!("next={}", percent_encode(&wanted))
    };
    match signed_in {
        // A one-time password is replaced before any other page opens.
        Ok((user, _)) if user.must_change_password && path != PASSWORD_PAGE => {
            Redirect::to(PASSWORD_PAGE).into_response()
        }
        Ok((user, _))
            if user.must_enrol_two_factor
                && !user.must_change_password
                && path != TWO_FACTOR_PAGE =>
        {
            Redirect::to(TWO_FACTOR_PAGE).into_response()
        }
        Ok(_) => next.run(request).await,
        Err(AppError::SessionExpired) => {
            let sep = if next_param.is_empty() { "" } else { "&" };
            Redirect::to(&format!("/login?expired=1{sep}{next_param}")).into_response()
        }
        Err(AppError::Unauthorized) => {
            let query = if next_param.is_empty() {
                String::new()
            } else {
                format!("?{next_param}")
            };
            Redirect::to(&format!("/login{query}")).into_response()
        }
        Err(error) => (
            StatusCode::from_u16(error.status_code()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            error.to_string(),
        )
            .into_response(),
    }
}
