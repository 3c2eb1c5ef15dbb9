//! Response headers every answer gets: no caching of signed-in content (the back button must not
//! show audit data after sign-out), no framing, no MIME sniffing, no cross-site referrers.

use axum::extract::Request;
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;

/// Static, versioned assets may be cached; everything else may not.
fn cacheable(path: &str) -> bool {
    path.starts_with("/pkg/") || path == "/favicon.svg"
}

/// Adds the security headers.
pub async fn security_headers(request: Request, next: Next) -> Response {
    let cache = !cacheable(request.uri().path());
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    if cache && !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("frame-ancestors 'none'"),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    response
}
