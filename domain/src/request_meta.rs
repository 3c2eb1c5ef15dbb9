//! `RequestMeta`: request id, client address and user agent, for audit records and throttling.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;

/// The header carrying the request id set by the server's request-id layer.
pub const REQUEST_ID_HEADER: &str = "x-request-id";

/// The client's address as resolved by the server (peer address, or the forwarded address when
/// the peer is a trusted proxy). Inserted into request extensions by the server's middleware.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientAddr(pub String);

/// Facts about the current request that every audit record carries.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RequestMeta {
    pub request_id: Option<String>,
    /// The peer's IP address ("unknown" when the server was not given connection info).
    pub client_addr: String,
    pub user_agent: Option<String>,
}

impl RequestMeta {
    /// Work done by OCM itself (background jobs, scheduled tasks).
    pub fn background(what: &str) -> Self {
        RequestMeta {
            request_id: None,
            client_addr: format!("ocm:{what}"),
            user_agent: None,
        }
    }

    /// Reads the meta data from request parts.
    pub fn from_parts(parts: &Parts) -> Self {
        let header = |name: &str| {
            parts
                .headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(|v| v.chars().take(512).collect::<String>())
        };
        let client_addr = match parts.extensions.get::<ClientAddr>() {
            Some(resolved) => resolved.0.clone(),
            None => parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|info| info.0.ip().to_string())
                .unwrap_or_else(|| "unknown".to_string()),
        };
        RequestMeta {
            request_id: header(REQUEST_ID_HEADER),
            client_addr,
            user_agent: header("user-agent"),
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for RequestMeta {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(RequestMeta::from_parts(parts))
    }
}
