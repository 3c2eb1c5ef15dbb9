//! Dialer kill-list ingestion: addresses POM added to an organization's DNC list because a
//! customer asked during a call (`DNCREQ`) are read from POM's call-data feed (JSON lines after a
//! cursor; in demo mode the simulator's `/__sim/feed`) and registered with source "Dialer Kill
//! List", once each, so the DNC List report shows every suppression and where it came from.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use serde::Deserialize;
use sqlx::PgPool;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use crate::erasure::ocm_stores::ERASED;
use crate::erasure::tombstone::{self, ErasureKey, Suppression};
use crate::phone::PhoneRules;
use crate::state::AppState;

const CURSOR: &str = "dialer_kill";
const EVERY: Duration = Duration::from_secs(10);
const PAGE: u32 = 1000;

/// One kill-list record of the feed (`cursor` is the record's position in the feed).
#[derive(Debug, Deserialize)]
struct KillRecord {
    cursor: i64,
    session_id: String,
    organization: String,
    dnc_list: String,
    address: String,
    campaign: String,
    added_at: String,
}

async fn position(pool: &PgPool) -> Result<i64, String> {
    Ok(
        sqlx::query_scalar!("select position from feed_cursor where name = $1", CURSOR)
            .fetch_optional(pool)
            .await
            .map_err(|e| e.to_string())?
            .unwrap_or(0),
    )
}

/// Reads one page after `after`: the records (stopping before a line that cannot be read, so it
/// is not skipped for good) and the feed's own last cursor.
async fn page(
    http: &reqwest::Client,
    feed_url: &str,
    after: i64,
) -> Result<(Vec<KillRecord>, Option<i64>, bool), String> {
    let response = http
        .get(format!(
            "{feed_url}?kind=dialer_kill&after={after}&limit={PAGE}"
        ))
        .send()
        .await
        // The feed's URL may carry credentials: keep it out of the message that gets logged.
        .map_err(|e| e.without_url().to_string())?;
    if !response.status().is_success() {
        return Err(format!("the feed answered HTTP {}", response.status()));
    }
    let last: Option<i64> = response
        .headers()
        .get("x-next-cursor")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok());
    let body = response
        .text()
        .await
        .map_err(|e| e.without_url().to_string())?;
    let lines: Vec<&str> = body.lines().filter(|l| !l.trim().is_empty()).collect();
    let full = lines.len() >= PAGE as usize;
    let mut records = Vec::new();
    for line in lines {
        match serde_json::from_str::<KillRecord>(line) {
            Ok(record) => records.push(record),
            Err(error) => {
                tracing::warn!(error = %error, "a kill-list feed line could not be read; stopping before it");
                return Ok((records, last, false));
            }
        }
    }
    Ok((records, last, full))
}

/// Reads what is new; returns how many entries were registered. Entries are registered once each
/// (by dialer session and address), so reading a record twice is harmless; the cursor only moves
/// forward past records that were stored.
pub async fn ingest_once(
    pool: &PgPool,
    http: &reqwest::Client,
    feed_url: &str,
    key: &Arc<ErasureKey>,
    rules: &PhoneRules,
) -> Result<u64, String> {
    let mut erased: HashMap<String, Suppression> = HashMap::new();
    let mut after = position(pool).await?;
    let mut registered = 0;
    loop {
        let (records, last, full) = page(http, feed_url, after).await?;
        // A feed that restarted its numbering (a new simulator) is read again from its start.
        if records.is_empty() && last.is_some_and(|l| l < after) {
            after = 0;
            continue;
        }
        let mut tx = pool.begin().await.map_err(|e| e.to_string())?;
        for record in &records {
            // A person erased on request is registered without their address.
            let erasure = match erased.get(&record.organization) {
                Some(known) => known.address(&record.address, rules),
                None => {
                    let loaded = tombstone::load(pool, key, &record.organization)
                        .await
                        .map_err(|e| e.to_string())?;
                    let found = loaded.address(&record.address, rules);
                    erased.insert(record.organization.clone(), loaded);
                    found
                }
            };
            let (address, external_ref) = match erasure {
                Some(erasure_id) => (
                    ERASED.to_string(),
                    format!("{}:erased:{erasure_id}", record.session_id),
                ),
                None => (
                    record.address.clone(),
                    format!("{}:{}", record.session_id, record.address),
                ),
            };
            let added_at = time::OffsetDateTime::parse(
                &record.added_at,
                &time::format_description::well_known::Rfc3339,
            )
            .ok();
            registered += sqlx::query!(
                r#"insert into dnc_entry (organization, address, action, source, list_name, requested_by_name,
                       requested_at, state, confirmed_at, outcome, external_ref, erased_by)
                   values ($1, $2, 'add', 'dialer_kill', $3, $4, coalesce($5, now()), 'confirmed',
                           coalesce($5, now()), 'added by the dialer (DNCREQ)', $6, $7)
                   on conflict (source, external_ref) do nothing"#,
                record.organization, address, record.dnc_list,
                format!("dialer ({})", record.campaign), added_at,
                external_ref, erasure,
            )
            .execute(&mut *tx)
            .await
            .map_err(|e| e.to_string())?
            .rows_affected();
        }
        let reached = records.last().map_or(after, |r| r.cursor);
        if reached != after {
            sqlx::query!(
                "insert into feed_cursor (name, position) values ($1, $2)
                 on conflict (name) do update set position = excluded.position, updated_at = now()",
                CURSOR,
                reached
            )
            .execute(&mut *tx)
            .await
            .map_err(|e| e.to_string())?;
        }
        tx.commit().await.map_err(|e| e.to_string())?;
        if !full || reached == after {
            return Ok(registered);
        }
        after = reached;
    }
}

/// Reads the feed every few seconds until `stop` (nothing when no feed is configured).
pub fn spawn(state: AppState, stop: CancellationToken) -> JoinHandle<()> {
    tokio::spawn(async move {
        let Some(feed_url) = state.settings.dnc.feed_url.clone() else {
            return;
        };
        let mut ticker = tokio::time::interval(EVERY);
        loop {
            tokio::select! {
                () = stop.cancelled() => break,
                _ = ticker.tick() => {}
            }
            match ingest_once(
                &state.pool,
                &state.http,
                &feed_url,
                &state.settings.erasure_key,
                &state.settings.phone,
            )
            .await
            {
                Ok(0) => {}
                Ok(count) => tracing::info!(count, "dialer kill-list entries registered"),
                Err(error) => tracing::warn!(error = %error, "reading the dialer kill list failed"),
            }
        }
    })
}
