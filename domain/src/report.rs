//! The report kit's domain half: a [`Report`] names its filters, rows, roles, export action and
//! scope, and writes one `select … from … where …`; the kit turns that into one statement giving
//! a keyset page and the total ([`page`]), and into keyset batches of every row for exports
//! ([`batch`]). The `where` clause is written once, in the report, from the kit's shared filter
//! pieces ([`organization`], [`push_contains`], `dates::DateRange`).

pub mod access;
mod by_key;
mod cursor;
mod figures;
pub(crate) mod filters;
mod position;
mod sort;
mod source;
mod strict;

use std::future::Future;

use futures::TryStreamExt;

use sqlx::postgres::{PgRow, Postgres};
use sqlx::{PgConnection, PgPool, QueryBuilder, Row};
use types::report::{Page, ReportRequest, ReportRow, UrlQuery};

use crate::access::Ctx;
use crate::error::AppError;
use crate::model::{AuditAction, Role};

pub use cursor::{Cursor, Key};
pub use figures::{answer, ChartQuery, Summarised};
pub use filters::{like_escaped, organization, push_contains};
pub use sort::Order;
pub use strict::strict_filters;

use position::first_position;
use source::Source;

/// Rows per export batch (CSV streams them as they come).
pub const BATCH: i64 = 10_000;

/// One report: what it filters on, what a row is, who may read it and how it is read.
pub trait Report: Send + Sync + 'static {
    /// The filters as the URL carries them.
    type Filters: UrlQuery + Clone + Send + Sync + 'static;
    /// The filters checked and pinned to what the caller may see, ready for SQL.
    type Scoped: Send + Sync + 'static;
    /// A row of the page.
    type Row: ReportRow + Send + 'static;
    /// A line of the export (most reports: the row itself).
    type Line: ReportRow + Send + 'static;

    /// Roles that may read the report and export it.
    const ROLES: &'static [Role];
    /// The audit action of an export.
    const EXPORT_ACTION: AuditAction;
    const PAGE_SIZE: u32;
    /// File names of exports: `{FILE_STEM}-{timestamp}.csv`.
    const FILE_STEM: &'static str;
    /// The workbook's sheet name.
    const SHEET: &'static str;
    /// In workbooks, whole numbers become numbers; `false`: every cell text (phone numbers).
    const XLSX_NUMBERS: bool = true;
    /// The key admins restrict the report by (`report_access`), with the audit action of reading
    /// a page; `None`: the report's roles only.
    const ACCESS_KEY: Option<&'static str> = None;
    const READ_ACTION: AuditAction = AuditAction::AccessDenied;
    /// The columns of [`Report::select`] that order it (newest first unless [`Report::descending`]).
    const KEY: Key;
    /// How to sort by the columns whose key is not an output column of [`Report::select`]
    /// (figures worked out from others): column key → SQL expression over the output columns.
    const SORT_SQL: &'static [(&'static str, &'static str)] = &[];

    /// Checks the filters (naming a bad field) and pins them to the caller's scope.
    fn scope(
        ctx: &Ctx,
        filters: &Self::Filters,
    ) -> impl Future<Output = Result<Self::Scoped, AppError>> + Send;

    /// Pushes `select <columns> from <tables> where <filters>`: no order, no limit.
    fn select(scoped: &Self::Scoped, sql: &mut QueryBuilder<'static, Postgres>);

    /// Reads one row of [`Report::select`].
    fn decode(row: &PgRow) -> Result<Self::Row, sqlx::Error>;

    /// The export's lines for one row.
    fn lines(row: Self::Row) -> Vec<Self::Line>;

    /// Newest (largest key) first.
    fn descending(_scoped: &Self::Scoped) -> bool {
        true
    }

    /// Refuses a page the export would still give (a detail report's range too long to page
    /// through), naming the field.
    fn page_check(_scoped: &Self::Scoped) -> Result<(), AppError> {
        Ok(())
    }
}

/// `order by` of the key, with its columns prefixed (`p.` outside the page's subquery).
fn order(key: Key, prefix: &str, dir: &str) -> String {
    match key.at {
        Some(at) => format!("{prefix}{at} {dir}, {prefix}{id} {dir}", id = key.id),
        None => format!("{prefix}{} {dir}", key.id),
    }
}

