//! `GET /api/v1/events`: what happened that the client may see (campaign job states, emergency
//! mode, its organization's DNC and record-cancel receipts), as server-sent events with
//! `Accept: text/event-stream` (resumable with `Last-Event-ID`, `event_stream.rs`) or as a JSON
//! page after a cursor otherwise. Events are `domain::api::events`; the scopes a kind needs are
//! `types::model::EVENT_KINDS`.

use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use axum::Json;
use domain::api::events::{after, kept, ApiEvent, Cursor};
use domain::api::ApiPrincipal;
use domain::audit::Outcome;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use types::model::{event_kind_allowed, AuditAction, EVENT_KINDS};
use utoipa::{IntoParams, ToSchema};

use super::event_stream::stream;
use super::paging::{ApiQuery, DEFAULT_LIMIT, MAX_LIMIT};
use crate::edge::api::{ApiCaller, Problem, ReadRefusals};

const ROUTE: &str = "GET /api/v1/events";
/// Events looked at for one JSON page at most (a client seeing few kinds may get a short page).
const SCAN: i64 = 5_000;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct EventsQuery {
    /// Comma-separated kinds (default: every kind the client's scopes allow).
    pub types: Option<String>,
    /// Only this organization's events (and those for every organization); a client of one
    /// organization may only name its own.
    pub organization: Option<String>,
    /// JSON page: the events after this event id (default: the oldest kept, seven days).
    pub cursor: Option<String>,
    /// JSON page: events per page (1 to 500, default 100).
    pub limit: Option<usize>,
}

/// What a client receives per event, on the stream and in a webhook's body.
#[derive(Debug, Serialize, ToSchema)]
pub struct EventView {
    /// The event id (`TX-ID`): `Last-Event-ID` or `cursor` resume after it.
    pub id: String,
    /// `campaign.job_state`, `emergency.enabled`, `emergency.disabled`, `dnc.request_state` or
    /// `records.cancel_state`.
    #[serde(rename = "type")]
    pub kind: String,
    /// None: every organization.
    pub organization: Option<String>,
    pub occurred_at: String,
    #[schema(value_type = Object)]
    pub data: Value,
}

/// A page of events.
#[derive(Debug, Serialize, ToSchema)]
pub struct EventPage {
    pub items: Vec<EventView>,
    /// Where the next page starts (the last event looked at): poll again with it.
    pub next_cursor: Option<String>,
    /// The cursor's event is no longer kept (seven days): events between it and the first item
    /// may be missing.
    pub gap: bool,
}

/// What a stream or page passes on.
#[derive(Clone)]
pub(super) struct Wanted {
    pub(super) client: ApiPrincipal,
    kinds: Vec<String>,
    organization: Option<String>,
}

impl Wanted {
    pub(super) fn wants(&self, event: &ApiEvent) -> bool {
        event.visible_to(&self.client)
            && self.kinds.contains(&event.kind)
            && match (&self.organization, &event.organization) {
                (Some(mine), Some(theirs)) => mine == theirs,
                _ => true,
            }
    }
}

async fn wanted(caller: &ApiCaller, query: &EventsQuery) -> Result<Wanted, Problem> {
    let scopes = &caller.principal.scopes;
    let allowed: Vec<String> = EVENT_KINDS
        .iter()
        .map(|(kind, _, _)| kind.to_string())
        .filter(|kind| event_kind_allowed(kind, scopes))
        .collect();
    if allowed.is_empty() {
        let details = (Outcome::Denied, serde_json::json!({ "scope": "events" }));
        caller
            .audit(AuditAction::ApiScopeDenied, ROUTE, Some(details))
            .await?;
        return Err(Problem::new(
            axum::http::StatusCode::FORBIDDEN,
            "insufficient_scope",
            "This client has no scope that lets it see events (campaigns:read, campaigns:control, emergency, dnc or records).",
        ));
    }
    let kinds = match query.types.as_deref().filter(|t| !t.trim().is_empty()) {
        None => allowed,
        Some(list) => {
            let mut kinds = Vec::new();
            for kind in list.split(',').map(str::trim) {
                if !EVENT_KINDS.iter().any(|(k, _, _)| *k == kind) {
                    return Err(Problem::invalid(
                        "types",
                        format!("{kind} is not an event kind"),
                    ));
                }
                if !allowed.iter().any(|k| k == kind) {
                    return Err(Problem::invalid(
                        "types",
                        format!("this client's scopes do not let it see {kind}"),
                    ));
                }
                kinds.push(kind.to_string());
            }
            kinds
        }
    };
    let organization = match (
        &caller.principal.organization,
        query.organization.as_deref(),
    ) {
        (_, None) => None,
        (_, Some(asked)) => Some(caller.ctx(Some(asked)).await?.user.organization),
    };
    Ok(Wanted {
        client: caller.principal.clone(),
        kinds,
        organization,
    })
}

