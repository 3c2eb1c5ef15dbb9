//! The one loop behind the streams of shared figures (`/floor/events`, `/callbacks/events`):
//! look for the figures every half second (they are worked out once per interval for every
//! stream together), send them when they changed, re-check the session every 30 s, and end on
//! shutdown, a closed connection or a session that no longer may read the organization.

use std::convert::Infallible;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use domain::error::AppError;
use domain::model::CurrentUser;
use domain::state::AppState;
use futures::StreamExt;
use serde::Serialize;
use tower_sessions::Session;

use super::events::{async_stream, still_signed_in, SESSION_CHECK};

/// How often a stream looks for new figures.
const LOOK_EVERY: Duration = Duration::from_millis(500);

/// What one stream follows.
pub struct Follow<Read, Same, Keep> {
    /// The event's name.
    pub event: &'static str,
    /// Reads the shared figures.
    pub read: Read,
    /// The figures as they compare: parts that change on every working-out (the time it was
    /// done) are not a change worth redrawing a page for.
    pub comparable: Same,
    /// Whether the session's user may still read these figures.
    pub may_read: fn(&CurrentUser, &str) -> bool,
    /// The organization followed (`*`: every one).
    pub organization: String,
    /// Held while the stream lives (the campaign board's subscription, say).
    pub keep: Keep,
}

/// The stream's response: the figures once on connect and again whenever they change.
pub fn follow<T, C, Read, Fut, Same, Keep>(
    state: AppState,
    session: Session,
    follow: Follow<Read, Same, Keep>,
) -> Response
where
    T: Serialize + Send + Sync + 'static,
    C: PartialEq + Send + 'static,
    Read: Fn(AppState, String) -> Fut + Send + 'static,
    Fut: Future<Output = Result<Arc<T>, AppError>> + Send,
    Same: Fn(&T) -> C + Send + 'static,
    Keep: Send + 'static,
{
    let closing = state.jobs.closing.clone();
    let name = follow.event;
    let stream = async_stream(name, move |sender| async move {
        let Follow {
            event,
            read,
            comparable,
            may_read,
            organization,
            keep,
        } = follow;
        let _keep = keep;
        let mut check = tokio::time::interval(SESSION_CHECK);
        check.tick().await;
        let mut look = tokio::time::interval(LOOK_EVERY);
        look.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut sent: Option<C> = None;
        loop {
            tokio::select! {
                () = closing.cancelled() => return,
                () = sender.closed() => return,
                _ = check.tick() => {
                    if still_signed_in(&state, &session, |u| may_read(u, &organization)).await.is_none() {
                        return;
                    }
                }
                _ = look.tick() => {
                    // A failed working-out is tried again at the next look; the page keeps
                    // the last figures with the time they were worked out.
                    let Ok(figures) = read(state.clone(), organization.clone()).await else { continue };
                    let now = comparable(&figures);
                    if sent.as_ref() == Some(&now) {
                        continue;
                    }
                    let Ok(message) = Event::default().event(event).json_data(&*figures) else { continue };
                    if sender.send(message).await.is_err() {
                        return;
                    }
                    sent = Some(now);
                }
            }
        }
    });
    Sse::new(stream.map(Ok::<_, Infallible>))
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
        .into_response()
}
