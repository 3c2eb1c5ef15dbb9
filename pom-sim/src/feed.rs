//! The simulator's call-data feed: every attempt, agent state interval, callback, abandoned
//! inbound call and dialer kill-list entry the dialling engine produces, in the order they end,
//! each with a cursor. Read incrementally as JSON lines (`GET /__sim/feed?after=`) or as CSV per
//! kind (`GET /__sim/export/{kind}.csv`), so OCM's report ingestion can consume either.

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde::{Deserialize, Serialize};

use super::Sim;

/// One call attempt.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Attempt {
    pub session_id: String,
    pub organization: String,
    pub job_id: i64,
    pub campaign: String,
    pub campaign_type: String,
    pub list: String,
    pub user_contact_id: String,
    pub address: String,
    pub attempt_number: u32,
    pub attempt_at: String,
    pub ringback_at: Option<String>,
    pub connect_at: Option<String>,
    pub end_at: String,
    /// `answer_human`, `answer_machine`, `busy`, `no_answer`, `failed` or `fax`.
    pub result: String,
    pub completion_code: String,
    pub agent_id: Option<String>,
    pub team: Option<String>,
    pub talk_seconds: i64,
    pub wrap_up_seconds: i64,
    pub nuisance: bool,
}

/// A span of one agent's time in one state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgentInterval {
    pub organization: String,
    pub agent_id: String,
    pub team: String,
    /// `ready`, `not_ready`, `talking` or `wrap_up`.
    pub state: String,
    pub aux_reason: Option<String>,
    pub start_at: String,
    pub end_at: String,
    pub seconds: i64,
    /// The call the agent was on (outbound session id or inbound call id).
    pub session_id: Option<String>,
}

/// A callback arranged on a call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Callback {
    pub session_id: String,
    pub organization: String,
    pub job_id: i64,
    pub campaign: String,
    pub list: String,
    pub user_contact_id: String,
    pub address: String,
    /// `standard`, `agent_owned` or `campaign`.
    pub callback_type: String,
    pub agent_id: Option<String>,
    pub created_at: String,
    pub due_at: String,
}

/// An inbound call to blended agents that nobody answered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InboundAbandon {
    pub call_id: String,
    pub organization: String,
    pub queue: String,
    pub caller: String,
    pub arrived_at: String,
    pub abandoned_at: String,
    pub wait_seconds: i64,
}

/// An address added to the organization's DNC list because the customer asked (`DNCREQ`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DialerKill {
    pub session_id: String,
    pub organization: String,
    pub dnc_list: String,
    pub address: String,
    pub job_id: i64,
    pub campaign: String,
    pub user_contact_id: String,
    pub added_at: String,
}

/// Anything the feed carries.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FeedRecord {
    Attempt(Attempt),
    AgentInterval(AgentInterval),
    Callback(Callback),
    InboundAbandon(InboundAbandon),
    DialerKill(DialerKill),
}

/// The names of the kinds, as in `kind` and the export paths.
pub const KINDS: [&str; 5] = [
    "attempt",
    "agent_interval",
    "callback",
    "inbound_abandon",
    "dialer_kill",
];

impl FeedRecord {
    pub fn kind(&self) -> &'static str {
        match self {
            FeedRecord::Attempt(_) => KINDS[0],
            FeedRecord::AgentInterval(_) => KINDS[1],
            FeedRecord::Callback(_) => KINDS[2],
            FeedRecord::InboundAbandon(_) => KINDS[3],
            FeedRecord::DialerKill(_) => KINDS[4],
        }
    }

    pub fn organization(&self) -> &str {
        match self {
            FeedRecord::Attempt(r) => &r.organization,
            FeedRecord::AgentInterval(r) => &r.organization,
            FeedRecord::Callback(r) => &r.organization,
            FeedRecord::InboundAbandon(r) => &r.organization,
            FeedRecord::DialerKill(r) => &r.organization,
        }
    }
}

/// Published records with their cursors (1, 2, 3, …).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Feed {
    pub records: Vec<FeedRecord>,
}

