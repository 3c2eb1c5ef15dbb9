//! The start-up warning about a reverse proxy nobody told OCM about, and what it means for
//! `/metrics`.

use super::Config;

impl Config {
    /// A start-up warning when users evidently reach OCM through a reverse proxy (its public URL
    /// is https, which OCM does not serve itself, or names another port) but no proxy is
    /// trusted: every request then seems to come from the proxy, so sign-in throttling and the
    /// audit log see one address for everybody.
    pub fn proxy_warning(&self, listen: std::net::SocketAddr) -> Option<String> {
        let public = self.public_url.as_deref()?;
        if !self.trusted_proxies.is_empty() {
            return None;
        }
        let (scheme, rest) = public.split_once("://")?;
        let authority = rest.split(['/', '?', '#']).next().unwrap_or(rest);
        let port = match authority.rsplit_once(':') {
            Some((_, port)) if !port.contains(']') => port.parse().ok(),
            _ if scheme == "https" => Some(443),
            _ => Some(80),
        };
        let proxied = scheme == "https" || port != Some(listen.port());
        proxied.then(|| {
            format!(
                "OCM_PUBLIC_URL is {} but OCM listens on http://{listen}: it looks like \
                 OCM runs behind a reverse proxy, and OCM_TRUSTED_PROXIES is empty, so every \
                 client will appear as the proxy's address (one throttling allowance and one \
                 audit address for everyone). Set OCM_TRUSTED_PROXIES to the proxy's address.",
                crate::startup::redact(public)
            )
        })
    }

    /// Who may read `/metrics` when OCM listens on `listen`: a default loopback is withdrawn
    /// (off, with the reason) while OCM evidently sits behind a proxy it does not trust, as
    /// every client would then look local.
    pub fn metrics_access(
        &self,
        listen: std::net::SocketAddr,
    ) -> (super::metrics::MetricsAccess, Option<String>) {
        use super::metrics::MetricsAccess;
        match (&self.metrics, self.proxy_warning(listen)) {
            (MetricsAccess::LoopbackByDefault, Some(_)) => (
                MetricsAccess::Off,
                Some(
                    "/metrics is off: OCM seems to sit behind a proxy it does not trust, so \
                     every client would look local. Set OCM_TRUSTED_PROXIES, or OCM_METRICS=token \
                     (or loopback, if nothing forwards to OCM from elsewhere)."
                        .into(),
                ),
            ),
            (access, _) => (access.clone(), None),
        }
    }
}
