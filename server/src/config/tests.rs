//! Configuration parsing: defaults, refusals naming their variable, and secrets kept out of output.

use std::collections::HashMap;

use super::*;

fn parse(pairs: &[(&str, &str)]) -> Result<Config, ConfigError> {
    let map: HashMap<String, String> = pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    Config::from_lookup(&move |var| map.get(var).cloned())
}

const DB: (&str, &str) = ("DATABASE_URL", "postgres://ocm@localhost/ocm");

#[test]
fn defaults_apply_when_only_the_database_is_set() {
    let config = parse(&[DB]).unwrap();
    assert_eq!(config.session_idle, Duration::from_secs(900));
    assert_eq!(config.session_warning, Duration::from_secs(60));
    assert_eq!(config.throttle, ThrottlePolicy::default());
    assert!(config.demo_mode());
    assert!(!config.secure_cookies());
}

#[test]
fn missing_database_url_names_the_variable() {
    assert_eq!(parse(&[]).unwrap_err().var, "DATABASE_URL");
}

#[test]
fn invalid_values_name_their_variable() {
    let error = parse(&[DB, ("OCM_SESSION_IDLE_SECS", "soon")]).unwrap_err();
    assert_eq!(error.var, "OCM_SESSION_IDLE_SECS");
    let error = parse(&[
        DB,
        ("OCM_SESSION_IDLE_SECS", "30"),
        ("OCM_SESSION_WARNING_SECS", "30"),
    ])
    .unwrap_err();
    assert_eq!(error.var, "OCM_SESSION_WARNING_SECS");
    let error = parse(&[DB, ("OCM_POM_BASE_URL", "epm.example")]).unwrap_err();
    assert_eq!(error.var, "OCM_POM_BASE_URL");
    let error = parse(&[
        DB,
        ("OCM_POM_BASE_URL", "https://epm.example/VP_POM_Service/v1"),
        ("OCM_POM_VERIFY_TLS", "maybe"),
    ])
    .unwrap_err();
    assert_eq!(error.var, "OCM_POM_VERIFY_TLS");
    assert_eq!(
        parse(&[DB, ("OCM_LOG_FORMAT", "xml")]).unwrap_err().var,
        "OCM_LOG_FORMAT"
    );
    let error = parse(&[DB, ("OCM_TRUSTED_PROXIES", "10.0.0.1, proxy")]).unwrap_err();
    assert_eq!(error.var, "OCM_TRUSTED_PROXIES");
    let config = parse(&[DB, ("OCM_TRUSTED_PROXIES", "10.0.0.1, ::1")]).unwrap();
    assert_eq!(config.trusted_proxies.len(), 2);
}

#[test]
fn pom_configuration_leaves_demo_mode_and_https_sets_secure_cookies() {
    let config = parse(&[
        DB,
        ("OCM_POM_BASE_URL", "https://epm.example/VP_POM_Service/v1/"),
        ("OCM_PUBLIC_URL", "https://ocm.example.com"),
    ])
    .unwrap();
    assert!(!config.demo_mode());
    assert!(config.secure_cookies());
    assert_eq!(
        config.pom.unwrap().base_url,
        "https://epm.example/VP_POM_Service/v1"
    );
}
