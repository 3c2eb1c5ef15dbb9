//! Manual contact uploads: an admin's file of contacts for a POM contact list, its columns mapped
//! to POM attributes, pre-flighted and converted (`preflight`) into the file POM's file data
//! source imports. `sources` keeps the list → data source → SFTP path mapping, `store` receives
//! files, `check` runs the pre-flight with the user's choices, `send` confirms, `send_job` hands
//! the file over (SFTP, then "run once" in `run_once`), `follow` tracks POM's import to its end and
//! `import_end` compares the list afterwards and keeps what never became a contact for the
//! Account Not in Listing report (`not_listed`; their shared steps: `job_steps`); `view`, `history`
//! and `retention` read and age the records.

pub mod check;
mod follow;
pub mod history;
mod import_end;
mod job_steps;
mod not_listed;
mod parts;
pub mod preflight;
pub mod retention;
mod run_once;
pub mod send;
pub mod send_job;
pub mod sources;
mod split;
pub mod store;
mod summary;
pub mod view;

use crate::model::Role;

/// Who may upload contacts and map data sources.
pub const ROLES: [Role; 1] = [Role::Admin];
