//! The export scheduler (issue 18, seed 001 "OCM Export Scheduler", `docs/exports.md`): when a
//! schedule runs (`recurrence.rs`, daylight saving included) and which days a run covers
//! (`period.rs`), both pure; a schedule's fields checked (`checks.rs`), stored and changed
//! (`store.rs`) and read for the page (`view.rs`); firing exactly once across instances with
//! catch-up (`fire.rs`); runs a person asks for (`request.rs`); each run an `export_run` job
//! (`run_job.rs`) writing the report's file (`write.rs`); the files' download and retention
//! (`files.rs`); deliveries by e-mail and SFTP to where admins allow (`recipients.rs`), queued,
//! claimed and retried (`deliver.rs`), sent (`send.rs`, `email.rs`); the worker that fires,
//! delivers and sweeps (`worker.rs`); the demo's schedules (`demo.rs`).

pub mod checks;
pub mod deliver;
pub mod demo;
pub mod email;
pub mod files;
pub mod fire;
pub mod period;
pub mod recipients;
pub mod recurrence;
pub mod request;
pub mod run_job;
pub mod send;
pub mod store;
pub mod view;
pub mod worker;
pub mod write;

use jiff::Timestamp;
use time::OffsetDateTime;

use crate::error::AppError;

/// A jiff instant as the database's.
pub fn to_offset(at: Timestamp) -> Result<OffsetDateTime, AppError> {
    OffsetDateTime::from_unix_timestamp_nanos(at.as_nanosecond())
        .map_err(|e| crate::error::internal(&e))
}

/// The database's instant as jiff's.
pub fn to_jiff(at: OffsetDateTime) -> Result<Timestamp, AppError> {
    Timestamp::from_nanosecond(at.unix_timestamp_nanos()).map_err(|e| crate::error::internal(&e))
}
