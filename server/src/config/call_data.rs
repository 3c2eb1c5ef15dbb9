//! Call-data settings from the environment: the feed, the import folder, the report time zone (an IANA name, checked
//! against jiff's time-zone database), how often and how much is read, retention, and the AMD
//! false-positive rate the compliance view's UK estimate uses.

use std::time::Duration;

use domain::settings::CallDataSettings;

use super::read::number;
use super::{problem, ConfigError};

/// Reads the call-data settings (defaults in `CallDataSettings::default`).
pub fn call_data(lookup: &dyn Fn(&str) -> Option<String>) -> Result<CallDataSettings, ConfigError> {
    let defaults = CallDataSettings::default();
    let text = |var: &str| {
        lookup(var)
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    // A comma-separated list of completion codes; unset or blank keeps the default.
    let codes = |var: &str| {
        text(var).map(|v| {
            v.split(',')
                .map(|c| c.trim().to_string())
                .filter(|c| !c.is_empty())
                .collect::<Vec<_>>()
        })
    };
    let time_zone = text("OCM_REPORT_TIME_ZONE").unwrap_or(defaults.time_zone);
    if !domain::call_data::known_zone(&time_zone) {
        return Err(problem(
            "OCM_REPORT_TIME_ZONE",
            format!(
                "'{time_zone}' is not a time zone name (use an IANA name such as Europe/London \
                 or America/New_York)"
            ),
        ));
    }
    let import_dir = text("OCM_CALL_DATA_IMPORT_DIR").map(std::path::PathBuf::from);
    if let Some(dir) = import_dir.as_ref().filter(|d| !d.is_dir()) {
        return Err(problem(
            "OCM_CALL_DATA_IMPORT_DIR",
            format!("'{}' is not a folder OCM can read", dir.display()),
        ));
    }
    let every_ms = number(lookup, "OCM_CALL_DATA_EVERY_MS", 5_000_u64, 200..=600_000)?;
    let amd_false_positive_percent = match text("OCM_COMPLIANCE_AMD_FALSE_POSITIVE_PERCENT") {
        None => defaults.amd_false_positive_percent,
        Some(raw) => raw
            .parse::<f64>()
            .ok()
            .filter(|p| (0.0..=100.0).contains(p))
            .ok_or_else(|| {
                problem(
                    "OCM_COMPLIANCE_AMD_FALSE_POSITIVE_PERCENT",
                    format!("'{raw}' is not a percentage from 0 to 100 (such as 2.5)"),
                )
            })?,
    };
    Ok(CallDataSettings {
        feed_url: text("OCM_POM_FEED_URL"),
        import_dir,
        time_zone,
        amd_false_positive_percent,
        nsp_codes: codes("OCM_REPORT_NSP_CODES").unwrap_or(defaults.nsp_codes),
        ntc_codes: codes("OCM_REPORT_NTC_CODES").unwrap_or(defaults.ntc_codes),
        dnc_request_codes: codes("OCM_REPORT_DNC_REQUEST_CODES")
            .unwrap_or(defaults.dnc_request_codes),
        every: Duration::from_millis(every_ms),
        page: number(lookup, "OCM_CALL_DATA_PAGE", defaults.page, 100..=50_000)?,
        retention_months: number(
            lookup,
            "OCM_CALL_DATA_RETENTION_MONTHS",
            defaults.retention_months,
            1..=120,
        )?,
    })
}
