//! System status: database round trip and POM reachability, for the dashboard and `/readyz`.

use std::time::{Duration, Instant};

use sqlx::PgPool;

use super::state::AppState;
use crate::model::{ComponentState, ComponentStatus, SystemStatus};

fn millis(started: Instant) -> Option<u64> {
    Some(started.elapsed().as_millis() as u64)
}

/// Runs `select 1` against the pool.
pub async fn database(pool: &PgPool) -> ComponentStatus {
    let started = Instant::now();
    let result = tokio::time::timeout(
        Duration::from_secs(3),
        sqlx::query_scalar!("select 1 as \"one!\"").fetch_one(pool),
    )
    .await;
    match result {
        Ok(Ok(_)) => ComponentStatus {
            state: ComponentState::Up,
            detail: "Connected".into(),
            latency_ms: millis(started),
        },
        Ok(Err(error)) => {
            tracing::warn!(error = %error, "database check failed");
            ComponentStatus {
                state: ComponentState::Down,
                detail: "The database did not answer the check query".into(),
                latency_ms: None,
            }
        }
        Err(_) => ComponentStatus {
            state: ComponentState::Down,
            detail: "The database did not answer within 3 seconds".into(),
            latency_ms: None,
        },
    }
}

/// How long a POM probe result is reused: `/readyz` is unauthenticated, so it must not let anyone
/// drive requests at POM.
const PROBE_REUSE: Duration = Duration::from_secs(10);

/// POM's status, probing at most once every [`PROBE_REUSE`].
pub async fn pom(state: &AppState) -> ComponentStatus {
    let mut cache = state.pom_probe.lock().await;
    if let Some((at, status)) = cache.as_ref() {
        if at.elapsed() < PROBE_REUSE {
            return status.clone();
        }
    }
    let status = probe_pom(state).await;
    *cache = Some((Instant::now(), status.clone()));
    status
}

/// Checks that POM's REST base answers HTTP at all (any status counts as reachable).
async fn probe_pom(state: &AppState) -> ComponentStatus {
    let Some(endpoint) = &state.settings.pom else {
        return ComponentStatus {
            state: ComponentState::NotConfigured,
            detail: "POM is not configured (demo mode). Set OCM_POM_BASE_URL to connect a dialer."
                .into(),
            latency_ms: None,
        };
    };
    let started = Instant::now();
    let result = state
        .http
        .get(&endpoint.base_url)
        .timeout(Duration::from_secs(3))
        .send()
        .await;
    match result {
        Ok(response) => ComponentStatus {
            state: ComponentState::Up,
            detail: if endpoint.simulated {
                format!(
                    "Built-in POM simulator with demo data at {}",
                    endpoint.base_url
                )
            } else {
                format!("Reachable (HTTP {})", response.status().as_u16())
            },
            latency_ms: millis(started),
        },
        Err(error) => {
            let detail = if error.is_timeout() {
                "No answer within 3 seconds".to_string()
            } else if error.is_connect() {
                "Connection refused or host unreachable".to_string()
            } else {
                "The request failed (TLS or protocol error)".to_string()
            };
            tracing::warn!(error = %error, "POM reachability check failed");
            ComponentStatus {
                state: ComponentState::Down,
                detail,
                latency_ms: None,
            }
        }
    }
}

/// Both checks, run concurrently.
pub async fn system(state: &AppState) -> SystemStatus {
    let (database, pom) = tokio::join!(database(&state.pool), pom(state));
    SystemStatus {
        database,
        pom,
        version: state.settings.version.clone(),
        demo_mode: state.settings.demo_mode,
        phone_rules: state.settings.phone.describe(),
    }
}
