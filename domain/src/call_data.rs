//! Call data (`docs/call-data.md`): what the dialer did, read from the call-data feed
//! (`docs/call-data-feed.md`) into partitioned raw tables with their summaries kept in the same
//! transaction — seed 001's "OCM Report Scheduler". `parse.rs` pure page reading, `fetch.rs` the
//! bounded HTTP read, `files.rs` + `folder.rs` the second input (CSV files in a folder),
//! `ingest.rs` one run by cursor, `store.rs` rows and summaries, `rebuild.rs` summaries
//! recomputed, `problems.rs` what was wrong with the input, `worker.rs` the loop, `upkeep.rs`
//! partitions ahead, retention and the status `/readyz` shows, `status_view.rs` the admins' page,
//! `sales_input.rs` sales-screen records from other systems (the API).

pub mod fetch;
pub mod files;
pub mod folder;
pub mod ingest;
pub mod parse;
pub mod problems;
pub mod rebuild;
pub mod records;
pub mod refused;
pub mod sales_input;
pub mod status_view;
pub mod store;
pub mod suppress;
pub mod upkeep;
pub mod worker;

/// Whether `name` is a time zone jiff's database knows (the report time zone is checked at
/// start-up; Postgres then computes report days in it).
pub fn known_zone(name: &str) -> bool {
    jiff::tz::TimeZone::get(name).is_ok()
}
