//! `GET /campaigns/events?organization=<name>`: the organization's campaign board as server-sent
//! events (event `board`, data: a `CampaignBoard`), once on connect and again on every change;
//! between changes, every few seconds, event `read` (`{read_at}`) says when POM was last read.
//! Every stream of an organization shares one board fed by the server's one poller, so the
//! number of browsers does not change how often POM is read.

use std::convert::Infallible;
use std::time::Duration;

use axum::extract::Query;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use domain::access::Ctx;
use domain::audit::{self, Actor, AuditEvent, Outcome};
use domain::campaigns::{for_user, organization_for, READ_ROLES};
use domain::organizations;
use domain::request_meta::RequestMeta;
use domain::state::AppState;
use futures::StreamExt;
use serde::Deserialize;
use tower_sessions::Session;
use types::model::{AuditAction, CampaignBoard, CurrentUser};

use super::events::{async_stream, still_signed_in, SESSION_CHECK};
use super::ApiError;
use crate::edge::Watcher;

/// How often a stream tells the browser when POM was last read (when it was read since).
const READ_EVERY: Duration = Duration::from_secs(5);

#[derive(Deserialize)]
pub struct BoardQuery {
    organization: Option<String>,
}

pub async fn campaign_events(
    session: Session,
    Query(query): Query<BoardQuery>,
    Watcher(caller): Watcher,
) -> Result<Response, ApiError> {
    // Refusals are audited like any other refused request.
    let Ctx {
        state,
        mut user,
        meta,
        ..
    } = caller
        .require(AuditAction::CampaignsEvents, &READ_ROLES)
        .await?;
    let organizations = organizations::for_user(&state.pool, &user).await?;
    let watched = Watched {
        ctx: (&state, &user, &meta),
        action: AuditAction::CampaignsEvents,
        asked: query.organization,
    };
    let organization = watched
        .organization(|| organizations.first().cloned())
        .await?;
    let mut board = state.campaigns.subscribe(&organization);
    let closing = state.jobs.closing.clone();
    let stream = async_stream("campaigns", move |sender| async move {
        let mut check = tokio::time::interval(SESSION_CHECK);
        check.tick().await;
        let mut read_tick = tokio::time::interval(READ_EVERY);
        read_tick.tick().await;
        let first = board.borrow_and_update().clone();
        let mut read_sent = first.read_at.clone();
        if let Some(event) = board_event(&for_user(&first, &user, organizations.clone())) {
            if sender.send(event).await.is_err() {
                return;
            }
        }
        loop {
            tokio::select! {
                () = closing.cancelled() => return,
                () = sender.closed() => return,
                _ = check.tick() => {
                    match still_signed_in(&state, &session, |u| u.may_see_organization(&organization)).await {
                        Some(fresh) => user = fresh,
                        None => return,
                    }
                }
                _ = read_tick.tick() => {
                    let read_at = board.borrow().read_at.clone();
                    if read_at == read_sent {
                        continue;
                    }
                    let data = serde_json::json!({ "read_at": read_at });
                    let Ok(event) = Event::default().event("read").json_data(data) else { continue };
                    if sender.send(event).await.is_err() {
                        return;
                    }
                    read_sent = read_at;
                }
                changed = board.changed() => {
                    if changed.is_err() {
                        return;
                    }
                    let current = board.borrow_and_update().clone();
                    read_sent = current.read_at.clone();
                    let Some(event) = board_event(&for_user(&current, &user, organizations.clone())) else { continue };
                    if sender.send(event).await.is_err() {
                        return;
                    }
                }
            }
        }
    });
    Ok(Sse::new(stream.map(Ok::<_, Infallible>))
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
        .into_response())
}

/// The organization a stream asks for, checked: one the caller may not see is refused as
/// "not found" and the refusal audited.
pub(super) struct Watched<'a> {
    pub ctx: (&'a AppState, &'a CurrentUser, &'a RequestMeta),
    pub action: AuditAction,
    pub asked: Option<String>,
}

impl Watched<'_> {
    /// The organization asked for, or `default` (else the caller's own) when none is.
    pub async fn organization(
        self,
        default: impl FnOnce() -> Option<String>,
    ) -> Result<String, ApiError> {
        let (state, user, meta) = self.ctx;
        let Some(asked) = self.asked.filter(|o| !o.trim().is_empty()) else {
            return Ok(default().unwrap_or_else(|| user.organization.clone()));
        };
        match organization_for(user, &asked) {
            Ok(organization) => Ok(organization),
            Err(refusal) => {
                let event = AuditEvent::new(AuditAction::AccessDenied, Outcome::Denied)
                    .with_target(self.action.as_str())
                    .with_parameters(serde_json::json!({
                        "organization": asked.chars().take(100).collect::<String>()
                    }));
                audit::record(&state.pool, &Actor::user(user), meta, event)
                    .await
                    .map_err(types::error::AppError::from)?;
                Err(refusal.into())
            }
        }
    }
}

fn board_event(board: &CampaignBoard) -> Option<Event> {
    Event::default().event("board").json_data(board).ok()
}
