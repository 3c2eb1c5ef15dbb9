//! One module per page; components named `*Page`.

pub mod audit;
pub mod dashboard;
pub mod list_detail;
pub mod lists;
pub mod login;
pub mod not_found;
pub mod purge;
pub mod purge_history;
pub mod purge_run;
