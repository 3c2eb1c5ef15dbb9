//! The export scheduler's rules (issue 18, seed 001 "OCM Export Scheduler"): when a schedule
//! runs (`recurrence.rs`, daylight saving included) and which days a run covers (`period.rs`),
//! both pure, over a clock they are given. The schedules' store, their runs as durable jobs and
//! the deliveries follow in the next change (`docs/exports.md`).

pub mod period;
pub mod recurrence;
