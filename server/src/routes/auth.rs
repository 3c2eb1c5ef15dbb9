//! `POST /auth/login`, `POST /auth/code` (the second factor) and `POST /auth/logout`: plain form
//! posts answered with 303 redirects, so sign-in works the same with and without JavaScript.

use axum::extract::State;
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use domain::request_meta::RequestMeta;
use domain::state::AppState;
use domain::throttle::device;
use domain::{auth, session_end, two_factor};
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
            let target = if signed_in.code_needed {
                format!("/login/code{}", next_query(&next, '?'))
            } else {
                next
            };
            ([(header::SET_COOKIE, cookie)], Redirect::to(&target)).into_response()
        }
        Err(error) => {
            let reason = match error {
                AppError::InvalidCredentials => "invalid".to_string(),
                AppError::Throttled { minutes } => format!("throttled&minutes={minutes}"),
                AppError::Validation { .. } => "missing".to_string(),
                _ => "unavailable".to_string(),
            };
            Redirect::to(&format!("/login?error={reason}{}", next_query(&next, '&')))
                .into_response()
        }
    }
}

/// `next` as a query parameter after `sep`, or nothing for the home page.
fn next_query(next: &str, sep: char) -> String {
    if next == "/" {
        String::new()
    } else {
        format!("{sep}next={}", percent_encode(next))
    }
}

/// The second-factor form's fields.
#[derive(Debug, Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    next: Option<String>,
}

/// Checks the code from the authenticator app (or a recovery code) after the password, then goes
/// to the page asked for; a wrong code back to the code form, a stale step to the sign-in form.
pub async fn code(
    State(state): State<AppState>,
    session: Session,
    meta: RequestMeta,
    Form(form): Form<CodeForm>,
) -> Response {
    let next = safe_next(form.next.as_deref()).to_string();
    let outcome = tokio::spawn(async move {
        two_factor::sign_in::verify(&state, &session, &meta, &form.code).await
    })
    .await
    .unwrap_or_else(|error| Err(types::error::internal(&error)));
    let target = match outcome {
        Ok(_) => next,
        Err(AppError::InvalidCredentials) => {
            format!("/login/code?error=invalid{}", next_query(&next, '&'))
        }
        Err(AppError::Throttled { minutes }) => format!("/login?error=throttled&minutes={minutes}"),
        Err(AppError::Validation { .. }) => {
            format!("/login?error=code_retries{}", next_query(&next, '&'))
        }
        Err(AppError::SessionExpired) => {
            format!("/login?error=code_expired{}", next_query(&next, '&'))
        }
        Err(_) => "/login?error=unavailable".to_string(),
    };
    Redirect::to(&target).into_response()
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
