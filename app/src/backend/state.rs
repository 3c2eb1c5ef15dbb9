//! `AppState` (shared by axum handlers and server functions) and the runtime settings it carries.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use sqlx::PgPool;

use super::throttle::ThrottlePolicy;

/// Where OCM reaches POM. Only the base URL matters until the POM client lands.
#[derive(Debug, Clone)]
pub struct PomEndpoint {
    pub base_url: String,
    pub verify_tls: bool,
    /// The built-in simulator started in demo mode.
    pub simulated: bool,
}

/// Settings the backend needs at run time, parsed once from the environment by `server::config`.
#[derive(Debug, Clone)]
pub struct Settings {
    /// A session ends after this much inactivity.
    pub session_idle: Duration,
    /// The page warns this long before the session ends.
    pub session_warning: Duration,
    pub throttle: ThrottlePolicy,
    /// Demo mode: no POM configured; demo users exist.
    pub demo_mode: bool,
    pub pom: Option<PomEndpoint>,
    pub version: String,
}

/// Everything a request handler needs.
#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub pool: PgPool,
    pub settings: Arc<Settings>,
    /// Shared HTTP client for outbound checks.
    pub http: reqwest::Client,
    /// The last POM reachability probe, reused for a few seconds.
    pub pom_probe: super::status::ProbeCache,
}
