//! One module per page; components named `*Page`.

pub mod account;
pub mod admin;
pub mod audit;
pub mod callbacks;
pub mod campaigns;
pub mod contact;
pub mod dashboard;
pub mod dnc;
pub mod dnc_report;
pub mod dnc_upload;
pub mod export_schedules;
pub mod list_detail;
pub mod lists;
pub mod login;
pub mod not_found;
pub mod purge;
pub mod purge_history;
pub mod purge_run;
pub mod reports;
pub mod rule_applications;
pub mod upload_detail;
pub mod upload_history;
pub mod upload_sources;
pub mod uploads;
