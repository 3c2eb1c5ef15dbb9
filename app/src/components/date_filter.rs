//! Messages for the date filters of history and report pages.

use crate::error::AppError;
use crate::model::parse_date;

/// The message for a date filter: the browser's own check first, then the server's answer.
pub fn date_error(value: &Option<String>, field: &str, error: &Option<AppError>) -> Option<String> {
    if value.as_deref().is_some_and(|v| parse_date(v).is_none()) {
        return Some("Write the date as YYYY-MM-DD.".into());
    }
    match error {
        Some(AppError::Validation { field: f, message }) if f == field => Some(message.clone()),
        _ => None,
    }
}
