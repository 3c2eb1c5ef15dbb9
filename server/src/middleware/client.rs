//! Who is asking: the client address (behind trusted proxies, from `X-Forwarded-For`) and a
//! request id that the server always makes itself, so audit records cannot carry forged ids.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::extract::{ConnectInfo, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use domain::request_meta::{ClientAddr, REQUEST_ID_HEADER};

/// Proxies whose `X-Forwarded-For` is believed (`OCM_TRUSTED_PROXIES`).
#[derive(Debug, Clone, Default)]
pub struct TrustedProxies(pub Arc<Vec<IpAddr>>);

/// The address to attribute a request to: the peer, unless the peer is a trusted proxy, in which
/// case the right-most forwarded address that is not itself a trusted proxy. An entry that is not
/// an address (`unknown`, garbage) ends the chain there: whoever is behind it is unknown
/// (`0.0.0.0`), never an address further left that the client could have written itself. An
/// address with its port (`203.0.113.9:5678`, `[2001:db8::1]:80`) is read as the address.
pub fn resolve(peer: IpAddr, forwarded_for: Option<&str>, trusted: &[IpAddr]) -> IpAddr {
    if !trusted.contains(&peer) {
        return peer;
    }
    for entry in forwarded_for
        .into_iter()
        .flat_map(|header| header.rsplit(','))
    {
        let entry = entry.trim();
        let read = entry
            .parse::<IpAddr>()
            .or_else(|_| entry.parse::<SocketAddr>().map(|s| s.ip()));
        match read {
            Ok(addr) if trusted.contains(&addr) => continue,
            Ok(addr) => return addr,
            Err(_) => return IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED),
        }
    }
    peer
}

/// A request arrived with `X-Forwarded-For` while no proxy is trusted: said once per process, since
/// either a proxy in front is not configured (everyone looks like the proxy to throttling and the
/// audit log) or a client is trying to choose its own address (ignored).
fn warn_untrusted_forwarding_once(peer: IpAddr) {
    static WARNED: std::sync::Once = std::sync::Once::new();
    WARNED.call_once(|| {
        tracing::warn!(
            %peer,
            "a request carried X-Forwarded-For but OCM_TRUSTED_PROXIES is empty: the header is \
             ignored. If OCM runs behind a reverse proxy, set OCM_TRUSTED_PROXIES to its address."
        );
    });
}

/// Drops any request id the client sent and records the resolved client address.
pub async fn identify(
    State(trusted): State<TrustedProxies>,
    mut request: Request,
    next: Next,
) -> Response {
    request.headers_mut().remove(REQUEST_ID_HEADER);
    if let Some(peer) = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip())
    {
        let forwarded = request
            .headers()
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok());
        if forwarded.is_some() && trusted.0.is_empty() {
            warn_untrusted_forwarding_once(peer);
        }
        let addr = resolve(peer, forwarded, &trusted.0);
        request
            .extensions_mut()
            .insert(ClientAddr(addr.to_string()));
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use std::net::IpAddr;

    use super::resolve;

    #[test]
    fn forwarded_addresses_count_only_behind_trusted_proxies() {
        let proxy: IpAddr = "10.0.0.1".parse().unwrap();
        let client: IpAddr = "203.0.113.9".parse().unwrap();
        let stranger: IpAddr = "198.51.100.7".parse().unwrap();
        assert_eq!(
            resolve(stranger, Some("203.0.113.9"), &[proxy]),
            stranger,
            "untrusted peers cannot claim an address"
        );
        assert_eq!(
            resolve(proxy, Some("1.2.3.4, 203.0.113.9"), &[proxy]),
            client,
            "the right-most address added by our proxy"
        );
        assert_eq!(
            resolve(proxy, Some("203.0.113.9, 10.0.0.1"), &[proxy]),
            client
        );
        assert_eq!(resolve(proxy, None, &[proxy]), proxy);
        assert_eq!(
            resolve(proxy, Some("203.0.113.9:5678"), &[proxy]),
            client,
            "with its port"
        );
        let unknown: IpAddr = "0.0.0.0".parse().unwrap();
        assert_eq!(
            resolve(proxy, Some("127.0.0.1, unknown"), &[proxy]),
            unknown,
            "a client-written address left of an unreadable entry is not believed"
        );
    }
}
