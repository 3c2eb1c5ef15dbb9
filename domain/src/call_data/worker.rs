//! The ingestion loop: reads the feed and the import folder every `OCM_CALL_DATA_EVERY_MS` until
//! shutdown. Every instance may run it: a page is stored in one transaction, and rows and
//! summaries are keyed, so two readers of the same page add it once (the second's rows conflict
//! and add nothing).

use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use super::folder::{ingest_folder, Folder};
use super::ingest::{ingest_once, Feed, Run};
use crate::state::AppState;

/// Reads the feed and the folder until `stop` (nothing when neither is configured).
pub fn spawn(state: AppState, stop: CancellationToken) -> JoinHandle<()> {
    tokio::spawn(async move {
        let settings = &state.settings.call_data;
        if settings.feed_url.is_none() && settings.import_dir.is_none() {
            return;
        }
        let mut ticker = tokio::time::interval(settings.every);
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                () = stop.cancelled() => break,
                _ = ticker.tick() => {}
            }
            let run = tokio::select! {
                () = stop.cancelled() => break,
                run = once(&state) => run,
            };
            match run {
                Ok(run) if run.added > 0 => {
                    tracing::info!(added = run.added, pages = run.pages, "call data ingested")
                }
                Ok(_) => {}
                // Each cause is also recorded once per reason on the status page (problems.rs).
                Err(error) => tracing::warn!(error = %error, "call data: this run stopped"),
            }
        }
    })
}

/// One run over the feed, then the folder: a failing input does not keep the other from being
/// read (the first error is returned after both ran).
async fn once(state: &AppState) -> Result<Run, String> {
    let settings = &state.settings.call_data;
    let mut run = Run::default();
    let mut failed = None;
    if let Some(url) = &settings.feed_url {
        let feed = Feed {
            pool: &state.pool,
            http: &state.http,
            url,
            time_zone: &settings.time_zone,
            page: settings.page,
            key: &state.settings.erasure_key,
            rules: &state.settings.phone,
        };
        match ingest_once(&feed).await {
            Ok(done) => run = done,
            Err(error) => failed = Some(error),
        }
    }
    if let Some(dir) = &settings.import_dir {
        let folder = Folder {
            pool: &state.pool,
            dir,
            time_zone: &settings.time_zone,
            page: settings.page,
            key: &state.settings.erasure_key,
            rules: &state.settings.phone,
        };
        match ingest_folder(&folder).await {
            Ok(files) => {
                run.pages += files.pages;
                run.added += files.added;
                run.aside += files.aside;
            }
            Err(error) => failed = failed.or(Some(error)),
        }
    }
    match failed {
        Some(error) => Err(error),
        None => Ok(run),
    }
}
