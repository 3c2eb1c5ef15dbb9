//! `GET /floor/events?organization=<name>`: the floor dashboard's figures as server-sent events
//! (event `floor`, data: a `FloorNow`), once on connect and again whenever they change. Every
//! stream of an organization reads the same figures from `domain::floor`, worked out once per
//! interval however many browsers are open; holding the campaign board keeps POM's job list
//! read at the board's pace meanwhile.

use std::convert::Infallible;
use std::time::Duration;

use axum::extract::Query;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use domain::access::Ctx;
use domain::campaigns::READ_ROLES;
use futures::StreamExt;
use serde::Deserialize;
use tower_sessions::Session;
use types::model::{AuditAction, FloorNow};

use super::campaign_events::Watched;
use super::events::{async_stream, still_signed_in, SESSION_CHECK};
use super::ApiError;
use crate::edge::Watcher;

/// How often a stream looks for new figures (they are worked out at most once per
/// `domain::floor::EVERY` for all streams of the organization together).
const LOOK_EVERY: Duration = Duration::from_millis(500);

#[derive(Deserialize)]
pub struct FloorQuery {
    organization: Option<String>,
}

/// The figures as they compare: when they were worked out, or POM's job list last read, is not a
/// change (sending every read would redraw the block every second under a keyboard user).
fn comparable(figures: &FloorNow) -> FloorNow {
    FloorNow {
        computed_at: String::new(),
        jobs_read_at: None,
        ..figures.clone()
    }
}

pub async fn floor_events(
    session: Session,
    Query(query): Query<FloorQuery>,
    Watcher(caller): Watcher,
) -> Result<Response, ApiError> {
    let Ctx {
        state, user, meta, ..
    } = caller
        .require(AuditAction::CampaignsFloor, &READ_ROLES)
        .await?;
    let watched = Watched {
        ctx: (&state, &user, &meta),
        action: AuditAction::CampaignsFloor,
        asked: query.organization,
    };
    let organization = watched.organization(|| None).await?;
    domain::floor::known(&state.pool, &user, &organization).await?;
    let board = state.campaigns.subscribe(&organization);
    let closing = state.jobs.closing.clone();
    let stream = async_stream(move |sender| async move {
        let _board = board;
        let mut check = tokio::time::interval(SESSION_CHECK);
        check.tick().await;
        let mut look = tokio::time::interval(LOOK_EVERY);
        look.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut sent: Option<FloorNow> = None;
        loop {
            tokio::select! {
                () = closing.cancelled() => return,
                () = sender.closed() => return,
                _ = check.tick() => {
                    if still_signed_in(&state, &session, |u| u.may_see_organization(&organization)).await.is_none() {
                        return;
                    }
                }
                _ = look.tick() => {
                    // A failed working-out is tried again at the next look; the page keeps
                    // the last figures with the time they were worked out.
                    let Ok(figures) = domain::floor::current(&state, &organization).await else { continue };
                    let now = comparable(&figures);
                    if sent.as_ref() == Some(&now) {
                        continue;
                    }
                    let Ok(event) = Event::default().event("floor").json_data(&*figures) else { continue };
                    if sender.send(event).await.is_err() {
                        return;
                    }
                    sent = Some(now);
                }
            }
        }
    });
    Ok(Sse::new(stream.map(Ok::<_, Infallible>))
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
        .into_response())
}
