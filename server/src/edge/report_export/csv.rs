//! The CSV half of an export: keyset batches, each row written as the database sends it (so
//! Postgres and the writing use both cores), handed through a small channel as the browser reads
//! them (constant memory, any size). Each hand-over waits at most [`SEND_WAIT`], so a download
//! that stops reading does not keep its task and database cursor forever; at most
//! [`PARALLEL_CSV`] run at once, so slow downloads cannot take every database connection.

use std::time::Duration;

use axum::body::Bytes;
use domain::export::lines::{cells, keys};
use domain::export::{write_record, UTF8_BOM};
use domain::report::{self, Report, BATCH};
use sqlx::PgPool;
use tokio::sync::{mpsc, OwnedSemaphorePermit, Semaphore};

/// Batches written ahead of the browser (each up to [`BATCH`] rows).
pub const CHANNEL: usize = 4;

/// CSV exports streaming at once, across every report; past that OCM answers busy.
pub const PARALLEL_CSV: usize = 6;

static CSV_SLOTS: std::sync::LazyLock<std::sync::Arc<Semaphore>> =
    std::sync::LazyLock::new(|| std::sync::Arc::new(Semaphore::new(PARALLEL_CSV)));

/// A slot for one CSV export, held until its stream ends; `None` when all are taken.
pub fn slot() -> Option<OwnedSemaphorePermit> {
    CSV_SLOTS.clone().try_acquire_owned().ok()
}

/// How long a batch waits for the browser to read the previous ones.
const SEND_WAIT: Duration = Duration::from_secs(60);

type Sender = mpsc::Sender<Result<Bytes, std::io::Error>>;

/// Hands one chunk to the browser; false when it went away or stopped reading (logged once:
/// the producer stops at the first false).
async fn send<R: Report>(sender: &Sender, chunk: Result<Bytes, std::io::Error>) -> bool {
    match tokio::time::timeout(SEND_WAIT, sender.send(chunk)).await {
        Ok(sent) => sent.is_ok(),
        Err(_) => {
            tracing::warn!(
                report = R::FILE_STEM,
                wait_secs = SEND_WAIT.as_secs(),
                "CSV export stopped: the download stopped reading"
            );
            false
        }
    }
}

/// Writes the CSV into `sender` batch by batch; stops when the browser goes away or stalls.
pub async fn produce<R: Report>(
    pool: PgPool,
    (scoped, sort): (R::Scoped, report::Order),
    sender: Sender,
    _slot: OwnedSemaphorePermit,
) {
    let mut buffer = UTF8_BOM.as_bytes().to_vec();
    if write_record(&mut buffer, keys::<R::Line>()).is_err()
        || !send::<R>(&sender, Ok(Bytes::from(buffer))).await
    {
        return;
    }
    let mut cursor = None;
    loop {
        // Each row is written as it arrives, while the database is still sending the rest.
        let mut buffer = Vec::with_capacity(BATCH as usize * 200);
        let mut written = true;
        let read = report::batch_each::<R>(&pool, (&scoped, sort), cursor, BATCH, |_, row| {
            for line in R::lines(row) {
                written &= write_record(&mut buffer, cells(&line)).is_ok();
            }
        })
        .await;
        let (rows, last) = match read {
            Ok(read) => read,
            Err(error) => return interrupted::<R>(&sender, error.to_string()).await,
        };
        if !written {
            return interrupted::<R>(&sender, "a line could not be written".into()).await;
        }
        if rows > 0 && !send::<R>(&sender, Ok(Bytes::from(buffer))).await {
            return;
        }
        if rows < BATCH {
            return;
        }
        cursor = last;
    }
}

/// Tells the browser the file is cut short (its download fails rather than looking whole).
async fn interrupted<R: Report>(sender: &Sender, error: String) {
    tracing::error!(error = %error, "export stopped");
    send::<R>(sender, Err(std::io::Error::other("export interrupted"))).await;
}
