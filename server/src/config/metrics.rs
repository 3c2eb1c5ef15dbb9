//! Who may read `/metrics` (`OCM_METRICS`): `loopback` (the default: clients on this machine
//! only, after trusted proxies are resolved, so a scraper beside OCM needs nothing), `token` (a
//! bearer token, `OCM_METRICS_TOKEN`, at least 32 characters, for a scraper elsewhere), or `off`.
//! Left to its default while OCM evidently sits behind a proxy it does not trust (every client
//! would look local), metrics are off (`Config::metrics_access`).

use secrecy::SecretString;

use super::{problem, ConfigError};

/// The shortest token accepted.
const MIN_TOKEN: usize = 32;

/// How `/metrics` is guarded.
#[derive(Debug, Clone)]
pub enum MetricsAccess {
    Off,
    Loopback,
    /// Loopback because nothing was set: withdrawn behind an untrusted proxy.
    LoopbackByDefault,
    Token(SecretString),
}

impl MetricsAccess {
    /// How `ocm check-config` shows it (never the token).
    pub fn describe(&self) -> &'static str {
        match self {
            MetricsAccess::Off => "off",
            MetricsAccess::Loopback | MetricsAccess::LoopbackByDefault => "loopback clients only",
            MetricsAccess::Token(_) => "bearer token (OCM_METRICS_TOKEN, hidden)",
        }
    }
}

/// Reads the setting.
pub fn metrics(lookup: &dyn Fn(&str) -> Option<String>) -> Result<MetricsAccess, ConfigError> {
    let token = lookup("OCM_METRICS_TOKEN").filter(|t| !t.trim().is_empty());
    match lookup("OCM_METRICS").as_deref().map(str::trim) {
        None | Some("") | Some("loopback") if token.is_some() => Err(problem(
            "OCM_METRICS",
            "is not `token` but OCM_METRICS_TOKEN is set: set OCM_METRICS=token to use it",
        )),
        None | Some("") => Ok(MetricsAccess::LoopbackByDefault),
        Some("loopback") => Ok(MetricsAccess::Loopback),
        Some("off") => Ok(MetricsAccess::Off),
        Some("token") => match token {
            Some(t) if t.trim().chars().count() >= MIN_TOKEN => Ok(MetricsAccess::Token(
                SecretString::from(t.trim().to_string()),
            )),
            _ => Err(problem(
                "OCM_METRICS_TOKEN",
                format!(
                    "must be at least {MIN_TOKEN} characters when OCM_METRICS=token \
                     (for example `openssl rand -hex 24`)"
                ),
            )),
        },
        Some(other) => Err(problem(
            "OCM_METRICS",
            format!("must be loopback, token or off, not “{other}”"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(pairs: &[(&str, &str)]) -> Result<MetricsAccess, ConfigError> {
        metrics(&|var| {
            pairs
                .iter()
                .find(|(k, _)| *k == var)
                .map(|(_, v)| v.to_string())
        })
    }

    #[test]
    fn loopback_by_default_and_a_token_only_when_asked_and_long_enough() {
        assert!(matches!(read(&[]), Ok(MetricsAccess::LoopbackByDefault)));
        let asked = read(&[("OCM_METRICS", "loopback")]);
        assert!(matches!(asked, Ok(MetricsAccess::Loopback)));
        assert!(matches!(
            read(&[("OCM_METRICS", "off")]),
            Ok(MetricsAccess::Off)
        ));
        let long = "x".repeat(32);
        let token = read(&[("OCM_METRICS", "token"), ("OCM_METRICS_TOKEN", &long)]);
        assert!(matches!(token, Ok(MetricsAccess::Token(_))));
        let short = read(&[("OCM_METRICS", "token"), ("OCM_METRICS_TOKEN", "short")]);
        assert_eq!(short.unwrap_err().var, "OCM_METRICS_TOKEN");
        let unused = read(&[("OCM_METRICS_TOKEN", &long)]);
        assert_eq!(unused.unwrap_err().var, "OCM_METRICS");
        assert_eq!(
            read(&[("OCM_METRICS", "public")]).unwrap_err().var,
            "OCM_METRICS"
        );
    }
}
