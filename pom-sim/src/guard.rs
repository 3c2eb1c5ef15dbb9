//! Who may drive the simulator, so that a web page open on a demo machine cannot: it listens on
//! loopback unless told otherwise, every request must name an IP address or an allowed host name
//! (a DNS-rebinding page names its own; that also keeps such a page away from the simulated POM
//! and its demo users), and control API (`/__sim/`) writes carry the control token
//! (`X-Sim-Token`), which a page cannot know.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{header, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::Sim;

/// The header that carries the control token on writes.
pub const TOKEN_HEADER: &str = "x-sim-token";

/// Host names a control request may name besides the configured ones.
const LOOPBACK_HOSTS: [&str; 3] = ["localhost", "127.0.0.1", "[::1]"];

/// Refuses an address off loopback unless `allow_remote`: the control API would be open to the
/// network.
pub fn check_listen(address: SocketAddr, allow_remote: bool) -> Result<(), String> {
    if address.ip().is_loopback() || allow_remote {
        return Ok(());
    }
    Err(format!(
        "the POM simulator will not listen on {address}: its control API (/__sim/) changes \
         everything it simulates, so it stays on loopback (127.0.0.1) unless remote access is \
         allowed explicitly (pom-sim --allow-remote, or OCM_SIM_ALLOW_REMOTE=true)"
    ))
}

/// An HTTP client whose requests carry `sim`'s control token, for tests, benchmarks and tools
/// that drive the simulator.
pub fn control_client(sim: &Sim) -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    if let Ok(value) = reqwest::header::HeaderValue::from_str(sim.control_token()) {
        headers.insert(TOKEN_HEADER, value);
    }
    reqwest::Client::builder()
        .default_headers(headers)
        .build()
        .unwrap_or_default()
}

/// A random token for a simulator started without one.
pub(crate) fn new_token() -> String {
    use rand::distributions::{Alphanumeric, DistString};
    Alphanumeric.sample_string(&mut rand::thread_rng(), 32)
}

/// The host name of a `Host` header value, without its port.
fn host_name(value: &str) -> &str {
    if value.starts_with('[') {
        return value.split_inclusive(']').next().unwrap_or(value);
    }
    value.split(':').next().unwrap_or(value)
}

/// Loopback names, configured names and IP literals (a rebinding attack needs a name) pass.
fn host_allowed(value: &str, allowed: &[String]) -> bool {
    let name = host_name(value.trim()).to_ascii_lowercase();
    let ip_literal = name
        .trim_start_matches('[')
        .trim_end_matches(']')
        .parse::<std::net::IpAddr>()
        .is_ok();
    ip_literal
        || LOOPBACK_HOSTS.contains(&name.as_str())
        || allowed.iter().any(|a| a.eq_ignore_ascii_case(&name))
}

fn refuse(status: StatusCode, message: &str) -> Response {
    (status, message.to_string()).into_response()
}

/// Applies the rules above: the host name on every request, the token on control writes.
pub(crate) async fn control_guard(
    State(sim): State<Arc<Sim>>,
    request: Request,
    next: Next,
) -> Response {
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if !host_allowed(host, &sim.allowed_hosts) {
        return refuse(
            StatusCode::FORBIDDEN,
            "This host name may not use the simulator (pom-sim --allowed-host, POM_SIM_ALLOWED_HOSTS).",
        );
    }
    let control = request.uri().path().starts_with("/__sim/");
    let reads = !control || matches!(*request.method(), Method::GET | Method::HEAD);
    let token = request
        .headers()
        .get(TOKEN_HEADER)
        .and_then(|v| v.to_str().ok());
    if !reads && token != Some(sim.control_token.as_str()) {
        return refuse(
            StatusCode::UNAUTHORIZED,
            "Control API writes need the X-Sim-Token header (pom-sim prints the token at start-up).",
        );
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_unless_allowed() {
        assert!(check_listen("127.0.0.1:7080".parse().unwrap(), false).is_ok());
        assert!(check_listen("[::1]:7080".parse().unwrap(), false).is_ok());
        let open = check_listen("0.0.0.0:7080".parse().unwrap(), false).unwrap_err();
        assert!(open.contains("--allow-remote"), "{open}");
        assert!(check_listen("0.0.0.0:7080".parse().unwrap(), true).is_ok());
    }

    #[test]
    fn hosts_are_loopback_names_or_configured() {
        let allowed = vec!["pom-sim.test".to_string()];
        for host in [
            "127.0.0.1:7080",
            "localhost",
            "[::1]:7080",
            "POM-SIM.test:80",
            "192.0.2.7:7080",
            "[2001:db8::1]",
        ] {
            assert!(host_allowed(host, &allowed), "{host}");
        }
        for host in [
            "evil.example",
            "evil.example:7080",
            "127.0.0.1.evil.example",
            "",
        ] {
            assert!(!host_allowed(host, &allowed), "{host}");
        }
    }
}