impl Feed {
    /// Records after `cursor`, optionally of one kind and organization, at most `limit`.
    pub fn after<'a>(
        &'a self,
        cursor: u64,
        kind: Option<&'a str>,
        organization: Option<&'a str>,
    ) -> impl Iterator<Item = (u64, &'a FeedRecord)> + 'a {
        let start = usize::try_from(cursor)
            .unwrap_or(usize::MAX)
            .min(self.records.len());
        self.records[start..]
            .iter()
            .enumerate()
            .map(move |(i, r)| ((start + i + 1) as u64, r))
            .filter(move |(_, r)| kind.is_none_or(|k| r.kind() == k))
            .filter(move |(_, r)| organization.is_none_or(|o| r.organization() == o))
    }

    /// The cursor of the last record.
    pub fn last_cursor(&self) -> u64 {
        self.records.len() as u64
    }
}

/// Unix milliseconds as RFC 3339 UTC.
pub fn iso(ms: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_default()
}

#[derive(Deserialize)]
struct FeedQuery {
    #[serde(default)]
    after: u64,
    limit: Option<usize>,
    kind: Option<String>,
    organization: Option<String>,
}

const MAX_PAGE: usize = 50_000;

/// `GET /__sim/feed`: JSON lines `{"cursor": n, "kind": …, …}`; `X-Next-Cursor` says where to go on.
async fn feed(State(sim): State<Arc<Sim>>, Query(q): Query<FeedQuery>) -> Response {
    let limit = q.limit.unwrap_or(MAX_PAGE).clamp(1, MAX_PAGE);
    let (body, next) = sim.with_world(|w, _| {
        let mut body = String::new();
        let mut next = q.after.min(w.feed.last_cursor());
        let page = w
            .feed
            .after(q.after, q.kind.as_deref(), q.organization.as_deref());
        for (cursor, record) in page.take(limit) {
            let mut line = serde_json::to_value(record).unwrap_or_default();
            line["cursor"] = cursor.into();
            body.push_str(&line.to_string());
            body.push('\n');
            next = cursor;
        }
        (body, next)
    });
    (
        [
            (header::CONTENT_TYPE, "application/x-ndjson".to_string()),
            (
                header::HeaderName::from_static("x-next-cursor"),
                next.to_string(),
            ),
        ],
        body,
    )
        .into_response()
}

/// `GET /__sim/export/{kind}.csv`: one kind as CSV with a header row, cursor first.
async fn export(
    State(sim): State<Arc<Sim>>,
    Path(file): Path<String>,
    Query(q): Query<FeedQuery>,
) -> Response {
    let Some(kind) = file.strip_suffix(".csv").filter(|k| KINDS.contains(k)) else {
        let known = KINDS.map(|k| format!("{k}.csv")).join(", ");
        return (
            StatusCode::NOT_FOUND,
            format!("Unknown export; use one of {known}"),
        )
            .into_response();
    };
    let csv = sim.with_world(|w, _| {
        let mut out = csv::Writer::from_writer(Vec::new());
        let page = w.feed.after(q.after, Some(kind), q.organization.as_deref());
        let mut header_written = false;
        for (cursor, record) in page.take(q.limit.unwrap_or(usize::MAX)) {
            let value = serde_json::to_value(record).unwrap_or_default();
            let Some(fields) = value.as_object() else {
                continue;
            };
            let names: Vec<&String> = fields.keys().filter(|k| *k != "kind").collect();
            if !header_written {
                let _ = out.write_record(
                    std::iter::once("cursor").chain(names.iter().map(|k| k.as_str())),
                );
                header_written = true;
            }
            let cells = names.iter().map(|k| match &fields[*k] {
                serde_json::Value::String(s) => s.clone(),
                serde_json::Value::Null => String::new(),
                other => other.to_string(),
            });
            let _ = out.write_record(std::iter::once(cursor.to_string()).chain(cells));
        }
        out.into_inner().unwrap_or_default()
    });
    ([(header::CONTENT_TYPE, "text/csv; charset=utf-8")], csv).into_response()
}

/// Feed routes.
pub(super) fn routes() -> Router<Arc<Sim>> {
    Router::new()
        .route("/__sim/feed", get(feed))
        .route("/__sim/export/{file}", get(export))
}
