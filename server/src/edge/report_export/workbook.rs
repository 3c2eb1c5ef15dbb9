//! The XLSX half of an export: every line collected within [`MAX_XLSX_LINES`] and
//! [`MAX_XLSX_BYTES`] of cell text, then the workbook built on a blocking thread (it is CPU work
//! that would hold up an async worker). At most [`PARALLEL_WORKBOOKS`] are collected and built at
//! once, each holding its lines and workbook in memory; past that OCM answers busy rather than
//! queue more of them.

use domain::export::xlsx_typed;
use domain::report::{self, Report, BATCH};
use sqlx::PgPool;
use tokio::sync::Semaphore;
use types::error::{internal, AppError};
use types::report::ReportRow;

/// Lines per workbook (a larger report is exported as CSV, or narrowed).
pub const MAX_XLSX_LINES: usize = 100_000;
/// Cell text per workbook, in bytes: wide rows (audit parameters, user agents) reach the memory
/// a workbook may take well before the line cap.
pub const MAX_XLSX_BYTES: usize = 64 * 1024 * 1024;
/// Workbooks collected and built at once, across every report.
pub const PARALLEL_WORKBOOKS: usize = 2;
/// What a busy answer asks the browser to wait before trying again.
const RETRY_AFTER_SECS: u64 = 30;

static WORKBOOKS: Semaphore = Semaphore::const_new(PARALLEL_WORKBOOKS);

/// Workbook header: the headings people read.
fn headings<L: ReportRow + 'static>() -> Vec<&'static str> {
    L::columns().iter().map(|c| c.heading).collect()
}

fn cells_for_people<L: ReportRow + 'static>(line: &L) -> Vec<String> {
    L::columns().iter().map(|c| c.for_people(line)).collect()
}

/// The workbook of report `R` and its line count; busy when [`PARALLEL_WORKBOOKS`] are being
/// built, refused past the budgets.
pub async fn build<R: Report>(
    pool: &PgPool,
    scoped: &R::Scoped,
) -> Result<(Vec<u8>, usize), AppError> {
    let slot = WORKBOOKS.try_acquire().map_err(|_| AppError::Busy {
        message: "OCM is building other spreadsheets right now. Try again in a minute, or \
                  export CSV."
            .into(),
        retry_after_secs: RETRY_AFTER_SECS,
    })?;
    let rows = collect::<R>(pool, scoped).await?;
    let count = rows.len();
    // The slot goes with the rows: if the browser leaves, the build still holds that memory.
    let built = tokio::task::spawn_blocking(move || {
        let _slot = slot;
        let header = headings::<R::Line>();
        let kinds: Vec<_> = R::Line::columns().iter().map(|c| c.kind).collect();
        xlsx_typed(R::SHEET, &header, &kinds, rows, R::XLSX_NUMBERS)
    })
    .await
    .map_err(|e| internal(&e))?;
    Ok((built.map_err(|e| internal(&e))?, count))
}

fn too_large(what: &str) -> AppError {
    AppError::validation(
        "export",
        format!(
            "The report has more than {what}, too much for a spreadsheet: export CSV, or narrow \
             the filters and export again."
        ),
    )
}

/// Every line's cells for people, refused past either budget. Both are checked line by line,
/// since one row may give several lines (a purge run gives one per list).
async fn collect<R: Report>(
    pool: &PgPool,
    scoped: &R::Scoped,
) -> Result<Vec<Vec<String>>, AppError> {
    let mut lines = Vec::new();
    let mut bytes = 0;
    let mut cursor = None;
    loop {
        let rows = report::batch::<R>(pool, scoped, cursor, BATCH).await?;
        let full = rows.len() as i64 == BATCH;
        cursor = rows.last().map(|(c, _)| *c);
        for (_, row) in rows {
            for line in R::lines(row) {
                let cells = cells_for_people(&line);
                bytes += cells.iter().map(String::len).sum::<usize>();
                lines.push(cells);
                if lines.len() > MAX_XLSX_LINES {
                    return Err(too_large("100,000 rows"));
                }
                if bytes > MAX_XLSX_BYTES {
                    return Err(too_large("64 MB of text"));
                }
            }
        }
        if !full {
            return Ok(lines);
        }
    }
}
