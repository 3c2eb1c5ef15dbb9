//! The report scheduler's reader: the feed by cursor, one transaction per page (raw rows,
//! summaries, kill-list entries, the cursor), so a crash loses or repeats nothing; problems
//! with the input are recorded once per reason and never stop the rest.

use std::collections::BTreeSet;
use std::sync::Arc;

use sqlx::PgPool;

use super::fetch::{fetch, Fetched};
use super::parse::{parse_page, Item, Page, Problem, Record};
use super::problems;
use super::records::READABLE_VERSIONS;
use super::refused;
use super::store::{store, Added};
use super::suppress::suppress;
use crate::dnc::kill_list::Registrar;
use crate::erasure::tombstone::ErasureKey;
use crate::phone::PhoneRules;

/// The source name of the feed in `call_data_source`.
pub const FEED: &str = "feed";

/// Everything one ingestion run needs.
pub struct Feed<'a> {
    pub pool: &'a PgPool,
    pub http: &'a reqwest::Client,
    pub url: &'a str,
    /// The report time zone (an IANA name Postgres and jiff both know).
    pub time_zone: &'a str,
    pub page: u32,
    pub key: &'a Arc<ErasureKey>,
    pub rules: &'a PhoneRules,
}

/// What a run did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Run {
    pub pages: u32,
    pub added: i64,
    pub aside: i64,
}

/// A page as fetched and parsed (parsing on a blocking thread, so it overlaps the store).
type Fetch = tokio::task::JoinHandle<Result<(Fetched, Page), String>>;

fn fetch_page(feed: &Feed<'_>, after: i64) -> Fetch {
    let (http, url, limit) = (feed.http.clone(), feed.url.to_string(), feed.page);
    tokio::spawn(async move {
        let mut fetched = fetch(&http, &url, after, limit).await?;
        let body = std::mem::take(&mut fetched.body);
        let (complete, version) = (fetched.complete, fetched.version.unwrap_or(0));
        let page = tokio::task::spawn_blocking(move || parse_page(&body, complete, version))
            .await
            .map_err(|e| e.to_string())?;
        Ok((fetched, page))
    })
}

/// Reads everything new; returns what was added. The next page is fetched and parsed while
/// the current one is stored.
pub async fn ingest_once(feed: &Feed<'_>) -> Result<Run, String> {
    let pool = feed.pool;
    let mut run = Run::default();
    let mut kills = Registrar::new(pool, feed.key, feed.rules);
    let mut reset_seen = false;
    let mut after = position(pool).await?;
    let mut next = Some(fetch_page(feed, after));
    while let Some(pending) = next.take() {
        sqlx::query!(
            "update call_data_source set last_run_at = now() where name = $1",
            FEED
        )
        .execute(pool)
        .await
        .map_err(|e| e.to_string())?;
        let (fetched, page) = match pending.await.map_err(|e| e.to_string())? {
            Ok(found) => found,
            Err(error) => {
                problems::record(pool, FEED, "feed_unreachable", &error).await;
                return Err(error);
            }
        };
        if !fetched
            .version
            .is_some_and(|v| READABLE_VERSIONS.contains(&v))
        {
            let readable = READABLE_VERSIONS.map(|v| v.to_string()).join(" or ");
            let detail = match fetched.version {
                Some(v) => format!("the feed declares contract version {v}; OCM reads {readable}"),
                None => format!(
                    "the feed does not declare its version (X-Feed-Version); OCM reads {readable}"
                ),
            };
            problems::record(pool, FEED, "feed_version", &detail).await;
            return Err(detail);
        }
        // The version the feed declares (the admins' page shows it), whichever OCM reads.
        let declared = fetched.version.map(|v| v as i32);
        sqlx::query!(
            "update call_data_source set feed_version = $2
              where name = $1 and feed_version is distinct from $2",
            FEED,
            declared
        )
        .execute(pool)
        .await
        .map_err(|e| e.to_string())?;
        if page.items.is_empty() && fetched.next_cursor.is_some_and(|n| n < after) && !reset_seen {
            reset_seen = true;
            let detail = format!(
                "the feed's cursor went back from {after} to {}: it was reset, read again from its start",
                fetched.next_cursor.unwrap_or_default()
            );
            problems::record(pool, FEED, "feed_reset", &detail).await;
            set_position(pool, 0).await?;
            after = 0;
            next = Some(fetch_page(feed, after));
            continue;
        }
        let moved = page.last_cursor.filter(|c| *c > after);
        let more = page.cut_off || page.lines >= feed.page as usize;
        if let (Some(cursor), true) = (moved, more) {
            next = Some(fetch_page(feed, cursor));
        }
        let mut page = page;
        suppress(&mut page.items, &mut kills)
            .await
            .map_err(|e| e.to_string())?;
        let mut found = page.problems.clone();
        found.extend(check(pool, &page.items).await?);
        let added = match store_page(feed, &page.items, page.last_cursor, &mut kills).await {
            Ok(added) => added,
            Err(error) if refused::is_data_error(&error) => {
                refused::one_by_one(feed, &page, &mut kills, &error).await?
            }
            Err(error) => return Err(error.to_string()),
        };
        for problem in &found {
            problems::record(pool, FEED, problem.reason, &problem.detail).await;
        }
        run.pages += 1;
        run.added += added.total();
        run.aside += added.aside;
        if let Some(cursor) = moved {
            after = cursor;
        }
    }
    Ok(run)
}

