//! The second input: CSV files of the feed's kinds in `OCM_CALL_DATA_IMPORT_DIR`, for a site whose
//! POM adapter writes files. Files are taken in name order, read a page of rows at a time (each
//! page with the file's progress in one transaction, so a crash resumes after the last page), and
//! moved to `done/` once read. A site writes a file under another name and renames it to `.csv`
//! when complete.

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use sqlx::PgPool;

use super::fetch::MAX_PAGE_BYTES;
use super::files::{kind_of, row_item};
use super::ingest::{occurred_at, Run};
use super::parse::{breach, Item, Problem, MAX_LINE_BYTES};
use super::problems;
use super::store::store;
use super::suppress::suppress;
use crate::dnc::kill_list::Registrar;
use crate::erasure::tombstone::ErasureKey;
use crate::phone::PhoneRules;

/// The source name of the folder in `call_data_source` and `call_data_problem`.
pub const FILES: &str = "files";

/// Everything reading the folder needs.
pub struct Folder<'a> {
    pub pool: &'a PgPool,
    pub dir: &'a Path,
    pub time_zone: &'a str,
    pub page: u32,
    pub key: &'a Arc<ErasureKey>,
    pub rules: &'a PhoneRules,
}

/// The most one row may take, quoted line breaks and all (beyond it the file stops).
const MAX_ROW_BYTES: usize = 4 * MAX_LINE_BYTES;

/// A reader that refuses a physical line longer than [`MAX_LINE_BYTES`] and a row longer than
/// [`MAX_ROW_BYTES`] (the page resets `since_row` after each row), and counts a page's bytes so
/// the page can end early: one row, and one page, never take more memory than that.
struct Bounded<R> {
    inner: BufReader<R>,
    since_newline: usize,
    since_row: usize,
    since_page: usize,
}

impl<R: Read> Read for Bounded<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let available = self.inner.fill_buf()?;
        let n = available.len().min(buf.len());
        buf[..n].copy_from_slice(&available[..n]);
        self.since_row += n;
        self.since_page += n;
        if self.since_row > MAX_ROW_BYTES {
            return Err(std::io::Error::other(format!(
                "a row is longer than {MAX_ROW_BYTES} bytes"
            )));
        }
        for byte in &buf[..n] {
            self.since_newline = if *byte == b'\n' {
                0
            } else {
                self.since_newline + 1
            };
            if self.since_newline > MAX_LINE_BYTES {
                return Err(std::io::Error::other(format!(
                    "a line is longer than {MAX_LINE_BYTES} bytes"
                )));
            }
        }
        self.inner.consume(n);
        Ok(n)
    }
}

type Reader = csv::Reader<Bounded<std::fs::File>>;

/// One page of rows: the records, what was wrong, how many rows were read, and the end.
struct Page {
    items: Vec<Item>,
    problems: Vec<Problem>,
    rows: u64,
    end: bool,
}

fn read_page(reader: &mut Reader, kind: &str, first_row: u64, size: u32) -> Result<Page, String> {
    let header = reader.headers().map_err(|e| e.to_string())?.clone();
    let mut page = Page {
        items: Vec::new(),
        problems: Vec::new(),
        rows: 0,
        end: false,
    };
    let mut row = csv::StringRecord::new();
    reader.get_mut().since_page = 0;
    while page.rows < u64::from(size) && reader.get_ref().since_page <= MAX_PAGE_BYTES {
        reader.get_mut().since_row = 0;
        if !reader.read_record(&mut row).map_err(|e| e.to_string())? {
            page.end = true;
            break;
        }
        page.rows += 1;
        match row_item(kind, &header, &row, first_row + page.rows) {
            Ok(item) => {
                page.problems.extend(breach(&item));
                page.items.push(item);
            }
            Err(problem) => page.problems.push(problem),
        }
    }
    Ok(page)
}

/// Reads every complete `.csv` file of the folder.
pub async fn ingest_folder(folder: &Folder<'_>) -> Result<Run, String> {
    let mut names: Vec<String> = std::fs::read_dir(folder.dir)
        .map_err(|e| format!("the import folder cannot be read: {e}"))?
        .filter_map(|entry| entry.ok())
        .filter(|entry| entry.file_type().is_ok_and(|t| t.is_file()))
        .filter_map(|entry| entry.file_name().into_string().ok())
        .filter(|name| name.ends_with(".csv"))
        .collect();
    names.sort();
    let mut run = Run::default();
    let mut kills = Registrar::new(folder.pool, folder.key, folder.rules);
    for name in names {
        match ingest_file(folder, &name, &mut kills, &mut run).await {
            Ok(()) => {}
            Err(error) => {
                let detail = format!("{name}: {error}");
                problems::record(folder.pool, FILES, "file_unreadable", &detail).await;
            }
        }
    }
    Ok(run)
}

