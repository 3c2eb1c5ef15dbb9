//! Configuration parsing: defaults, refusals naming their variable, and secrets kept out of output.

use std::collections::HashMap;

use domain::settings::ListMatch;

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
        ("OCM_PHONE_REGION", "US"),
    ])
    .unwrap();
    assert!(!config.demo_mode());
    assert_eq!(config.phone.region.id(), "US");
    assert!(config.secure_cookies());
    assert_eq!(
        config.pom.unwrap().base_url,
        "https://epm.example/VP_POM_Service/v1"
    );
}

#[test]
fn connected_mode_needs_the_public_url() {
    let error = parse(&[
        DB,
        ("OCM_POM_BASE_URL", "https://epm.example/VP_POM_Service/v1"),
    ])
    .unwrap_err();
    assert_eq!(error.var, "OCM_PUBLIC_URL");
}

#[test]
fn a_proxy_in_front_without_trusted_proxies_is_warned_about() {
    let listen: std::net::SocketAddr = "127.0.0.1:3000".parse().unwrap();
    let https = parse(&[DB, ("OCM_PUBLIC_URL", "https://ocm.example.com")]).unwrap();
    assert!(https
        .proxy_warning(listen)
        .is_some_and(|w| w.contains("OCM_TRUSTED_PROXIES")));
    let trusted = parse(&[
        DB,
        ("OCM_PUBLIC_URL", "https://ocm.example.com"),
        ("OCM_TRUSTED_PROXIES", "10.0.0.1"),
    ])
    .unwrap();
    assert_eq!(trusted.proxy_warning(listen), None);
    let direct = parse(&[DB, ("OCM_PUBLIC_URL", "http://ocm.internal:3000")]).unwrap();
    assert_eq!(direct.proxy_warning(listen), None);
    let other_port = parse(&[DB, ("OCM_PUBLIC_URL", "http://ocm.internal")]).unwrap();
    assert!(other_port.proxy_warning(listen).is_some());
    assert_eq!(parse(&[DB]).unwrap().proxy_warning(listen), None);
}

#[test]
fn the_demo_simulator_stays_on_loopback_unless_allowed() {
    let error = parse(&[DB, ("OCM_SIM_LISTEN", "0.0.0.0:7080")]).unwrap_err();
    assert_eq!(error.var, "OCM_SIM_LISTEN");
    assert!(error.problem.contains("OCM_SIM_ALLOW_REMOTE"), "{error}");
    let allowed = parse(&[
        DB,
        ("OCM_SIM_LISTEN", "0.0.0.0:7080"),
        ("OCM_SIM_ALLOW_REMOTE", "true"),
    ]);
    assert!(allowed.is_ok());
}

#[test]
fn connected_mode_needs_the_phone_region_and_demo_mode_names_its_own() {
    let error = parse(&[
        DB,
        ("OCM_POM_BASE_URL", "https://epm.example/VP_POM_Service/v1"),
        ("OCM_PUBLIC_URL", "https://ocm.example.com"),
    ])
    .unwrap_err();
    assert_eq!(error.var, "OCM_PHONE_REGION");
    let demo = parse(&[DB]).unwrap();
    assert!(demo.phone.demo_default && demo.phone.region.id() == "GB");
}

#[test]
fn preflights_in_flight_default_to_two_and_are_bounded() {
    assert_eq!(parse(&[DB]).unwrap().preflight_parallel, 2);
    let four = parse(&[DB, ("OCM_PREFLIGHT_PARALLEL", "4")]).unwrap();
    assert_eq!(four.preflight_parallel, 4);
    for bad in ["0", "17", "many"] {
        let error = parse(&[DB, ("OCM_PREFLIGHT_PARALLEL", bad)]).unwrap_err();
        assert_eq!(error.var, "OCM_PREFLIGHT_PARALLEL");
    }
}

#[test]
fn the_dnc_list_match_is_read_once_and_unknown_rules_fail_fast() {
    assert_eq!(parse(&[DB]).unwrap().dnc.list_match, ListMatch::Exact);
    let config = parse(&[DB, ("OCM_DNC_LIST_MATCH", " contains ")]).unwrap();
    assert_eq!(config.dnc.list_match, ListMatch::Contains);
    let error = parse(&[DB, ("OCM_DNC_LIST_MATCH", "fuzzy")]).unwrap_err();
    assert_eq!(error.var, "OCM_DNC_LIST_MATCH");
    assert_eq!(error.problem, "'fuzzy' is not exact, prefix or contains");
}

#[test]
fn metrics_left_to_their_default_are_off_behind_an_untrusted_proxy() {
    use super::metrics::MetricsAccess;
    let listen: std::net::SocketAddr = "127.0.0.1:3000".parse().unwrap();
    let behind = parse(&[DB, ("OCM_PUBLIC_URL", "https://ocm.example.com")]).unwrap();
    let (access, reason) = behind.metrics_access(listen);
    assert!(matches!(access, MetricsAccess::Off));
    assert!(reason.is_some_and(|r| r.contains("OCM_TRUSTED_PROXIES")));
    let asked = parse(&[
        DB,
        ("OCM_PUBLIC_URL", "https://ocm.example.com"),
        ("OCM_METRICS", "loopback"),
    ])
    .unwrap();
    assert!(matches!(
        asked.metrics_access(listen),
        (MetricsAccess::Loopback, None)
    ));
    let direct = parse(&[DB]).unwrap();
    assert!(matches!(
        direct.metrics_access(listen),
        (MetricsAccess::LoopbackByDefault, None)
    ));
}
