//! OCM's one POM client, built from the configuration: the configured POM with its credentials,
//! or demo mode's built-in simulator with its global demo account.

use anyhow::Context;
use domain::settings::PomEndpoint;
use secrecy::ExposeSecret;

use crate::config::Config;

/// The one POM client: the configured POM with its credentials, or the demo simulator with its
/// global demo account.
pub fn client(
    config: &Config,
    endpoint: Option<&PomEndpoint>,
) -> anyhow::Result<Option<pom::client::PomClient>> {
    let Some(endpoint) = endpoint else {
        return Ok(None);
    };
    let base = endpoint.base_url.trim_end_matches('/');
    let origin = base.find("/VP_POM_Service").map_or(base, |at| &base[..at]);
    let (user, password) = match &config.pom {
        Some(pom) => (
            pom.user.clone().unwrap_or_default(),
            pom.password
                .as_ref()
                .map(|p| p.expose_secret().to_string())
                .unwrap_or_default(),
        ),
        None => ("pomadmin".to_string(), "pomadmin".to_string()),
    };
    let mut pom_config = pom::client::PomConfig::for_origin(origin, &user, &password);
    if base.contains("/VP_POM_Service") {
        pom_config.rest_base = base.to_string();
    }
    pom_config.verify_tls = endpoint.verify_tls;
    if let Some(pom) = &config.pom {
        pom_config.timeout = pom.timeout;
    }
    Ok(Some(
        pom::client::PomClient::new(pom_config).context("building the POM client")?,
    ))
}
