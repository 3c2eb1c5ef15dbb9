//! The audit log kept for years (`docs/audit-trail.md`): monthly partitions, the hash chain that
//! makes an edited, deleted or re-ordered record detectable (`verify`), archives of old months
//! (`archive`, `restore`) and the daily upkeep that creates, archives and expires (`upkeep`).
//! The chain itself is written by the database (`audit_event_link`, migration
//! `20261207000001_audit_chain.sql`), so every record is chained however it was inserted.

pub mod archive;
pub mod file;
pub mod restore;
pub mod retention_view;
pub mod upkeep;
pub mod verify;

use time::{Date, Month};

/// A month of the audit log: the first day of a UTC calendar month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AuditMonth(Date);

impl AuditMonth {
    /// The month containing `date`.
    pub fn of(date: Date) -> Self {
        AuditMonth(date.replace_day(1).expect("day 1 exists in every month"))
    }

    /// The current month (UTC).
    pub fn now() -> Self {
        Self::of(time::OffsetDateTime::now_utc().date())
    }

    /// Reads `YYYY-MM`.
    pub fn parse(text: &str) -> Option<Self> {
        let (year, month) = text.trim().split_once('-')?;
        let year: i32 = year.parse().ok().filter(|y| (1970..=9999).contains(y))?;
        let month = Month::try_from(month.parse::<u8>().ok()?).ok()?;
        Date::from_calendar_date(year, month, 1)
            .ok()
            .map(AuditMonth)
    }

    /// `months` later (negative: earlier).
    pub fn plus(self, months: i32) -> Self {
        let index = self.0.year() * 12 + i32::from(u8::from(self.0.month())) - 1 + months;
        let month = u8::try_from(index.rem_euclid(12) + 1).expect("1..=12");
        AuditMonth(
            Date::from_calendar_date(
                index.div_euclid(12),
                Month::try_from(month).expect("1..=12"),
                1,
            )
            .expect("day 1 exists"),
        )
    }

    /// Its first day, as the database stores `chain_month`.
    pub fn first_day(self) -> Date {
        self.0
    }
}

impl std::fmt::Display for AuditMonth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}", self.0.year(), u8::from(self.0.month()))
    }
}

/// Lower-case hexadecimal, as hashes are printed and stored in manifests.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_parse_print_and_step_across_years() {
        let month = AuditMonth::parse("2026-12").unwrap();
        assert_eq!(month.to_string(), "2026-12");
        assert_eq!(month.plus(1).to_string(), "2027-01");
        assert_eq!(month.plus(-12).to_string(), "2025-12");
        assert_eq!(month.plus(-13).to_string(), "2025-11");
        assert_eq!(AuditMonth::parse("2026-13"), None);
        assert_eq!(AuditMonth::parse("december"), None);
        assert_eq!(
            AuditMonth::of(time::macros::date!(2026 - 02 - 28)).to_string(),
            "2026-02"
        );
    }
}
