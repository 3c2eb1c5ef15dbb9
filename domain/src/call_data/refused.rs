//! A page Postgres refuses as a whole because of one record's value (a data exception or a
//! constraint, which the parser's checks did not foresee): its records are stored one per
//! transaction and a record still refused is skipped with its reason on the status page, so one
//! record never stops the feed. Any other failure (the database unreachable, say) stops the run
//! and the page is read again next time, so nothing is skipped for a reason outside the record.

use super::ingest::{store_page, Feed, FEED};
use super::parse::Page;
use super::problems;
use super::store::Added;
use crate::dnc::kill_list::Registrar;

/// Whether `error` is about a value (SQLSTATE classes 22 and 23) rather than the database.
pub fn is_data_error(error: &sqlx::Error) -> bool {
    error
        .as_database_error()
        .and_then(|e| e.code())
        .is_some_and(|code| code.starts_with("22") || code.starts_with("23"))
}

/// Stores `page` record by record after it was refused with `error`.
pub async fn one_by_one(
    feed: &Feed<'_>,
    page: &Page,
    kills: &mut Registrar<'_>,
    error: &sqlx::Error,
) -> Result<Added, String> {
    let pool = feed.pool;
    let detail =
        format!("a page was refused as a whole ({error}); its records were stored one by one");
    problems::record(pool, FEED, "page_refused", &detail).await;
    let mut added = Added::default();
    for item in &page.items {
        let cursor = item.cursor();
        match store_page(feed, std::slice::from_ref(item), Some(cursor), kills).await {
            Ok(one) => {
                for (kind, n) in one.by_kind {
                    *added.by_kind.entry(kind).or_default() += n;
                }
                added.aside += one.aside;
                added.unknown_fields += one.unknown_fields;
            }
            Err(error) if is_data_error(&error) => {
                let detail =
                    format!("record {cursor} could not be stored and was skipped: {error}");
                problems::record(pool, FEED, "record_refused", &detail).await;
                advance(pool, cursor).await?;
            }
            Err(error) => return Err(error.to_string()),
        }
    }
    if let Some(last) = page.last_cursor {
        advance(pool, last).await?;
    }
    Ok(added)
}

/// Moves the feed's cursor forward to `cursor` (never back).
async fn advance(pool: &sqlx::PgPool, cursor: i64) -> Result<(), String> {
    sqlx::query!(
        "update call_data_source set cursor_position = greatest(cursor_position, $2)
          where name = $1",
        FEED,
        cursor
    )
    .execute(pool)
    .await
    .map_err(|e| e.to_string())?;
    Ok(())
}