async fn ingest_file(
    folder: &Folder<'_>,
    name: &str,
    kills: &mut Registrar<'_>,
    run: &mut Run,
) -> Result<(), String> {
    let pool = folder.pool;
    let error = |e: sqlx::Error| e.to_string();
    let path = folder.dir.join(name);
    let kind = kind_of(name).unwrap_or("unknown").to_string();
    let bytes = std::fs::metadata(&path).map_err(|e| e.to_string())?.len() as i64;
    let progress = sqlx::query!(
        r#"insert into call_data_file (name, bytes, kind) values ($1, $2, $3)
           on conflict (name) do update set name = excluded.name
           returning rows_done, done_at is not null as "done!""#,
        name,
        bytes,
        kind
    )
    .fetch_one(pool)
    .await
    .map_err(error)?;
    if !progress.done {
        let file = std::fs::File::open(&path).map_err(|e| e.to_string())?;
        let limited = Bounded {
            inner: BufReader::new(file),
            since_newline: 0,
            since_row: 0,
            since_page: 0,
        };
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .from_reader(limited);
        let mut done = 0u64;
        let skip = u64::try_from(progress.rows_done).unwrap_or(0);
        let source = format!("file:{name}");
        loop {
            let (page, back) = read_off_thread(reader, &kind, done, folder.page).await?;
            reader = back;
            done += page.rows;
            if done <= skip && !page.end {
                continue;
            }
            let mut fresh: Vec<Item> = if done - page.rows < skip {
                let already = (skip - (done - page.rows)) as usize;
                page.items.into_iter().skip(already).collect()
            } else {
                page.items
            };
            suppress(&mut fresh, kills).await.map_err(error)?;
            let mut tx = pool.begin().await.map_err(error)?;
            let added = store(&mut tx, (&source, folder.time_zone), &fresh, kills)
                .await
                .map_err(error)?;
            let newest = fresh
                .iter()
                .filter_map(|item| match item {
                    Item::Known { record, .. } => Some(occurred_at(record)),
                    Item::Aside { .. } => None,
                })
                .max();
            sqlx::query!(
                "update call_data_file set rows_done = $2, done_at = case when $3 then now() end
                  where name = $1",
                name,
                done as i64,
                page.end
            )
            .execute(&mut *tx)
            .await
            .map_err(error)?;
            sqlx::query!(
                "insert into call_data_source (name, records, newest_record_at, last_success_at, last_run_at)
                 values ($1, $2, $3, now(), now())
                 on conflict (name) do update set records = call_data_source.records + excluded.records,
                        newest_record_at = greatest(call_data_source.newest_record_at, excluded.newest_record_at),
                        last_success_at = now(), last_run_at = now(),
                        unknown_records = call_data_source.unknown_records + $4,
                        unknown_fields = call_data_source.unknown_fields + $5",
                FILES,
                added.total(),
                newest,
                added.aside,
                added.unknown_fields
            )
            .execute(&mut *tx)
            .await
            .map_err(error)?;
            tx.commit().await.map_err(error)?;
            run.pages += 1;
            run.added += added.total();
            run.aside += added.aside;
            for problem in &page.problems {
                problems::record(
                    pool,
                    FILES,
                    problem.reason,
                    &format!("{name}: {}", problem.detail),
                )
                .await;
            }
            if page.end {
                break;
            }
        }
    }
    move_to_done(folder.dir, name).map_err(|e| format!("read, but not moved to done/: {e}"))
}

/// Reads the next page on a blocking thread (file I/O), handing the reader back.
async fn read_off_thread(
    mut reader: Reader,
    kind: &str,
    first_row: u64,
    size: u32,
) -> Result<(Page, Reader), String> {
    let kind = kind.to_string();
    tokio::task::spawn_blocking(move || {
        read_page(&mut reader, &kind, first_row, size).map(|page| (page, reader))
    })
    .await
    .map_err(|e| e.to_string())?
}

fn move_to_done(dir: &Path, name: &str) -> std::io::Result<()> {
    let done: PathBuf = dir.join("done");
    std::fs::create_dir_all(&done)?;
    std::fs::rename(dir.join(name), done.join(name))
}
