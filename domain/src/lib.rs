//! OCM's domain: database access, POM, durable jobs, file parsing, authentication and audit. The
//! UI's server functions and the `server` crate's routes call into here; nothing here knows Leptos.

pub use types::{error, model};

pub mod access;

pub mod audit;
pub mod audit_log;
pub mod auth;
pub mod campaigns;
pub mod csp;
pub mod dates;
pub mod dnc;
pub mod export;
pub mod jobs;
pub mod lists;
pub mod passwords;
pub mod phone;
pub mod preflights;
pub mod purge;
pub mod request_meta;
pub mod session_end;
pub mod state;
pub mod status;
pub mod tabular;
pub mod throttle;
pub mod uploads;
pub mod users;
