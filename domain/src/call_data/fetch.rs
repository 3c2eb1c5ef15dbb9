//! One page of the feed over HTTP, bounded: at most [`MAX_PAGE_BYTES`] are read, whatever the
//! feed sends; what is cut off is read again next time.

use super::parse::MAX_LINE_BYTES;

/// The most of one response OCM holds in memory.
pub const MAX_PAGE_BYTES: usize = 256 * MAX_LINE_BYTES;

/// A page as received.
#[derive(Debug)]
pub struct Fetched {
    pub body: String,
    /// The whole response was read (otherwise the last line may be cut).
    pub complete: bool,
    /// The feed's own last cursor (`X-Next-Cursor`).
    pub next_cursor: Option<i64>,
    /// The contract version the feed declares (`X-Feed-Version`).
    pub version: Option<u32>,
}

/// The longest one page may take: a feed that stalls or trickles must not hold the worker (and
/// the folder input after it) for ever.
pub const PAGE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(120);

/// Reads up to `limit` records after `after` from `feed_url`, within [`PAGE_TIMEOUT`].
pub async fn fetch(
    http: &reqwest::Client,
    feed_url: &str,
    after: i64,
    limit: u32,
) -> Result<Fetched, String> {
    tokio::time::timeout(PAGE_TIMEOUT, fetch_unbounded(http, feed_url, after, limit))
        .await
        .unwrap_or_else(|_| {
            Err(format!(
                "the feed did not send a page within {} s",
                PAGE_TIMEOUT.as_secs()
            ))
        })
}

async fn fetch_unbounded(
    http: &reqwest::Client,
    feed_url: &str,
    after: i64,
    limit: u32,
) -> Result<Fetched, String> {
    let mut response = http
        .get(feed_url)
        .query(&[("after", after.to_string()), ("limit", limit.to_string())])
        .send()
        .await
        // The feed's URL may carry credentials: keep it out of the message that gets logged.
        .map_err(|e| format!("the feed cannot be reached: {}", e.without_url()))?;
    if !response.status().is_success() {
        return Err(format!("the feed answered HTTP {}", response.status()));
    }
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let next_cursor = header("x-next-cursor").and_then(|v| v.parse().ok());
    let version = header("x-feed-version").and_then(|v| v.parse().ok());
    let mut bytes = Vec::new();
    let mut complete = true;
    loop {
        let chunk = response
            .chunk()
            .await
            .map_err(|e| format!("the feed's answer broke off: {}", e.without_url()))?;
        let Some(chunk) = chunk else {
            break;
        };
        let room = MAX_PAGE_BYTES - bytes.len();
        if chunk.len() > room {
            bytes.extend_from_slice(&chunk[..room]);
            complete = false;
            break;
        }
        bytes.extend_from_slice(&chunk);
    }
    // Bytes that are not UTF-8 become U+FFFD: the record then breaks the contract and is kept
    // aside, instead of stopping the feed. A character cut at the end is in the cut-off line.
    let body = String::from_utf8_lossy(&bytes).into_owned();
    Ok(Fetched {
        body,
        complete,
        next_cursor,
        version,
    })
}
