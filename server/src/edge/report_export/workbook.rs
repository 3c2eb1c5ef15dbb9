//! The XLSX half of an export, in constant memory: keyset batches are handed to a blocking thread
//! that writes each row to the workbook's temporary sheet file as it comes
//! (`domain::export::SheetWriter`), so reading the database and writing cells overlap; once every
//! row is written the workbook is zipped straight into the response body. Any number of rows:
//! past Excel's 1,048,576 a sheet is continued in the next (`"<sheet> (2)"`). At most
//! [`PARALLEL_WORKBOOKS`] are built at once (each takes a core); past that OCM answers busy
//! rather than queue more of them.

use std::io::Write;

use axum::body::{Body, Bytes};
use domain::export::lines::{cells, headings};
use domain::export::SheetWriter;
use domain::report::{self, Report, BATCH};
use sqlx::PgPool;
use tokio::sync::{mpsc, OwnedSemaphorePermit, Semaphore};
use types::error::{internal, AppError};
use types::report::ReportRow;

/// Workbooks built at once, across every report.
pub const PARALLEL_WORKBOOKS: usize = 2;
/// What a busy answer asks the browser to wait before trying again.
const RETRY_AFTER_SECS: u64 = 30;
/// Batches read ahead of the thread writing cells.
const AHEAD: usize = 2;
/// Bytes of the zipped workbook per chunk of the response.
const CHUNK: usize = 256 * 1024;

static WORKBOOKS: std::sync::LazyLock<std::sync::Arc<Semaphore>> =
    std::sync::LazyLock::new(|| std::sync::Arc::new(Semaphore::new(PARALLEL_WORKBOOKS)));

/// A workbook with every row written, ready to be zipped into a response.
pub struct Built {
    writer: SheetWriter,
    slot: OwnedSemaphorePermit,
}

impl Built {
    /// Lines written (headers not counted).
    pub fn rows(&self) -> usize {
        self.writer.rows()
    }

    /// The workbook as a body, zipped on a blocking thread as the browser reads it. The slot is
    /// held until the last byte (or until the browser goes away, which ends the zipping).
    pub fn into_body(self) -> Body {
        let (sender, mut receiver) = mpsc::channel::<Result<Bytes, std::io::Error>>(2);
        tokio::task::spawn_blocking(move || {
            let Built { writer, slot } = self;
            let _slot = slot;
            let mut out = std::io::BufWriter::with_capacity(
                CHUNK,
                ChannelWriter {
                    sender: sender.clone(),
                },
            );
            let saved = writer
                .save(&mut out)
                .map_err(std::io::Error::other)
                .and_then(|()| out.flush());
            if let Err(error) = saved {
                tracing::warn!(error = %error, "workbook export stopped");
                // The body ends with an error, so the browser does not keep a cut file as whole.
                let _ = sender.blocking_send(Err(error));
            }
        });
        Body::from_stream(futures::stream::poll_fn(move |cx| receiver.poll_recv(cx)))
    }
}

/// The zip's bytes into the response body; fails once the browser has gone.
struct ChannelWriter {
    sender: mpsc::Sender<Result<Bytes, std::io::Error>>,
}

impl Write for ChannelWriter {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.sender
            .blocking_send(Ok(Bytes::copy_from_slice(bytes)))
            .map_err(|_| std::io::Error::from(std::io::ErrorKind::BrokenPipe))?;
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Every line of report `R` written into a workbook; busy when [`PARALLEL_WORKBOOKS`] are being
/// built. Nothing is sent before every row is written, so a failure is still answered as one.
pub async fn build<R: Report>(
    pool: &PgPool,
    (scoped, sort): (&R::Scoped, report::Order),
) -> Result<Built, AppError> {
    let slot = WORKBOOKS
        .clone()
        .try_acquire_owned()
        .map_err(|_| AppError::Busy {
            message: "OCM is building other spreadsheets right now. Try again in a minute, or \
                  export CSV."
                .into(),
            retry_after_secs: RETRY_AFTER_SECS,
        })?;
    let (sender, mut receiver) = mpsc::channel::<Vec<Vec<String>>>(AHEAD);
    let writing = tokio::task::spawn_blocking(move || {
        let header = headings::<R::Line>();
        let kinds: Vec<_> = R::Line::columns().iter().map(|c| c.kind).collect();
        let mut writer = SheetWriter::new(R::SHEET, &header, &kinds, R::XLSX_NUMBERS)
            .map_err(std::io::Error::other)?;
        while let Some(lines) = receiver.blocking_recv() {
            for cells in lines {
                writer.push(&cells).map_err(std::io::Error::other)?;
            }
        }
        Ok::<_, std::io::Error>(writer)
    });
    let mut cursor = None;
    loop {
        // Each row's cells are made as it arrives, while the database sends the rest.
        let mut lines = Vec::with_capacity(BATCH as usize);
        let (rows, last) =
            report::batch_each::<R>(pool, (scoped, sort), cursor, BATCH, |_, row| {
                lines.extend(R::lines(row).iter().map(cells));
            })
            .await?;
        let full = rows == BATCH;
        cursor = last;
        // A closed channel means the writer failed: its error is read below.
        if sender.send(lines).await.is_err() || !full {
            break;
        }
    }
    drop(sender);
    let writer = writing
        .await
        .map_err(|e| internal(&e))?
        .map_err(|e| internal(&e))?;
    Ok(Built { writer, slot })
}
