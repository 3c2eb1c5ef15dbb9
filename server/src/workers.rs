//! Background work that runs beside the HTTP server: ending idle sessions (and auditing it),
//! pruning old sign-in failures, deleting expired rows of the session store, erasing expired
//! purge snapshots and the audit log's upkeep. (The durable job runner lives in `domain::jobs`, the campaign poller in
//! `domain::campaigns`.) Stops when the shutdown token is cancelled.

use std::time::Duration;

use domain::audit_trail::AuditMonth;
use domain::settings::AuditSettings;
use domain::{session_end, throttle};
use sqlx::PgPool;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;
use tower_sessions::session_store::ExpiredDeletion;
use tower_sessions_sqlx_store::PostgresStore;

/// How often idle sessions are looked for.
const SWEEP_EVERY: Duration = Duration::from_secs(20);

/// Starts the session sweeper.
pub fn spawn_session_sweeper(
    pool: PgPool,
    idle: Duration,
    stop: CancellationToken,
) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticker = tokio::time::interval(SWEEP_EVERY);
        let mut sweeps: u64 = 0;
        loop {
            tokio::select! {
                () = stop.cancelled() => break,
                _ = ticker.tick() => {}
            }
            match session_end::expire_idle_sessions(&pool, idle, None).await {
                Ok(0) => {}
                Ok(count) => tracing::info!(count, "idle sessions ended"),
                Err(error) => tracing::warn!(error = %error, "session sweep failed"),
            }
            sweeps += 1;
            if sweeps.is_multiple_of(30) {
                if let Err(error) = throttle::prune(&pool).await {
                    tracing::warn!(error = %error, "pruning sign-in failures failed");
                }
            }
        }
    })
}

/// Deletes expired session-store rows every hour.
pub fn spawn_session_store_cleanup(pool: PgPool, stop: CancellationToken) -> JoinHandle<()> {
    tokio::spawn(async move {
        let store = PostgresStore::new(pool);
        tokio::select! {
            () = stop.cancelled() => {}
            result = store.continuously_delete_expired(Duration::from_secs(3600)) => {
                if let Err(error) = result {
                    tracing::warn!(error = %error, "session store cleanup stopped");
                }
            }
        }
    })
}

/// How often expired purge snapshots are looked for.
const RETENTION_EVERY: Duration = Duration::from_secs(3600);

/// Erases expired purge snapshots and contact-upload files, expires unsent DNC uploads, keeps
/// the audit log's partitions and archives (all audited) and the call-data partitions, at
/// start-up and then every hour.
pub fn spawn_snapshot_retention(
    pool: PgPool,
    (audit, retention_months): (AuditSettings, u32),
    stop: CancellationToken,
) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticker = tokio::time::interval(RETENTION_EVERY);
        loop {
            tokio::select! {
                () = stop.cancelled() => break,
                _ = ticker.tick() => {}
            }
            match domain::purge::retention::sweep(&pool).await {
                Ok(swept) if swept.runs > 0 || swept.plans > 0 => tracing::info!(
                    runs = swept.runs,
                    contacts = swept.contacts,
                    plans = swept.plans,
                    "expired purge snapshots erased"
                ),
                Ok(_) => {}
                Err(error) => tracing::warn!(error = %error, "snapshot retention failed"),
            }
            match domain::dnc::expiry::expire_unsent(&pool).await {
                Ok(0) => {}
                Ok(count) => tracing::info!(count, "unsent DNC uploads expired"),
                Err(error) => tracing::warn!(error = %error, "expiring DNC uploads failed"),
            }
            match domain::uploads::retention::sweep(&pool).await {
                Ok(0) => {}
                Ok(count) => tracing::info!(count, "expired contact-upload files erased"),
                Err(error) => tracing::warn!(error = %error, "erasing contact-upload files failed"),
            }
            audit_upkeep(&pool, &audit).await;
            call_data_upkeep(&pool, retention_months).await;
            match domain::api::sweep::run(&pool).await {
                Ok((tokens, keys)) if tokens + keys > 0 => {
                    tracing::info!(
                        tokens,
                        keys,
                        "expired API tokens and idempotency keys deleted"
                    )
                }
                Ok(_) => {}
                Err(error) => tracing::warn!(error = %error, "API sweep failed"),
            }
        }
    })
}

async fn call_data_upkeep(pool: &PgPool, retention_months: u32) {
    let today = time::OffsetDateTime::now_utc().date();
    match domain::call_data::upkeep::run(pool, today, retention_months).await {
        Ok(done) => {
            for partition in &done.dropped {
                tracing::info!(partition, "call data past its retention dropped");
            }
            if done.default_rows_deleted > 0 {
                tracing::info!(
                    rows = done.default_rows_deleted,
                    "call data past its retention deleted from the default partitions"
                );
            }
            for month in &done.blocked {
                tracing::warn!(%month, "call-data month has no partition: a default partition holds its rows");
            }
        }
        Err(error) => tracing::warn!(error = %error, "call-data upkeep failed"),
    }
}

async fn audit_upkeep(pool: &PgPool, settings: &AuditSettings) {
    match domain::audit_trail::upkeep::run(pool, settings, AuditMonth::now()).await {
        Ok(done) => {
            for month in &done.archived {
                tracing::info!(%month, "audit month archived");
            }
            for month in &done.deleted {
                tracing::info!(%month, "audit archive deleted after its retention");
            }
            for month in &done.blocked {
                tracing::warn!(%month, "audit month has no partition: the default partition holds its records");
            }
        }
        Err(error) => tracing::warn!(error = %error, "audit log upkeep failed"),
    }
}

/// Every background worker: sessions, retention, the job runner, the job event relay, call-data
/// ingestion (with the dialer kill list), DNC requests with timed DNC, scheduled exports, and the
/// campaign monitor.
pub fn spawn_all(
    state: &domain::state::AppState,
    session_idle: Duration,
    stop: &CancellationToken,
) -> Vec<JoinHandle<()>> {
    let pool = state.pool.clone();
    vec![
        spawn_session_sweeper(pool.clone(), session_idle, stop.clone()),
        spawn_session_store_cleanup(pool.clone(), stop.clone()),
        spawn_snapshot_retention(
            pool,
            (
                state.settings.audit.clone(),
                state.settings.call_data.retention_months,
            ),
            stop.clone(),
        ),
        domain::jobs::runner::spawn(state.clone(), domain::job_handlers::all(), stop.clone()),
        domain::jobs::events::spawn_relay(state.clone(), stop.clone()),
        domain::call_data::worker::spawn(state.clone(), stop.clone()),
        domain::dnc::requests::worker::spawn(state.clone(), stop.clone()),
        domain::completion_rules::worker::spawn(state.clone(), stop.clone()),
        domain::api::events::hub::spawn(state.clone(), stop.clone()),
        domain::api::webhooks::worker::spawn(state.clone(), stop.clone()),
        domain::export_schedules::worker::spawn(state.clone(), stop.clone()),
        state.campaigns.spawn(stop.clone()),
        crate::metrics::spawn_upkeep(stop.clone()),
    ]
}
