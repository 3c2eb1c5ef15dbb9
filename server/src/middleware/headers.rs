//! Response headers every answer gets: no caching of signed-in content (the back button must not
//! show audit data after sign-out), no framing, no MIME sniffing, no cross-site referrers, a
//! Content-Security-Policy with a nonce per response, and HSTS when users reach OCM over https.

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use domain::csp::{self, CspNonce};

/// What the headers depend on in this deployment.
#[derive(Debug, Clone, Copy, Default)]
pub struct HeaderPolicy {
    /// `OCM_PUBLIC_URL` is https: browsers must never use plain http for OCM again.
    pub strict_transport: bool,
}

/// A year, the common value for a site that is https only.
const HSTS: &str = "max-age=31536000; includeSubDomains";

/// Static, versioned assets may be cached; everything else may not.
fn cacheable(path: &str) -> bool {
    path.starts_with("/pkg/") || path == "/favicon.svg"
}

/// Adds the security headers.
pub async fn security_headers(
    State(policy): State<HeaderPolicy>,
    mut request: Request,
    next: Next,
) -> Response {
    let cache = !cacheable(request.uri().path());
    let nonce = CspNonce::generate();
    request.extensions_mut().insert(nonce.clone());
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    if cache && !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    if let Ok(value) = HeaderValue::from_str(&csp::policy(&nonce)) {
        headers.insert(header::CONTENT_SECURITY_POLICY, value);
    }
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    if policy.strict_transport {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static(HSTS),
        );
    }
    response
}
