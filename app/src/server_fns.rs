//! Server functions, grouped by area. Each is thin: an access check from `guard`, one
//! `domain` call, and nothing else. Endpoints are stable (`/api/<area>/<name>`) so tests and
//! scripts can call them over HTTP.

pub mod account;
pub mod admin;
pub mod api_clients;
pub mod audit;
pub mod callbacks;
pub mod campaigns;
pub mod completion_rules;
pub mod dnc;
pub mod erasure;
pub mod export_schedules;
pub mod jobs;
pub mod lists;
pub mod mappings;
pub mod purge;
pub mod reports;
pub mod session;
pub mod status;
pub mod two_factor;
pub mod uploads;
pub mod webhooks;
