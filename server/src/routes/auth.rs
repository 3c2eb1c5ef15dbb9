//! `POST /auth/login` and `POST /auth/logout`: plain form posts answered with 303 redirects, so
//! sign-in works the same with and without JavaScript.

use axum::extract::State;
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use domain::request_meta::RequestMeta;
use domain::state::AppState;
use domain::throttle::device;
use domain::{auth, session_end};
use serde::Deserialize;
use tower_sessions::Session;
use types::error::AppError;
use types::model::percent_encode;

/// The sign-in form's fields.
#[derive(Debug, Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: Option<String>,
}

/// Only same-site paths made of plain URL characters are followed after sign-in: no scheme, no
/// authority (`//host`), no backslashes, and no tabs or newlines (browsers strip those, which can
/// turn `/\t/evil.example` into `//evil.example`).
pub fn safe_next(next: Option<&str>) -> &str {
    let plain = |path: &str| {
        path.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"/_.~%?&=-+,".contains(&b))
    };
    match next {
        Some(path)
            if path.starts_with('/')
                && !path.starts_with("//")
                && !path.starts_with("/login")
                && plain(path) =>
        {
            path
        }
        _ => "/",
    }
}

/// Checks the credentials and redirects to the page asked for (keeping the browser's device
/// cookie), or back to the form with a reason.
pub async fn login(
    State(state): State<AppState>,
    session: Session,
    meta: RequestMeta,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Response {
    let next = safe_next(form.next.as_deref()).to_string();
    let device = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(device::from_cookie_header)
        .map(str::to_string);
    let secure = state.settings.secure_cookies;
    // The check runs to its end even when the browser gives up waiting (the slow-down may take a
    // few seconds): an attempt dropped half-way would stay counted as a failure.
    let outcome = tokio::spawn(async move {
        auth::login(
            &state,
            &session,
            &meta,
            &form.username,
            &form.password,
            device.as_deref(),
        )
        .await
    })
    .await
    .unwrap_or_else(|error| Err(types::error::internal(&error)));
    match outcome {
        Ok(signed_in) => {
            let cookie = device::set_cookie(&signed_in.device_token, secure);
            ([(header::SET_COOKIE, cookie)], Redirect::to(&next)).into_response()
        }
        Err(error) => {
            let reason = match error {
                AppError::InvalidCredentials => "invalid".to_string(),
                AppError::Throttled { minutes } => format!("throttled&minutes={minutes}"),
                AppError::Validation { .. } => "missing".to_string(),
                _ => "unavailable".to_string(),
            };
            let next_param = if next == "/" {
                String::new()
            } else {
                format!("&next={}", percent_encode(&next))
            };
            Redirect::to(&format!("/login?error={reason}{next_param}")).into_response()
        }
    }
}

/// Ends the session and shows the sign-in page.
pub async fn logout(
    State(state): State<AppState>,
    session: Session,
    meta: RequestMeta,
) -> Redirect {
    if let Err(error) = session_end::logout(&state, &session, &meta).await {
        tracing::warn!(error = %error, "sign-out did not complete cleanly");
    }
    Redirect::to("/login?signed_out=1")
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn only_local_paths_are_followed() {
        assert_eq!(safe_next(Some("/audit?page=2")), "/audit?page=2");
        assert_eq!(safe_next(Some("//evil.example")), "/");
        assert_eq!(safe_next(Some("https://evil.example")), "/");
        assert_eq!(safe_next(Some("/\\evil.example")), "/");
        assert_eq!(safe_next(Some("/login")), "/");
        assert_eq!(safe_next(Some("/\t/evil.example")), "/");
        assert_eq!(safe_next(Some("/\n/evil.example")), "/");
        assert_eq!(safe_next(Some("/caf\u{e9}")), "/");
        assert_eq!(safe_next(None), "/");
    }
}
