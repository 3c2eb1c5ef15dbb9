//! `GET /metrics`: the Prometheus text, for the scraper the setting allows (`config::metrics`):
//! loopback clients or a bearer token. The database's figures are read at each scrape
//! (`domain::ops_figures`); a database that cannot be read says so in `ocm_database_up`.

use std::collections::BTreeMap;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use domain::ops_figures::OpsFigures;
use domain::request_meta::RequestMeta;
use domain::state::AppState;
use secrecy::ExposeSecret;
use sha2::{Digest, Sha256};
use tokio::sync::Mutex;
use types::error::AppError;
use types::model::{JobKind, JobState};

use crate::config::metrics::MetricsAccess;

/// Whether `address` (as resolved through trusted proxies) is this machine.
fn is_loopback(address: &str) -> bool {
    address
        .parse::<IpAddr>()
        .is_ok_and(|ip| ip.to_canonical().is_loopback())
}

/// Whether the request carries `token` as its bearer token (compared as digests: no timing).
fn carries(headers: &HeaderMap, token: &str) -> bool {
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or_default();
    Sha256::digest(given.as_bytes()) == Sha256::digest(token.as_bytes())
}

/// The handler.
pub async fn scrape(
    State(state): State<AppState>,
    Extension(access): Extension<Arc<MetricsAccess>>,
    meta: RequestMeta,
    headers: HeaderMap,
) -> Response {
    match access.as_ref() {
        MetricsAccess::Off => return StatusCode::NOT_FOUND.into_response(),
        MetricsAccess::Loopback | MetricsAccess::LoopbackByDefault
            if !is_loopback(&meta.client_addr) =>
        {
            return (
                StatusCode::FORBIDDEN,
                "Metrics are served to this machine only (OCM_METRICS=loopback).\n",
            )
                .into_response()
        }
        MetricsAccess::Token(token) if !carries(&headers, token.expose_secret()) => {
            return (
                StatusCode::UNAUTHORIZED,
                [(header::WWW_AUTHENTICATE, "Bearer")],
                "A bearer token is required (OCM_METRICS=token).\n",
            )
                .into_response()
        }
        _ => {}
    }
    match figures(&state).await {
        Ok(figures) => {
            metrics::gauge!("ocm_database_up").set(1.0);
            record(&figures);
        }
        Err(error) => {
            tracing::warn!(error = %error, "metrics: the database's figures could not be read");
            metrics::gauge!("ocm_database_up").set(0.0);
        }
    }
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        crate::metrics::handle().render(),
    )
        .into_response()
}

/// How long one reading of the database's figures serves scrapes (several scrapers, or a
/// tight interval, cost one reading).
const FIGURES_FOR: Duration = Duration::from_secs(10);

/// The database's figures, read at most once per [`FIGURES_FOR`] however many scrape; a scrape
/// arriving while they are read waits for that reading.
async fn figures(state: &AppState) -> Result<OpsFigures, AppError> {
    // By database: the tests run many apps, each on its own, in one process.
    static LAST: Mutex<BTreeMap<String, (Instant, OpsFigures)>> = Mutex::const_new(BTreeMap::new());
    let database = state
        .pool
        .connect_options()
        .get_database()
        .unwrap_or_default()
        .to_string();
    let mut last = LAST.lock().await;
    if let Some((_, figures)) = last
        .get(&database)
        .filter(|(at, _)| at.elapsed() < FIGURES_FOR)
    {
        return Ok(figures.clone());
    }
    let read = domain::ops_figures::read(state).await?;
    last.insert(database, (Instant::now(), read.clone()));
    Ok(read)
}

/// The figures as gauges; every job kind and state is set, so a count that fell to none reads 0.
fn record(figures: &OpsFigures) {
    for kind in JobKind::ALL {
        for job_state in JobState::ALL {
            let count = figures
                .jobs
                .iter()
                .find(|(k, s, _)| k == kind.as_str() && s == job_state.as_str())
                .map_or(0, |(_, _, n)| *n);
            metrics::gauge!("ocm_jobs", "kind" => kind.as_str(), "state" => job_state.as_str())
                .set(count as f64);
        }
        let oldest = figures
            .oldest_queued
            .iter()
            .find(|(k, _)| k == kind.as_str())
            .map_or(0.0, |(_, s)| *s);
        metrics::gauge!("ocm_job_queue_oldest_seconds", "kind" => kind.as_str()).set(oldest);
    }
    metrics::gauge!("ocm_completion_rule_applications_waiting")
        .set(figures.rule_applications_waiting as f64);
    metrics::gauge!("ocm_completion_rule_oldest_waiting_seconds")
        .set(figures.rule_oldest_waiting_seconds);
    // Before the first run there is nothing to measure: NaN, not a number that looks fine.
    let lag = figures.ingestion_lag_seconds.map_or(f64::NAN, |l| l as f64);
    metrics::gauge!("ocm_call_data_lag_seconds").set(lag);
    let since = figures.ingestion_last_success_seconds.unwrap_or(f64::NAN);
    metrics::gauge!("ocm_call_data_last_success_seconds").set(since);
    for (organization, percent) in &figures.abandon_percent {
        metrics::gauge!("ocm_abandon_rate_percent", "organization" => organization.clone())
            .set(*percent);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_is_this_machine_in_any_form() {
        for address in ["127.0.0.1", "::1", "::ffff:127.0.0.1"] {
            assert!(is_loopback(address), "{address}");
        }
        for address in ["203.0.113.9", "unknown", "ocm:metrics"] {
            assert!(!is_loopback(address), "{address}");
        }
    }

    #[test]
    fn only_the_exact_bearer_token_is_accepted() {
        let mut headers = HeaderMap::new();
        assert!(!carries(&headers, "t0ken"));
        headers.insert(header::AUTHORIZATION, "Bearer t0ken".parse().unwrap());
        assert!(carries(&headers, "t0ken"));
        headers.insert(header::AUTHORIZATION, "Bearer t0ke".parse().unwrap());
        assert!(!carries(&headers, "t0ken"));
    }
}