/// The report's rows (`source`) as a CTE read from a cursor in key order. With `count`, one statement
/// gives the total too: the CTE is inlined twice (counted, and read from the cursor), so the total
/// and the page always agree; each row is then `(ocm_total, page row or nulls)`.
fn statement<R: Report>(
    (scoped, source): (&R::Scoped, Source),
    sort: Order,
    after: Option<Cursor>,
    descending: bool,
    limit: i64,
    count: bool,
) -> QueryBuilder<'static, Postgres> {
    let (cmp, dir) = if descending {
        ("<", "desc")
    } else {
        (">", "asc")
    };
    let key = sort.key::<R>();
    let mut sql = QueryBuilder::new("with matching as not materialized (");
    if let Order::Column { column, descending } = sort {
        // Numbered in the chosen order, ties in the report's own; `column` is a column key the
        // report marked sortable or its expression from `SORT_SQL`, never the URL's text.
        let own = if R::descending(scoped) { "desc" } else { "asc" };
        let chosen = if descending { "desc" } else { "asc" };
        sql.push(format_args!(
            "select row_number() over (order by ({column}) {chosen} nulls last, {}) as {}, \
             ocm_base.* from (",
            order(R::KEY, "ocm_base.", own),
            sort::SORT_KEY.id,
        ));
        source.push::<R>(scoped, &mut sql);
        sql.push(") ocm_base");
    } else {
        source.push::<R>(scoped, &mut sql);
    }
    sql.push(") ");
    if count {
        sql.push("select t.ocm_total, p.* from (select count(*) as ocm_total from matching) t ");
        sql.push("left join lateral (");
    }
    sql.push("select * from matching");
    if let Some(cursor) = after {
        match (key.at, cursor.at) {
            (Some(at), Some(time)) => {
                sql.push(format_args!(" where ({at}, {}) {cmp} (", key.id));
                sql.push_bind(time)
                    .push(", ")
                    .push_bind(cursor.id)
                    .push(")");
            }
            _ => {
                sql.push(format_args!(" where {} {cmp} ", key.id));
                sql.push_bind(cursor.id);
            }
        }
    }
    sql.push(format_args!(" order by {} limit ", order(key, "", dir)));
    sql.push_bind(limit);
    if count {
        sql.push(format_args!(
            ") p on true order by {}",
            order(key, "p.", dir)
        ));
    }
    sql
}

/// The cursor of a row on `key`, `None` for the null row of an empty page.
fn key_of(key: Key, row: &PgRow) -> Result<Option<Cursor>, sqlx::Error> {
    let Some(id) = row.try_get::<Option<i64>, _>(key.id)? else {
        return Ok(None);
    };
    let at = match key.at {
        Some(column) => row.try_get(column)?,
        None => None,
    };
    Ok(Some(Cursor { at, id }))
}

/// The next batch of at most `limit` rows after `after` in `sort`'s order (every row, for
/// exports).
pub async fn batch<R: Report>(
    pool: &PgPool,
    (scoped, sort): (&R::Scoped, Order),
    after: Option<Cursor>,
    limit: i64,
) -> Result<Vec<(Cursor, R::Row)>, sqlx::Error> {
    let mut rows = Vec::new();
    batch_each::<R>(pool, (scoped, sort), after, limit, |cursor, row| {
        rows.push((cursor, row));
    })
    .await?;
    Ok(rows)
}

/// Like [`batch`], but each row goes to `each` as it arrives, while the database is still
/// sending the rest (a CSV export writes a row meanwhile). Returns the rows read and the last
/// row's cursor.
pub async fn batch_each<R: Report>(
    pool: &PgPool,
    (scoped, sort): (&R::Scoped, Order),
    after: Option<Cursor>,
    limit: i64,
    mut each: impl FnMut(Cursor, R::Row),
) -> Result<(i64, Option<Cursor>), sqlx::Error> {
    let descending = sort.descending::<R>(scoped);
    let mut sql = statement::<R>(
        (scoped, Source::Select),
        sort,
        after,
        descending,
        limit,
        false,
    );
    let key = sort.key::<R>();
    let (mut read, mut last) = (0, None);
    // Not a prepared statement kept on the connection: after five runs Postgres may settle on a
    // generic plan that cannot see the cursor's values (an export runs the same statement
    // hundreds of times), and each batch then reads far more of the index than it returns.
    let mut rows = sql.build().persistent(false).fetch(pool);
    while let Some(row) = rows.try_next().await? {
        if let Some(cursor) = key_of(key, &row)? {
            each(cursor, R::decode(&row)?);
            (read, last) = (read + 1, Some(cursor));
        }
    }
    Ok((read, last))
}