/// One page in one transaction, the cursor moved past it last.
pub(super) async fn store_page(
    feed: &Feed<'_>,
    items: &[Item],
    last_cursor: Option<i64>,
    kills: &mut Registrar<'_>,
) -> Result<Added, sqlx::Error> {
    let mut tx = feed.pool.begin().await?;
    // The cursor commits with the rows, so a commit Postgres loses in a crash of its own takes
    // the cursor back with it and the page is read again: waiting for the WAL flush buys
    // nothing here, and costs a disk flush per page.
    sqlx::query!("select set_config('synchronous_commit', 'off', true)")
        .fetch_one(&mut *tx)
        .await?;
    let added = store(&mut tx, (FEED, feed.time_zone), items, kills).await?;
    crash_point();
    let newest = items
        .iter()
        .filter_map(|item| match item {
            Item::Known { record, .. } => Some(occurred_at(record)),
            Item::Aside { .. } => None,
        })
        .max();
    sqlx::query!(
        "update call_data_source
            set cursor_position = greatest(cursor_position, coalesce($2, cursor_position)),
                last_success_at = now(),
                newest_record_at = greatest(newest_record_at, $3),
                records = records + $4, unknown_records = unknown_records + $5,
                unknown_fields = unknown_fields + $6
          where name = $1",
        FEED,
        last_cursor,
        newest,
        added.total(),
        added.aside,
        added.unknown_fields,
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(added)
}

/// Fault injection for the crash test (`OCM_CALL_DATA_CRASH=mid-page:N`): the process dies
/// after the Nth page's rows are written and before its transaction commits, as `kill -9` would.
fn crash_point() {
    static PAGES: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let Ok(setting) = std::env::var("OCM_CALL_DATA_CRASH") else {
        return;
    };
    let page = PAGES.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
    let target = setting
        .strip_prefix("mid-page:")
        .and_then(|n| n.parse().ok());
    if target == Some(page) {
        std::process::abort();
    }
}

/// The time a record happened at (its raw table's partition key).
pub fn occurred_at(record: &Record) -> time::OffsetDateTime {
    match record {
        Record::Attempt(r) => r.end_at,
        Record::AgentInterval(r) => r.end_at,
        Record::AgentSession(r) => r.at,
        Record::AgentState(r) => r.at,
        Record::Callback(r) => r.created_at,
        Record::CallbackEvent(r) => r.at,
        Record::Inbound(r) => r.arrived_at,
        Record::DialerKill(r) => r.added_at,
        Record::JobEvent(r) => r.at,
        Record::ContactSkip(r) => r.at,
        Record::Sale(r) => r.submitted_at,
    }
}

/// The organization a record belongs to.
pub fn organization(record: &Record) -> &str {
    match record {
        Record::Attempt(r) => &r.organization,
        Record::AgentInterval(r) => &r.organization,
        Record::AgentSession(r) => &r.organization,
        Record::AgentState(r) => &r.organization,
        Record::Callback(r) => &r.organization,
        Record::CallbackEvent(r) => &r.organization,
        Record::Inbound(r) => &r.organization,
        Record::DialerKill(r) => &r.organization,
        Record::JobEvent(r) => &r.organization,
        Record::ContactSkip(r) => &r.organization,
        Record::Sale(r) => &r.organization,
    }
}

/// Records stored but worth an admin's look: organizations OCM does not know, times from the
/// future (a dialer clock running ahead).
async fn check(pool: &PgPool, items: &[Item]) -> Result<Vec<Problem>, String> {
    let known: BTreeSet<String> = sqlx::query_scalar!("select name from organization")
        .fetch_all(pool)
        .await
        .map_err(|e| e.to_string())?
        .into_iter()
        .collect();
    let ahead = time::OffsetDateTime::now_utc() + time::Duration::minutes(5);
    let mut problems = Vec::new();
    let mut strangers = BTreeSet::new();
    let mut future = 0;
    for item in items {
        let Item::Known { record, .. } = item else {
            continue;
        };
        if !known.contains(organization(record)) {
            strangers.insert(organization(record).to_string());
        }
        future += usize::from(occurred_at(record) > ahead);
    }
    for name in strangers {
        problems.push(Problem {
            reason: "unknown_organization",
            detail: format!(
                "records for organization \"{name}\", which OCM does not know, were stored; \
                 add it under Administration → Organizations to report on them"
            ),
        });
    }
    if future > 0 {
        problems.push(Problem {
            reason: "clock_skew",
            detail: format!(
                "{future} records are dated more than 5 minutes ahead of OCM's clock; \
                 check the dialer's clock"
            ),
        });
    }
    Ok(problems)
}

async fn position(pool: &PgPool) -> Result<i64, String> {
    sqlx::query_scalar!(
        "insert into call_data_source (name) values ($1)
         on conflict (name) do update set name = excluded.name
         returning cursor_position",
        FEED
    )
    .fetch_one(pool)
    .await
    .map_err(|e| e.to_string())
}

async fn set_position(pool: &PgPool, position: i64) -> Result<(), String> {
    sqlx::query!(
        "update call_data_source set cursor_position = $2 where name = $1",
        FEED,
        position
    )
    .execute(pool)
    .await
    .map_err(|e| e.to_string())?;
    Ok(())
}
