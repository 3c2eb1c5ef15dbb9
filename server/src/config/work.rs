//! Settings for background work: purge concurrency, rate and snapshot retention, the seed's
//! `DirectPurge` and `ContactListFilter` keys, and how jobs are taken over.

use std::time::Duration;

use app::backend::state::{JobSettings, PurgeSettings};

use super::{number, ConfigError};

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
            1..=64,
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
