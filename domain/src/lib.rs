//! OCM's domain: database access, POM, durable jobs, file parsing, authentication and audit. The
//! UI's server functions and the `server` crate's routes call into here; nothing here knows Leptos.

pub use types::{error, model};

pub mod access;
pub mod account;
pub mod admin;
pub mod api;

pub mod audit;
pub mod audit_log;
pub mod audit_trail;
pub mod auth;
pub mod call_data;
pub mod callbacks;
pub mod campaigns;
pub mod completion_rules;
pub mod contacts;
pub mod csp;
pub mod dates;
pub mod dnc;
pub mod erasure;
pub mod export;
pub mod export_schedules;
pub mod floor;
pub mod freshness;
pub mod job_handlers;
pub mod job_hub;
pub mod jobs;
pub mod lists;
pub mod mappings;
pub mod ops_figures;
pub mod organizations;
pub mod passwords;
pub mod phone;
pub mod pom_client;
pub mod pom_gate;
pub mod preflights;
pub mod purge;
pub mod report;
pub mod reports;
pub mod request_meta;
pub mod session_end;
pub mod session_start;
pub mod settings;
pub mod shared_figures;
pub mod state;
pub mod status;
pub mod tabular;
pub mod throttle;
pub mod two_factor;
pub mod uploads;
pub mod users;
