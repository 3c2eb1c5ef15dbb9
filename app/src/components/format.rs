//! Text helpers every page and component shares: times shortened for tables, counts with their
//! noun in the right number (`types::words`, shared with the server), POM's dates as OCM writes
//! them, and refusals in the user's words.

pub use types::words::{plural, thousands};

use crate::error::AppError;

/// `2026-11-20T22:46:47.123Z` → `2026-11-20 22:46:47`.
pub fn short_time(rfc3339: &str) -> String {
    rfc3339.replacen('T', " ", 1).chars().take(19).collect()
}

/// POM's wall time `2026/12/05 09:30:00` as every date reads in OCM: `2026-12-05 09:30:00`.
pub fn pom_wall_time(text: &str) -> String {
    text.replace('/', "-")
}

/// A refusal in the user's words. POM's rules and the pre-flight's arrive as plain messages; the
/// field a validation names is already clear from where the message shows.
pub fn error_text(error: &AppError) -> String {
    match error {
        AppError::Validation { message, .. } => message.clone(),
        other => other.to_string(),
    }
}

/// Seconds as `h:mm:ss` (durations in the agent and job reports).
pub fn duration(seconds: i64) -> String {
    let sign = if seconds < 0 { "-" } else { "" };
    let s = seconds.unsigned_abs();
    format!("{sign}{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_shortened_to_seconds() {
        assert_eq!(
            short_time("2026-11-20T22:46:47.123456Z"),
            "2026-11-20 22:46:47"
        );
    }

    #[test]
    fn pom_dates_read_like_every_other_date() {
        assert_eq!(pom_wall_time("2026/12/05 09:30:00"), "2026-12-05 09:30:00");
    }

    #[test]
    fn validation_messages_drop_the_field_name() {
        let error = AppError::validation("address", "Not a phone number or e-mail address.");
        assert_eq!(error_text(&error), "Not a phone number or e-mail address.");
        let pom = AppError::ExternalService("POM refused the address.".into());
        assert_eq!(error_text(&pom), "POM refused the address.");
    }
}
