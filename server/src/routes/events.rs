//! `GET /events`: one server-sent-events stream per browser page carrying the progress of every
//! job the user may see (event `job`, data: a `JobView`). Progress comes from the job hub, which
//! hears Postgres notifications, so no page polls POM or the database. A signed-out caller is
//! refused by `Watcher` (which does not extend the session); the stream ends when the session
//! ends or the server shuts down.

use std::convert::Infallible;
use std::time::Duration;

use axum::http::StatusCode;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use domain::access::Ctx;
use domain::auth::{self, Activity};
use domain::jobs::may_see_job;
use domain::state::AppState;
use futures::StreamExt;
use tokio::sync::broadcast::error::RecvError;
use tower_sessions::Session;
use types::model::CurrentUser;

use crate::edge::{Caller, Watcher};

/// How often an open stream checks that its session is still alive.
pub(super) const SESSION_CHECK: Duration = Duration::from_secs(30);

pub async fn events(session: Session, Watcher(Caller(ctx)): Watcher) -> Response {
    let Ctx {
        state, mut user, ..
    } = ctx;
    if !user.role.can_manage_lists() || user.must_change_password || user.must_enrol_two_factor {
        // 204 tells EventSource not to reconnect: this role has no jobs to watch (nor has anyone
        // who must first replace a one-time password or set up a second factor).
        return StatusCode::NO_CONTENT.into_response();
    }
    let mut receiver = state.jobs.events.subscribe();
    let closing = state.jobs.closing.clone();
    let stream = async_stream("jobs", move |sender| async move {
        let mut check = tokio::time::interval(SESSION_CHECK);
        check.tick().await;
        loop {
            tokio::select! {
                () = closing.cancelled() => return,
                () = sender.closed() => return,
                _ = check.tick() => {
                    // The scope follows the user's current role and organization.
                    match still_signed_in(&state, &session, |u| u.role.can_manage_lists()).await {
                        Some(fresh) => user = fresh,
                        None => return,
                    }
                }
                received = receiver.recv() => match received {
                    Ok(view) if may_see_job(&user, view.kind, &view.organization) => {
                        let Ok(event) = Event::default().event("job").json_data(&view) else { continue };
                        if sender.send(event).await.is_err() {
                            return;
                        }
                    }
                    Ok(_) | Err(RecvError::Lagged(_)) => {}
                    Err(RecvError::Closed) => return,
                },
            }
        }
    });
    Sse::new(stream.map(Ok::<_, Infallible>))
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
        .into_response()
}

/// The session's user as the session holds it now, while still signed in and `allowed`; an open
/// stream asks every [`SESSION_CHECK`] and ends on `None`.
pub(super) async fn still_signed_in(
    state: &AppState,
    session: &Session,
    allowed: impl Fn(&CurrentUser) -> bool,
) -> Option<CurrentUser> {
    match auth::authenticate(state, session, Activity::Peek).await {
        Ok((fresh, _)) if allowed(&fresh) => Some(fresh),
        _ => None,
    }
}

/// A stream fed by a task through a small channel; the task stops when the client goes away.
/// `name` labels it among the open event streams the metrics count.
pub(crate) fn async_stream<F, Fut>(
    name: &'static str,
    produce: F,
) -> impl futures::Stream<Item = Event>
where
    F: FnOnce(tokio::sync::mpsc::Sender<Event>) -> Fut,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let (sender, receiver) = tokio::sync::mpsc::channel(64);
    tokio::spawn(produce(sender));
    tokio_stream_from(receiver, crate::metrics::OpenStream::new(name))
}

fn tokio_stream_from(
    mut receiver: tokio::sync::mpsc::Receiver<Event>,
    open: crate::metrics::OpenStream,
) -> impl futures::Stream<Item = Event> {
    futures::stream::poll_fn(move |cx| {
        // Held by the stream: counted open until the response body is dropped.
        let _ = &open;
        receiver.poll_recv(cx)
    })
}
