//! Settings for background work: purge concurrency, rate and snapshot retention, the seed's
//! `DirectPurge` and `ContactListFilter` keys, how jobs are taken over, and DNC upload limits,
//! the list matching and the kill-list feed, and how campaign jobs are watched.

use std::time::Duration;

use domain::floor::window::CallingWindow;
use domain::settings::{
    ApiSettings, CampaignSettings, DncSettings, JobSettings, ListMatch, PurgeSettings,
};

use super::read::number;
use super::{problem, ConfigError};

/// Reads the purge settings (defaults in `PurgeSettings::default`).
pub fn purge(lookup: &dyn Fn(&str) -> Option<String>) -> Result<PurgeSettings, ConfigError> {
    let defaults = PurgeSettings::default();
    let text = |var: &str, default: &str| {
        lookup(var)
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
            .unwrap_or_else(|| default.to_string())
    };
    Ok(PurgeSettings {
        concurrency: number(
            lookup,
            "OCM_PURGE_CONCURRENCY",
            defaults.concurrency,
            1..=128,
        )?,
        rate_per_second: number(
            lookup,
            "OCM_PURGE_RATE_PER_SECOND",
            defaults.rate_per_second,
            1..=100_000,
        )?,
        snapshot_retention: Duration::from_secs(
            86_400 * number(lookup, "OCM_SNAPSHOT_RETENTION_DAYS", 30_u64, 1..=3_650)?,
        ),
        direct_attribute: text("OCM_DIRECT_PURGE_ATTRIBUTE", &defaults.direct_attribute),
        manual_list_filter: text("OCM_CONTACT_LIST_FILTER", &defaults.manual_list_filter),
        read_page_size: number(
            lookup,
            "OCM_POM_READ_PAGE_SIZE",
            defaults.read_page_size,
            10..=5_000,
        )?,
        in_progress_tries: number(
            lookup,
            "OCM_PURGE_IN_PROGRESS_TRIES",
            defaults.in_progress_tries,
            1..=20,
        )?,
    })
}

/// Reads the job runner's settings.
pub fn jobs(lookup: &dyn Fn(&str) -> Option<String>) -> Result<JobSettings, ConfigError> {
    let defaults = JobSettings::default();
    let stale = number(lookup, "OCM_JOB_STALE_AFTER_SECONDS", 30_u64, 2..=3_600)?;
    Ok(JobSettings {
        stale_after: Duration::from_secs(stale),
        // The heartbeat also carries cancel requests to the worker: once a second at most.
        heartbeat_every: Duration::from_secs_f64((stale as f64 / 6.0).clamp(0.3, 1.0)),
        parallel: number(lookup, "OCM_JOB_PARALLEL", defaults.parallel, 1..=16)?,
    })
}

