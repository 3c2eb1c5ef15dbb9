//! CSRF defence in depth (besides SameSite=Lax cookies): a state-changing request that a browser
//! marks as coming from another origin is refused. Requests without `Origin`/`Referer` (scripts,
//! API clients) pass; they carry no ambient browser credentials worth forging.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{header, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// The origin writes must come from: the configured public URL, or else the request's own Host.
#[derive(Clone, Default)]
pub struct OriginPolicy {
    pub public_origin: Option<Arc<str>>,
}

/// `scheme://host[:port]` of a URL, lower-cased.
fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let authority = rest.split(['/', '?', '#']).next()?;
    Some(format!(
        "{}://{}",
        scheme.to_ascii_lowercase(),
        authority.to_ascii_lowercase()
    ))
}

fn host_of(origin: &str) -> Option<&str> {
    origin.split_once("://").map(|(_, authority)| authority)
}

/// Decides whether a write with these headers is same-origin.
pub fn allowed(
    policy: &OriginPolicy,
    origin_header: Option<&str>,
    referer: Option<&str>,
    host: Option<&str>,
) -> bool {
    let claimed = match origin_header.filter(|o| *o != "null").or(referer) {
        Some(value) => value,
        None => return origin_header.is_none(),
    };
    let Some(claimed) = origin_of(claimed) else {
        return false;
    };
    match &policy.public_origin {
        Some(public) => origin_of(public).as_deref() == Some(claimed.as_str()),
        None => host.map(str::to_ascii_lowercase).as_deref() == host_of(&claimed),
    }
}

/// Refuses cross-origin POST/PUT/PATCH/DELETE with 403.
pub async fn same_origin_writes(
    State(policy): State<OriginPolicy>,
    request: Request,
    next: Next,
) -> Response {
    // The automation API takes bearer tokens only, never cookies: nothing ambient to forge.
    if matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    ) || request.uri().path().starts_with("/api/v1/")
    {
        return next.run(request).await;
    }
    let same_origin = {
        let header_text =
            |name: header::HeaderName| request.headers().get(name).and_then(|v| v.to_str().ok());
        allowed(
            &policy,
            header_text(header::ORIGIN),
            header_text(header::REFERER),
            header_text(header::HOST),
        )
    };
    if same_origin {
        return next.run(request).await;
    }
    tracing::warn!(path = request.uri().path(), "cross-origin write refused");
    (StatusCode::FORBIDDEN, "Cross-site request refused.").into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_host_is_allowed_and_other_hosts_refused() {
        let policy = OriginPolicy::default();
        assert!(allowed(
            &policy,
            Some("http://127.0.0.1:3000"),
            None,
            Some("127.0.0.1:3000")
        ));
        assert!(!allowed(
            &policy,
            Some("http://evil.example"),
            None,
            Some("127.0.0.1:3000")
        ));
        assert!(allowed(
            &policy,
            None,
            Some("http://127.0.0.1:3000/login"),
            Some("127.0.0.1:3000")
        ));
        assert!(!allowed(
            &policy,
            None,
            Some("http://evil.example/x"),
            Some("127.0.0.1:3000")
        ));
    }

    #[test]
    fn requests_without_browser_origin_headers_pass() {
        assert!(allowed(
            &OriginPolicy::default(),
            None,
            None,
            Some("127.0.0.1:3000")
        ));
    }

    #[test]
    fn configured_public_origin_wins_over_host() {
        let policy = OriginPolicy {
            public_origin: Some("https://ocm.example.com".into()),
        };
        assert!(allowed(
            &policy,
            Some("https://ocm.example.com"),
            None,
            Some("10.0.0.5:3000")
        ));
        assert!(!allowed(
            &policy,
            Some("http://10.0.0.5:3000"),
            None,
            Some("10.0.0.5:3000")
        ));
    }
}
