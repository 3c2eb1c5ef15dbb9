//! This instance's relay of integrator events to its open event streams: one task reads new
//! events once (woken by `NOTIFY ocm_api_event`, and every second, since an event held back
//! behind a longer transaction is not announced again) and broadcasts them; each stream filters
//! what its client may see. Nobody listening: the place moves on without reading.

use std::sync::Arc;
use std::time::Duration;

use sqlx::postgres::PgListener;
use tokio::sync::broadcast;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use super::{after, now, ApiEvent, Cursor};
use crate::state::AppState;

/// Events read per query.
const READ: i64 = 500;
/// How often the place is looked at without a notification.
const POLL: Duration = Duration::from_secs(1);

/// Events as this instance reads them, for its streams.
#[derive(Clone)]
pub struct EventHub {
    pub events: broadcast::Sender<Arc<ApiEvent>>,
}

impl Default for EventHub {
    fn default() -> Self {
        EventHub {
            events: broadcast::channel(4096).0,
        }
    }
}

/// Reads and broadcasts until `stop`.
pub fn spawn(state: AppState, stop: CancellationToken) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut place: Option<Cursor> = None;
        let mut listener = None;
        loop {
            if listener.is_none() {
                listener = listen(&state).await;
            }
            if let Err(error) = relay(&state, &mut place).await {
                tracing::warn!(error = %error, "API events: reading new events failed");
            }
            let heard = async {
                match listener.as_mut() {
                    Some(l) => l.recv().await.map(|_| ()),
                    None => std::future::pending().await,
                }
            };
            tokio::select! {
                () = stop.cancelled() => return,
                heard = heard => {
                    if heard.is_err() {
                        listener = None;
                    }
                }
                () = tokio::time::sleep(POLL) => {}
            }
        }
    })
}

async fn listen(state: &AppState) -> Option<PgListener> {
    let mut listener = PgListener::connect_with(&state.pool).await.ok()?;
    listener.listen("ocm_api_event").await.ok()?;
    Some(listener)
}

/// Broadcasts every event after `place` (from now, the first time or with nobody listening).
async fn relay(state: &AppState, place: &mut Option<Cursor>) -> Result<(), sqlx::Error> {
    let hub = &state.api.events;
    if hub.events.receiver_count() == 0 || place.is_none() {
        *place = Some(now(&state.pool).await?);
        return Ok(());
    }
    let mut from = place.unwrap_or_default();
    loop {
        let batch = after(&state.pool, from, READ).await?;
        let full = batch.len() as i64 == READ;
        for event in batch {
            from = event.cursor;
            let _ = hub.events.send(Arc::new(event));
        }
        *place = Some(from);
        if !full {
            return Ok(());
        }
    }
}
