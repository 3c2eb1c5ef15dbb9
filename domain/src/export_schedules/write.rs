//! A run's file: report `R` with the schedule's filters (dates set to the period) written to a
//! file in constant memory, as CSV or XLSX through the same cell writer as the pages' exports
//! (`crate::export`: formulas neutralised), then its size and SHA-256. Rows are read in the
//! kit's keyset batches and written on a blocking thread as they come; the writer keeps the file
//! only when told every batch was sent, and is always waited for, so a failed read leaves no
//! file behind. Who may read the report is the caller's check (`run_job.rs`).

use std::io::Write;
use std::path::Path;

use sha2::{Digest, Sha256};
use tokio::sync::mpsc;
use types::report::{ReportRow, Sort, UrlQuery};

use crate::access::Ctx;
use crate::error::{internal, AppError};
use crate::export::lines::{cells, headings, keys};
use crate::export::{write_record, SheetWriter, UTF8_BOM};
use crate::model::ExportFormat;
use crate::report::{self, Report, BATCH};

/// What was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    pub rows: i64,
    pub bytes: i64,
    pub sha256: String,
}

/// What the reading side hands the writer.
enum Batch {
    Lines(Vec<Vec<String>>),
    /// Every batch was sent: keep the file.
    Done,
}

/// Writes report `R` read in `ctx`'s scope with the filters in `query` to `path` (created or
/// replaced; removed again when anything fails).
pub async fn write<R: Report>(
    ctx: &Ctx,
    query: &str,
    format: &ExportFormat,
    path: &Path,
) -> Result<Written, AppError> {
    let filters = R::Filters::from_query_string(query);
    let scoped = R::scope(ctx, &filters).await?;
    let sort = report::Order::of::<R>(&Sort::from_query_string(query))?;
    let (sender, receiver) = mpsc::channel::<Batch>(2);
    let path_for_writer = path.to_path_buf();
    let xlsx = matches!(format, ExportFormat::Xlsx);
    let writing = tokio::task::spawn_blocking(move || {
        if xlsx {
            write_xlsx::<R>(&path_for_writer, receiver)
        } else {
            write_csv::<R>(&path_for_writer, receiver)
        }
    });
    let mut rows = 0i64;
    let mut cursor = None;
    let pool = &ctx.state.pool;
    let read_all = loop {
        let mut lines = Vec::with_capacity(BATCH as usize);
        let read = report::batch_each::<R>(pool, (&scoped, sort), cursor, BATCH, |_, row| {
            lines.extend(R::lines(row).iter().map(cells));
        })
        .await;
        let (read, last) = match read {
            Ok(read) => read,
            Err(error) => break Err(error),
        };
        rows += i64::try_from(lines.len()).unwrap_or(i64::MAX);
        cursor = last;
        // A closed channel means the writer failed: its error is read below.
        if sender.send(Batch::Lines(lines)).await.is_err() {
            break Ok(());
        }
        if read < BATCH {
            let _ = sender.send(Batch::Done).await;
            break Ok(());
        }
    };
    drop(sender);
    // Waited for whatever happened, so that no writer is left creating the file afterwards.
    let written = writing.await.map_err(|e| internal(&e))?;
    read_all?;
    written.map_err(|e| {
        AppError::validation(
            "file",
            format!("The file could not be written in the exports folder: {e}."),
        )
    })?;
    let (bytes, sha256) = digest(path).await?;
    Ok(Written {
        rows,
        bytes,
        sha256,
    })
}

/// Stopped before the reading side said every batch was sent.
fn cut_short() -> std::io::Error {
    std::io::Error::other("the report could not be read to its end")
}

fn write_csv<R: Report>(path: &Path, mut receiver: mpsc::Receiver<Batch>) -> std::io::Result<()> {
    let written = (|| {
        let mut file = std::io::BufWriter::new(std::fs::File::create(path)?);
        let mut buffer = UTF8_BOM.as_bytes().to_vec();
        write_record(&mut buffer, keys::<R::Line>()).map_err(std::io::Error::other)?;
        file.write_all(&buffer)?;
        loop {
            match receiver.blocking_recv() {
                Some(Batch::Lines(lines)) => {
                    buffer.clear();
                    for line in lines {
                        write_record(&mut buffer, line).map_err(std::io::Error::other)?;
                    }
                    file.write_all(&buffer)?;
                }
                Some(Batch::Done) => break,
                None => return Err(cut_short()),
            }
        }
        file.into_inner().map_err(|e| e.into_error())?.sync_all()
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(path);
    }
    written
}

fn write_xlsx<R: Report>(path: &Path, mut receiver: mpsc::Receiver<Batch>) -> std::io::Result<()> {
    let kinds: Vec<_> = R::Line::columns().iter().map(|c| c.kind).collect();
    let mut writer = SheetWriter::new(R::SHEET, &headings::<R::Line>(), &kinds, R::XLSX_NUMBERS)
        .map_err(std::io::Error::other)?;
    loop {
        match receiver.blocking_recv() {
            Some(Batch::Lines(lines)) => {
                for cells in lines {
                    writer.push(&cells).map_err(std::io::Error::other)?;
                }
            }
            Some(Batch::Done) => break,
            // Nothing was created yet: the workbook is only saved once whole.
            None => return Err(cut_short()),
        }
    }
    let saved = (|| {
        let mut file = std::io::BufWriter::new(std::fs::File::create(path)?);
        writer.save(&mut file).map_err(std::io::Error::other)?;
        file.into_inner().map_err(|e| e.into_error())?.sync_all()
    })();
    if saved.is_err() {
        let _ = std::fs::remove_file(path);
    }
    saved
}

/// The file's size and SHA-256 (hex), read back from disk: what is kept is what was hashed.
pub async fn digest(path: &Path) -> Result<(i64, String), AppError> {
    let path = path.to_path_buf();
    tokio::task::spawn_blocking(move || {
        let mut file = std::fs::File::open(&path)?;
        let mut hasher = Sha256::new();
        let bytes = std::io::copy(&mut file, &mut hasher)?;
        let hex: String = hasher
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        Ok::<_, std::io::Error>((i64::try_from(bytes).unwrap_or(i64::MAX), hex))
    })
    .await
    .map_err(|e| internal(&e))?
    .map_err(|e| internal(&e))
}

#[cfg(test)]
mod schedulable_tests {
    use crate::model::SCHEDULABLE;
    use crate::report::Report;
    use types::report::UrlQuery;

    /// Whether report `R`'s filters take the days a run sets.
    async fn takes_days<R: Report>() -> bool {
        let filters = R::Filters::from_query_string("from=2026-12-01&to=2026-12-07");
        let query = filters.to_query_string();
        query.contains("from=2026-12-01") && query.contains("to=2026-12-07")
    }

    #[tokio::test]
    async fn every_schedulable_report_takes_the_days_of_a_run() {
        for schedulable in SCHEDULABLE {
            let takes = crate::by_report_key!(schedulable.key, takes_days(), false);
            assert!(takes, "{} has no from/to filters", schedulable.key);
        }
    }
}
