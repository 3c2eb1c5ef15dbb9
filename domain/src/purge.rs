//! Purge: the filter (`filter`), reading a whole list (`scan`), the dry run and its stored plan
//! (`plan`), confirmation with the snapshot written first (`start`), the durable delete job
//! (`execute`, `delete`, `finish`), restore (`restore` starts it, `restore_job` runs it,
//! `contact_record`), retrying failed deletes (`retry` starts it, `retry_job` runs it), history
//! (`history`), snapshot pages (`snapshot`) and snapshot retention (`retention`).

pub mod contact_record;
pub mod delete;
pub mod execute;
pub mod filter;
pub mod finish;
pub mod history;
pub mod plan;
pub mod restore;
pub mod restore_job;
pub mod retention;
pub mod retry;
mod retry_end;
pub mod retry_job;
pub mod scan;
pub mod snapshot;
pub mod start;
