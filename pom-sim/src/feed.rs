//! The simulator's call-data feed: every attempt, agent state interval, callback, inbound call
//! (answered or abandoned), dialer kill-list entry, job state change, contact passed over and sale
//! the dialling engine produces, in the order they end, each with a cursor. Read incrementally as
//! JSON lines (`GET /__sim/feed?after=`) or as CSV per kind (`GET /__sim/export/{kind}.csv`), so
//! OCM's report ingestion can consume either. The records and the contract's version are in
//! `records.rs`.

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde::{Deserialize, Serialize};

use super::Sim;

mod records;
mod states;
pub use records::*;

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
    // The feed fails, lags and times out like POM's own endpoints (fault endpoint `feed`).
    if let Err(response) = sim.intercept("feed").await {
        return response;
    }
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
            (version_header(), VERSION.to_string()),
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
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (version_header(), VERSION.to_string()),
        ],
        csv,
    )
        .into_response()
}

fn version_header() -> header::HeaderName {
    header::HeaderName::from_static("x-feed-version")
}

/// Feed routes.
pub(super) fn routes() -> Router<Arc<Sim>> {
    Router::new()
        .route("/__sim/feed", get(feed))
        .route("/__sim/export/{file}", get(export))
}
