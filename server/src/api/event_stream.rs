//! The events stream of one client: subscribed to this instance's event hub first, then the
//! events after `Last-Event-ID` replayed from the database, then the hub's (anything already
//! sent skipped by its place), again from the database when the stream fell behind the hub. The
//! token is checked again every 30 seconds; a client may hold a few streams per instance.

use std::collections::HashMap;
use std::convert::Infallible;
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

use axum::http::{HeaderMap, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use domain::api::events::{after, kept, ApiEvent, Cursor};
use domain::api::tokens;
use futures::StreamExt;
use tokio::sync::broadcast::error::RecvError;
use tokio::sync::mpsc::Sender;
use tokio_util::sync::CancellationToken;
use uuid::Uuid;

use super::events::{view, Wanted};
use crate::edge::api::{ApiCaller, Problem};
use crate::routes::events::async_stream;

/// Streams one client may hold open on one instance.
const STREAMS_PER_CLIENT: usize = 5;
/// What a `gap` event (and a page's `gap`) says.
pub(super) const GAP: &str =
    "the event to resume after is no longer kept (seven days): events between it and the next may be missing";
/// How often an open stream checks that its token still stands.
const TOKEN_CHECK: Duration = Duration::from_secs(30);

fn open_streams() -> &'static Mutex<HashMap<Uuid, usize>> {
    static OPEN: OnceLock<Mutex<HashMap<Uuid, usize>>> = OnceLock::new();
    OPEN.get_or_init(Mutex::default)
}

/// One of a client's open streams; counted while it lives.
struct Slot(Uuid);

impl Slot {
    fn take(client: Uuid) -> Option<Slot> {
        let mut open = open_streams().lock().unwrap_or_else(|p| p.into_inner());
        let count = open.entry(client).or_default();
        if *count >= STREAMS_PER_CLIENT {
            return None;
        }
        *count += 1;
        Some(Slot(client))
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut open = open_streams().lock().unwrap_or_else(|p| p.into_inner());
        if let Some(count) = open.get_mut(&self.0) {
            *count = count.saturating_sub(1);
            if *count == 0 {
                open.remove(&self.0);
            }
        }
    }
}

fn sse(event: &ApiEvent) -> Option<Event> {
    Event::default()
        .id(event.cursor.text())
        .event(event.kind.as_str())
        .json_data(view(event))
        .ok()
}

/// Sends what `wanted` passes of the events after `*sent` in the database; false when the
/// stream must end: the client is gone, or the database could not be read (the stream ends
/// rather than skip what it could not read; the client resumes with `Last-Event-ID`).
async fn replay(
    caller: &ApiCaller,
    wanted: &Wanted,
    sent: &mut Cursor,
    (sender, closing): (&Sender<Event>, &CancellationToken),
) -> bool {
    loop {
        let Ok(batch) = after(&caller.state.pool, *sent, 500).await else {
            end(sender, "database_unavailable").await;
            return false;
        };
        let full = batch.len() == 500;
        for event in batch {
            *sent = event.cursor;
            if wanted.wants(&event) {
                if let Some(e) = sse(&event) {
                    if !send(sender, closing, e).await {
                        return false;
                    }
                }
            }
        }
        if !full {
            return true;
        }
    }
}

/// Sends one event; false when the client is gone or the server shuts down meanwhile (a client
/// that stopped reading must not hold the shutdown).
async fn send(sender: &Sender<Event>, closing: &CancellationToken, event: Event) -> bool {
    tokio::select! {
        sent = sender.send(event) => sent.is_ok(),
        () = closing.cancelled() => false,
    }
}

async fn end(sender: &Sender<Event>, reason: &str) {
    let data = serde_json::json!({ "reason": reason });
    if let Ok(event) = Event::default().event("end").json_data(data) {
        let _ = sender.send(event).await;
    }
}

/// The stream, or 429 `too_many_streams` when the client has its share open here.
pub(super) async fn stream(
    caller: ApiCaller,
    mut wanted: Wanted,
    resume: Option<Cursor>,
    headers: &HeaderMap,
) -> Response {
    let Some(slot) = Slot::take(caller.principal.client_id) else {
        let mut problem = Problem::new(
            StatusCode::TOO_MANY_REQUESTS,
            "too_many_streams",
            format!("This client has {STREAMS_PER_CLIENT} event streams open here: close one."),
        );
        problem.retry_after = Some(30);
        return problem.into_response();
    };
    let token = headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split_once(' ').map(|(_, t)| t.trim().to_string()))
        .unwrap_or_default();
    let mut hub = caller.state.api.events.events.subscribe();
    let start = match resume {
        Some(cursor) => Ok(cursor),
        None => domain::api::events::now(&caller.state.pool).await,
    };
    let Ok(mut sent) = start else {
        return Problem::from(types::error::AppError::Internal("events".into())).into_response();
    };
    let gap = match resume {
        Some(cursor) => !kept(&caller.state.pool, cursor).await.unwrap_or(true),
        None => false,
    };
    let closing = caller.state.jobs.closing.clone();
    let body = async_stream("api", move |sender| async move {
        let _slot = slot;
        if gap {
            let data = serde_json::json!({ "reason": GAP });
            if let Ok(event) = Event::default().event("gap").json_data(data) {
                if !send(&sender, &closing, event).await {
                    return;
                }
            }
        }
        if !replay(&caller, &wanted, &mut sent, (&sender, &closing)).await {
            return;
        }
        let mut check = tokio::time::interval(TOKEN_CHECK);
        check.tick().await;
        loop {
            tokio::select! {
                () = closing.cancelled() => return end(&sender, "server_shutdown").await,
                () = sender.closed() => return,
                _ = check.tick() => {
                    // The client as it stands now: disabled, or its scopes narrowed, shows here.
                    match tokens::authenticate(&caller.state, &token).await {
                        Ok(fresh) => wanted.client = fresh,
                        Err(_) => return end(&sender, "token_no_longer_valid").await,
                    }
                }
                received = hub.recv() => match received {
                    Ok(event) if event.cursor > sent => {
                        sent = event.cursor;
                        let Some(e) = wanted.wants(&event).then(|| sse(&event)).flatten() else { continue };
                        if !send(&sender, &closing, e).await {
                            return;
                        }
                    }
                    Ok(_) => {}
                    Err(RecvError::Lagged(_)) => {
                        if !replay(&caller, &wanted, &mut sent, (&sender, &closing)).await {
                            return;
                        }
                    }
                    Err(RecvError::Closed) => return end(&sender, "server_shutdown").await,
                },
            }
        }
    });
    Sse::new(body.map(Ok::<_, Infallible>))
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
        .into_response()
}
