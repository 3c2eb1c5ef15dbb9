//! Server-only code (feature `ssr`): database access, authentication, audit, status. Server
//! functions and the `server` crate's routes call into here; nothing here knows about Leptos views.

pub mod audit;
pub mod audit_log;
pub mod auth;
pub mod campaigns;
pub mod csp;
pub mod dates;
pub mod dnc;
pub mod export;
pub mod guard;
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