/// Whether `token` is a cursor of `R` in `sort`'s order (the pages forgive one that is not and
/// start again at the first page; the API names it instead).
pub fn cursor_reads<R: Report>(sort: &types::report::Sort, token: &str) -> Result<bool, AppError> {
    let key = Order::of::<R>(sort)?.key::<R>();
    Ok(Cursor::decode(token, key).is_some())
}

/// One page of the report for `request`, scoped to the caller, with the total from the same
/// statement. A `before` page reads backwards from its cursor and is turned round.
pub async fn page<R: Report>(
    ctx: &Ctx,
    request: &ReportRequest<R::Filters>,
) -> Result<Page<R::Row>, AppError> {
    let scoped = scoped::<R>(ctx, request).await?;
    let mut conn = ctx.state.pool.acquire().await?;
    read_page::<R>(&mut conn, (&scoped, Source::Select), request).await
}

/// The checks before any page: the caller may read `R`, its filters are sound and pinned to
/// the caller's scope, and the page may be shown.
async fn scoped<R: Report>(
    ctx: &Ctx,
    request: &ReportRequest<R::Filters>,
) -> Result<R::Scoped, AppError> {
    access::check::<R>(ctx, R::READ_ACTION).await?;
    let scoped = R::scope(ctx, &request.filters).await?;
    R::page_check(&scoped)?;
    Ok(scoped)
}

/// The page of `request` read from `source` on `conn`.
async fn read_page<R: Report>(
    conn: &mut PgConnection,
    (scoped, source): (&R::Scoped, Source),
    request: &ReportRequest<R::Filters>,
) -> Result<Page<R::Row>, AppError> {
    let sort = Order::of::<R>(&request.sort)?;
    let key = sort.key::<R>();
    let position = &request.position;
    let before = position
        .before
        .as_deref()
        .and_then(|t| Cursor::decode(t, key));
    let after = position
        .after
        .as_deref()
        .and_then(|t| Cursor::decode(t, key));
    let backward = before.is_some();
    let from = before.or(after);
    let size = R::PAGE_SIZE;
    let descending = sort.descending::<R>(scoped) != backward;
    let limit = i64::from(size) + 1;
    let mut sql = statement::<R>((scoped, source), sort, from, descending, limit, true);
    let mut total = 0;
    let mut rows = Vec::new();
    // Unprepared, as in `batch`: pages of the same report differ only in their values.
    for row in sql.build().persistent(false).fetch_all(conn).await? {
        total = row.try_get::<i64, _>("ocm_total")?;
        if let Some(cursor) = key_of(key, &row)? {
            rows.push((cursor, R::decode(&row)?));
        }
    }
    let more = rows.len() > size as usize;
    rows.truncate(size as usize);
    if backward {
        rows.reverse();
    }
    let first_key = rows.first().map(|(c, _)| c.encode());
    let last_key = rows.last().map(|(c, _)| c.encode());
    let after_skipped = first_position(position.skipped, total, rows.len());
    let (first, next, previous) = match (backward, from.is_some()) {
        (true, _) => (
            if more { after_skipped } else { 1 },
            last_key,
            first_key.filter(|_| more),
        ),
        (false, true) => (after_skipped, last_key.filter(|_| more), first_key),
        (false, false) => (1, last_key.filter(|_| more), None),
    };
    Ok(Page {
        first: if rows.is_empty() { 0 } else { first },
        rows: rows.into_iter().map(|(_, row)| row).collect(),
        total: Some(total),
        page_size: size,
        next,
        previous,
    })
}
