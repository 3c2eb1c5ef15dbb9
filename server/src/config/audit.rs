//! Settings for the audit log's retention: months kept online, the archive folder and how long
//! archives are kept.

use domain::settings::AuditSettings;

use super::read::number;
use super::{problem, ConfigError};

/// Reads the audit retention settings (defaults in `AuditSettings::default`).
pub fn audit(lookup: &dyn Fn(&str) -> Option<String>) -> Result<AuditSettings, ConfigError> {
    let defaults = AuditSettings::default();
    let archive_dir = match lookup("OCM_AUDIT_ARCHIVE_DIR").map(|v| v.trim().to_string()) {
        None => defaults.archive_dir,
        Some(dir) if dir.is_empty() => {
            return Err(problem(
                "OCM_AUDIT_ARCHIVE_DIR",
                "is empty: name the folder archived audit months are written to",
            ))
        }
        Some(dir) => dir.into(),
    };
    Ok(AuditSettings {
        // At least two: the current month and the one before stay online whatever happens.
        online_months: number(
            lookup,
            "OCM_AUDIT_ONLINE_MONTHS",
            defaults.online_months,
            2..=240,
        )?,
        archive_dir,
        archive_years: number(
            lookup,
            "OCM_AUDIT_ARCHIVE_YEARS",
            defaults.archive_years,
            1..=100,
        )?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::config::read::pairs as lookup;

    #[test]
    fn audit_settings_default_and_refuse_out_of_range_values() {
        let defaults = audit(&lookup(&[])).unwrap();
        assert_eq!(defaults.online_months, 13);
        assert_eq!(defaults.archive_years, 7);
        let error = audit(&lookup(&[("OCM_AUDIT_ONLINE_MONTHS", "1")])).unwrap_err();
        assert_eq!(error.var, "OCM_AUDIT_ONLINE_MONTHS");
        let error = audit(&lookup(&[("OCM_AUDIT_ARCHIVE_DIR", "  ")])).unwrap_err();
        assert_eq!(error.var, "OCM_AUDIT_ARCHIVE_DIR");
        let set = audit(&lookup(&[("OCM_AUDIT_ARCHIVE_DIR", "/srv/ocm/audit")])).unwrap();
        assert_eq!(set.archive_dir, std::path::PathBuf::from("/srv/ocm/audit"));
    }
}
