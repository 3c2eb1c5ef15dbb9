//! Dates as the pages send them (`YYYY-MM-DD` whole-day filters) and instants as they receive them.

use time::Date;

use crate::error::AppError;

/// An optional day; a value that is not a date is refused naming `field`.
pub fn day(field: &str, value: &Option<String>) -> Result<Option<Date>, AppError> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    match value.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => Date::parse(v, &format).map(Some).map_err(|_| {
            AppError::validation(field, format!("“{v}” is not a date; use YYYY-MM-DD."))
        }),
    }
}

/// An instant as RFC 3339 (what the browser receives).
pub fn rfc3339(at: time::OffsetDateTime) -> String {
    at.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}