pub(super) fn view(event: &ApiEvent) -> EventView {
    let mut envelope = event.envelope();
    EventView {
        id: event.cursor.text(),
        kind: event.kind.clone(),
        organization: event.organization.clone(),
        occurred_at: envelope["occurred_at"]
            .as_str()
            .unwrap_or_default()
            .to_string(),
        data: envelope["data"].take(),
    }
}

async fn json_page(
    caller: &ApiCaller,
    wanted: &Wanted,
    query: &EventsQuery,
) -> Result<EventPage, Problem> {
    let limit = query.limit.unwrap_or(DEFAULT_LIMIT);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(Problem::invalid("limit", format!("1 to {MAX_LIMIT}")));
    }
    let mut place = match query.cursor.as_deref().filter(|c| !c.is_empty()) {
        None => Cursor::default(),
        Some(text) => Cursor::parse(text).ok_or_else(|| {
            Problem::invalid("cursor", "an event id from an earlier page or event")
        })?,
    };
    let gap = place != Cursor::default()
        && !kept(&caller.state.pool, place)
            .await
            .map_err(types::error::AppError::from)?;
    let (mut items, mut scanned) = (Vec::new(), 0);
    while items.len() < limit && scanned < SCAN {
        let batch = after(&caller.state.pool, place, 500)
            .await
            .map_err(types::error::AppError::from)?;
        let full = batch.len() == 500;
        for event in batch {
            scanned += 1;
            place = event.cursor;
            if wanted.wants(&event) {
                items.push(view(&event));
                if items.len() == limit {
                    break;
                }
            }
        }
        if !full {
            break;
        }
    }
    Ok(EventPage {
        items,
        next_cursor: (place != Cursor::default()).then(|| place.text()),
        gap,
    })
}

/// Events the client may see: a stream with `Accept: text/event-stream` (each event's `id`,
/// `event` = its type, `data` = the JSON of `EventView`; resumed after `Last-Event-ID` for seven
/// days; ends with an `end` event when the token expires or the client is disabled), else a
/// JSON page after `cursor`.
#[utoipa::path(get, path = "/events", tag = "events", params(EventsQuery,
        ("Last-Event-ID" = Option<String>, Header, description = "Stream: resume after this event id")),
    security(("bearer" = ["campaigns:read", "campaigns:control", "emergency", "dnc", "records"])),
    responses((status = 200, body = EventPage, description = "A JSON page, or with Accept: text/event-stream the stream of EventView"),
              ReadRefusals))]
pub async fn events(
    caller: ApiCaller,
    ApiQuery(query): ApiQuery<EventsQuery>,
    headers: HeaderMap,
) -> Response {
    let wanted = match wanted(&caller, &query).await {
        Ok(wanted) => wanted,
        Err(problem) => return problem.into_response(),
    };
    let scope = wanted.organization.clone().unwrap_or_else(|| {
        caller
            .principal
            .organization
            .as_ref()
            .map_or_else(|| "(all)".to_string(), |(_, name)| name.clone())
    });
    if let Err(problem) = caller.audit_read(ROUTE, &scope).await {
        return problem.into_response();
    }
    let streaming = headers
        .get(header::ACCEPT)
        .and_then(|a| a.to_str().ok())
        .is_some_and(|a| a.contains("text/event-stream"));
    if streaming {
        let resume = headers
            .get("last-event-id")
            .and_then(|v| v.to_str().ok())
            .map(|text| {
                Cursor::parse(text).ok_or_else(|| {
                    Problem::invalid("Last-Event-ID", "an event id this stream sent")
                })
            });
        return match resume.transpose() {
            Ok(resume) => stream(caller, wanted, resume, &headers).await,
            Err(problem) => problem.into_response(),
        };
    }
    match json_page(&caller, &wanted, &query).await {
        Ok(page) => Json(page).into_response(),
        Err(problem) => problem.into_response(),
    }
}