/// Reads the DNC settings (defaults in `DncSettings::default`).
pub fn dnc(lookup: &dyn Fn(&str) -> Option<String>) -> Result<DncSettings, ConfigError> {
    let defaults = DncSettings::default();
    let text = |var: &str| {
        lookup(var)
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    let list_match = match text("OCM_DNC_LIST_MATCH").as_deref() {
        None => defaults.list_match,
        Some("exact") => ListMatch::Exact,
        Some("prefix") => ListMatch::Prefix,
        Some("contains") => ListMatch::Contains,
        Some(other) => {
            return Err(super::problem(
                "OCM_DNC_LIST_MATCH",
                format!("'{other}' is not exact, prefix or contains"),
            ))
        }
    };
    Ok(DncSettings {
        max_file_bytes: 1024 * 1024 * number(lookup, "OCM_DNC_MAX_FILE_MB", 50_u64, 1..=1024)?,
        max_rows: number(
            lookup,
            "OCM_DNC_MAX_ROWS",
            defaults.max_rows,
            1..=10_000_000,
        )?,
        list_match,
        batch: defaults.batch,
    })
}

/// Reads the campaign settings (defaults in `CampaignSettings::default`).
pub fn campaigns(lookup: &dyn Fn(&str) -> Option<String>) -> Result<CampaignSettings, ConfigError> {
    let defaults = CampaignSettings::default();
    let time_zone = lookup("OCM_POM_TIME_ZONE")
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
        .unwrap_or(defaults.time_zone);
    if pom::zones::offset_minutes(&time_zone).is_none() {
        return Err(problem(
            "OCM_POM_TIME_ZONE",
            format!(
                "{time_zone:?} is not a time zone OCM knows; use one of {} or UTC+hh:mm",
                pom::zones::names().collect::<Vec<_>>().join(", ")
            ),
        ));
    }
    Ok(CampaignSettings {
        poll_interval: Duration::from_millis(number(
            lookup,
            "OCM_CAMPAIGN_POLL_MS",
            1_000_u64,
            200..=60_000,
        )?),
        catalogue_ttl: Duration::from_secs(number(
            lookup,
            "OCM_CAMPAIGN_CATALOGUE_SECONDS",
            60_u64,
            1..=86_400,
        )?),
        time_zone,
        banner_for: Duration::from_secs(
            3_600 * number(lookup, "OCM_EMERGENCY_BANNER_HOURS", 24_u64, 1..=720)?,
        ),
        calling_window: match lookup("OCM_CALLING_WINDOW").filter(|v| !v.trim().is_empty()) {
            None => defaults.calling_window,
            Some(text) => CallingWindow::parse(&text).ok_or_else(|| {
                problem(
                    "OCM_CALLING_WINDOW",
                    format!(
                        "{:?} is not a calling window; write HH:MM-HH:MM, start before end (e.g. 08:00-21:00)",
                        domain::export_schedules::checks::shown(&text)
                    ),
                )
            })?,
        },
    })
}

/// The automation API's token lifetime, rate limit and body limit.
pub fn api(lookup: &dyn Fn(&str) -> Option<String>) -> Result<ApiSettings, ConfigError> {
    let defaults = ApiSettings::default();
    Ok(ApiSettings {
        token_lifetime: Duration::from_secs(number(
            lookup,
            "OCM_API_TOKEN_SECONDS",
            defaults.token_lifetime.as_secs(),
            60..=86_400,
        )?),
        rate_per_minute: number(
            lookup,
            "OCM_API_RATE_PER_MINUTE",
            defaults.rate_per_minute,
            1..=1_000_000,
        )?,
        max_body_bytes: number(
            lookup,
            "OCM_API_MAX_BODY_BYTES",
            defaults.max_body_bytes,
            1024..=64 * 1024 * 1024,
        )?,
        webhook_private_addresses: match lookup("OCM_WEBHOOK_PRIVATE_ADDRESSES")
            .as_deref()
            .map(str::trim)
        {
            None | Some("") | Some("refuse") => false,
            Some("allow") => true,
            Some(other) => {
                return Err(problem(
                    "OCM_WEBHOOK_PRIVATE_ADDRESSES",
                    format!("'{other}' is neither refuse nor allow"),
                ))
            }
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::config::read::pairs as lookup;

    #[test]
    fn campaign_settings_default_and_refuse_unknown_zones() {
        let defaults = campaigns(&lookup(&[])).unwrap();
        assert_eq!(defaults.time_zone, "UTC");
        assert_eq!(defaults.poll_interval, Duration::from_secs(1));
        let london = campaigns(&lookup(&[("OCM_POM_TIME_ZONE", "Europe/London")])).unwrap();
        assert_eq!(london.time_zone, "Europe/London");
        let error = campaigns(&lookup(&[("OCM_POM_TIME_ZONE", "Mars/Olympus")])).unwrap_err();
        assert_eq!(error.var, "OCM_POM_TIME_ZONE");
        let error = campaigns(&lookup(&[("OCM_CAMPAIGN_POLL_MS", "50")])).unwrap_err();
        assert_eq!(error.var, "OCM_CAMPAIGN_POLL_MS");
    }
}
