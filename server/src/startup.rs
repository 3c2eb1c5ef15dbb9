//! Wiring: database pool and migrations, `AppState`, the router with its layers, and serving with
//! graceful shutdown.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use axum::Router;
use domain::campaigns::monitor::CampaignMonitor;
use domain::job_hub::JobHub;
use domain::preflights::Preflights;
use domain::settings::{CallDataSettings, PomEndpoint, Settings};
use domain::state::AppState;
use secrecy::ExposeSecret;
use sqlx::postgres::PgPoolOptions;
use sqlx::PgPool;
use tower_sessions_sqlx_store::PostgresStore;

use crate::config::Config;

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "ocm_session";

/// How long a request waits for a database connection. While Postgres is down, sqlx retries the
/// refused connection until then, so this is how long a page takes to say the database is
/// unavailable; it is long enough to ride out a busy moment of a pool that is up.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(5);

/// Connects to Postgres, saying where (never with the password) when it cannot.
pub async fn connect(config: &Config) -> anyhow::Result<PgPool> {
    let url = config.database_url.expose_secret();
    PgPoolOptions::new()
        .max_connections(config.database_max_connections)
        .acquire_timeout(ACQUIRE_TIMEOUT)
        .connect(url)
        .await
        .with_context(|| {
            format!(
                "cannot connect to the database given by DATABASE_URL ({})",
                redact(url)
            )
        })
}

/// `postgres://user:secret@host/db` → `postgres://user:***@host/db`; a `password=` query
/// parameter is hidden too.
pub fn redact(url: &str) -> String {
    let (url, query) = match url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (url, None),
    };
    let query = query.map(|q| {
        q.split('&')
            .map(|pair| match pair.split_once('=') {
                Some((key, _)) if key.eq_ignore_ascii_case("password") => format!("{key}=***"),
                _ => pair.to_string(),
            })
            .collect::<Vec<_>>()
            .join("&")
    });
    let base = redact_credentials(url);
    match query {
        Some(query) => format!("{base}?{query}"),
        None => base,
    }
}

fn redact_credentials(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let credentials = &url[scheme_end + 3..at];
            match credentials.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme_end + 3], &url[at..]),
                // Postgres names a user there; an http(s) URL's lone token is the secret itself.
                None if url.starts_with("postgres") => url.to_string(),
                None => format!("{}***{}", &url[..scheme_end + 3], &url[at..]),
            }
        }
        _ => url.to_string(),
    }
}

/// Applies OCM's migrations and creates the session store's table.
pub async fn migrate(pool: &PgPool) -> anyhow::Result<()> {
    sqlx::migrate!("../migrations")
        .run(pool)
        .await
        .context("applying database migrations")?;
    PostgresStore::new(pool.clone())
        .migrate()
        .await
        .context("creating the session store table")?;
    Ok(())
}

/// Builds the shared state from configuration. `simulator` is the REST base of the built-in POM
/// simulator when demo mode started one.
pub fn build_state(
    config: &Config,
    pool: PgPool,
    simulator: Option<String>,
) -> anyhow::Result<AppState> {
    let verify_tls = config.pom.as_ref().is_none_or(|p| p.verify_tls);
    if !verify_tls {
        tracing::warn!("OCM_POM_VERIFY_TLS=false: POM's TLS certificate will not be verified");
    }
    let http = reqwest::Client::builder()
        .danger_accept_invalid_certs(!verify_tls)
        .connect_timeout(Duration::from_secs(3))
        .build()
        .context("building the HTTP client")?;
    let call_data = call_data_settings(config, simulator.as_deref());
    let settings = Settings {
        session_idle: config.session_idle,
        session_warning: config.session_warning,
        throttle: config.throttle,
        secure_cookies: config.secure_cookies(),
        demo_mode: config.demo_mode(),
        pom: match (&config.pom, simulator) {
            (Some(pom), _) => Some(PomEndpoint {
                base_url: pom.base_url.clone(),
                verify_tls: pom.verify_tls,
                simulated: false,
            }),
            (None, Some(base_url)) => Some(PomEndpoint {
                base_url,
                verify_tls: true,
                simulated: true,
            }),
            (None, None) => None,
        },
        version: env!("CARGO_PKG_VERSION").to_string(),
        purge: config.purge.clone(),
        jobs: config.jobs.clone(),
        campaigns: config.campaigns.clone(),
        api: config.api.clone(),
        uploads: config.uploads.clone(),
        audit: config.audit.clone(),
        exports: config.exports.clone(),
        erasure_key: std::sync::Arc::new(crate::config::erasure::resolve(&config.erasure_key)?),
        effective: crate::cli::config_lines(config),
        dnc: config.dnc.clone(),
        call_data,
        phone: config.phone.clone(),
    };
    let pom = crate::pom_setup::client(config, settings.pom.as_ref())?;
    let jobs = JobHub::default();
    let preflights = Preflights::new(config.preflight_parallel, jobs.closing.clone());
    let campaigns = CampaignMonitor::new(pool.clone(), pom.clone(), config.campaigns.clone());
    let api = domain::api::runtime::ApiRuntime::start(pool.clone());
    Ok(AppState::new(domain::state::Shared {
        api,
        pool,
        settings: Arc::new(settings),
        http,
        pom_probe: Default::default(),
        pom,
        jobs,
        campaigns,
        sftp: config.sftp.clone(),
        preflights,
        floor: Default::default(),
        callbacks: Default::default(),
    }))
}

