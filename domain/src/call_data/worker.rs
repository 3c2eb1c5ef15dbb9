//! The ingestion loop: reads the feed every `OCM_CALL_DATA_EVERY_MS` until shutdown. Every
//! instance may run it: a page is stored in one transaction, and rows and summaries are keyed,
//! so two readers of the same page add it once (the second's rows conflict and add nothing).

use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use super::ingest::{ingest_once, Feed};
use crate::state::AppState;

/// Reads the feed until `stop` (nothing when no feed is configured).
pub fn spawn(state: AppState, stop: CancellationToken) -> JoinHandle<()> {
    tokio::spawn(async move {
        let settings = &state.settings.call_data;
        let Some(url) = settings.feed_url.clone() else {
            return;
        };
        let mut ticker = tokio::time::interval(settings.every);
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                () = stop.cancelled() => break,
                _ = ticker.tick() => {}
            }
            let feed = Feed {
                pool: &state.pool,
                http: &state.http,
                url: &url,
                time_zone: &settings.time_zone,
                page: settings.page,
                key: &state.settings.erasure_key,
                rules: &state.settings.phone,
            };
            let run = tokio::select! {
                () = stop.cancelled() => break,
                run = ingest_once(&feed) => run,
            };
            match run {
                Ok(run) if run.added > 0 => {
                    tracing::info!(added = run.added, pages = run.pages, "call data ingested")
                }
                Ok(_) => {}
                Err(error) => tracing::debug!(error = %error, "call data: this run stopped"),
            }
        }
    })
}
