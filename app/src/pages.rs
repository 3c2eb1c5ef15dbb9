//! One module per page; components named `*Page`.

pub mod audit;
pub mod dashboard;
pub mod login;
pub mod not_found;