/// Call-data settings; in demo mode the feed is the simulator's.
fn call_data_settings(config: &Config, simulator: Option<&str>) -> CallDataSettings {
    let mut call_data = config.call_data.clone();
    if call_data.feed_url.is_none() {
        if let Some(base) = simulator {
            let origin = base.find("/VP_POM_Service").map_or(base, |at| &base[..at]);
            call_data.feed_url = Some(format!("{origin}/__sim/feed"));
        }
    }
    call_data
}

pub use crate::router::build_router;

/// How long in-flight requests (a large export, say) may run after a shutdown signal.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(20);

/// How long blocking work may still run once serving has stopped before the process exits
/// without it (pre-flights stop at the shutdown signal; this covers one that does not).
pub const BLOCKING_GRACE: Duration = Duration::from_secs(5);

/// Serves until `shutdown` completes, then lets in-flight requests finish for at most
/// [`SHUTDOWN_GRACE`].
pub async fn serve(
    listener: tokio::net::TcpListener,
    router: Router,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let (signalled, mut deadline) = tokio::sync::watch::channel(false);
    let shutdown = async move {
        shutdown.await;
        let _ = signalled.send(true);
    };
    // Without TCP_NODELAY an event stream's first event, written just after the headers, waits
    // about 40 ms for the browser's delayed acknowledgement of them (Nagle's algorithm); the load
    // benchmark measured every stream's first event at 43 ms.
    let listener = axum::serve::ListenerExt::tap_io(listener, |tcp| {
        if let Err(error) = tcp.set_nodelay(true) {
            tracing::debug!(%error, "TCP_NODELAY refused");
        }
    });
    let server = axum::serve(
        listener,
        router.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown);
    tokio::select! {
        result = server => result,
        () = async move {
            let _ = deadline.wait_for(|signalled| *signalled).await;
            tokio::time::sleep(SHUTDOWN_GRACE).await;
        } => {
            tracing::warn!(
                "requests still running {} s after the shutdown signal were cut off",
                SHUTDOWN_GRACE.as_secs()
            );
            Ok(())
        }
    }
}

/// Completes on SIGINT or SIGTERM.
pub async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => tracing::info!("SIGINT received: shutting down"),
        () = terminate => tracing::info!("SIGTERM received: shutting down"),
    }
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn database_passwords_are_redacted() {
        assert_eq!(
            redact("postgres://ocm:s3cret@127.0.0.1:5432/ocm"),
            "postgres://ocm:***@127.0.0.1:5432/ocm"
        );
        assert_eq!(
            redact("postgres://ocm@localhost/ocm"),
            "postgres://ocm@localhost/ocm"
        );
        assert_eq!(
            redact("postgres://localhost/ocm"),
            "postgres://localhost/ocm"
        );
        assert_eq!(
            redact("https://tok3n@feed.example/feed"),
            "https://***@feed.example/feed"
        );
        assert_eq!(
            redact("postgres://localhost/ocm?user=a&password=b"),
            "postgres://localhost/ocm?user=a&password=***"
        );
    }
}
