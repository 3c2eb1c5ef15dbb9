//! What the metrics read from the database when scraped (`docs/operations.md`): jobs by kind and
//! state, how long the oldest queued job of each kind has waited, the completion-code rules'
//! waiting work, how far call-data ingestion is behind, and each organization's highest UK
//! abandon rate today. Plain figures: the server turns them into gauges.

use crate::error::AppError;
use crate::floor::today::highest_abandon_rate;
use crate::reports::today;
use crate::state::AppState;

/// The figures of one scrape.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OpsFigures {
    /// (kind, state, jobs).
    pub jobs: Vec<(String, String, i64)>,
    /// (kind, seconds the oldest queued job has waited); kinds with none queued are left out.
    pub oldest_queued: Vec<(String, f64)>,
    pub rule_applications_waiting: i64,
    pub rule_oldest_waiting_seconds: f64,
    /// Seconds between now and the newest call-data record read; `None` before the first run.
    pub ingestion_lag_seconds: Option<i64>,
    /// Seconds since ingestion last read the feed successfully; `None` before the first run.
    pub ingestion_last_success_seconds: Option<f64>,
    /// (organization, percent): the highest campaign's UK abandon rate today (report time zone).
    pub abandon_percent: Vec<(String, f64)>,
}

/// Reads the figures.
pub async fn read(state: &AppState) -> Result<OpsFigures, AppError> {
    let pool = &state.pool;
    let jobs = sqlx::query!(
        r#"select kind, state, count(*) as "jobs!" from job group by 1, 2 order by 1, 2"#
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|r| (r.kind, r.state, r.jobs))
    .collect();
    let oldest_queued = sqlx::query!(
        r#"select kind, extract(epoch from now() - min(created_at))::float8 as "seconds!"
             from job where state = 'queued' group by 1 order by 1"#
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|r| (r.kind, r.seconds))
    .collect();
    let rules = sqlx::query!(
        r#"select count(*) as "waiting!",
                  coalesce(extract(epoch from now() - min(queued_at)), 0)::float8 as "oldest!"
             from completion_rule_application where state = 'pending'"#
    )
    .fetch_one(pool)
    .await?;
    let ingestion_lag_seconds = crate::call_data::upkeep::status(pool)
        .await?
        .and_then(|s| s.lag_seconds);
    let ingestion_last_success_seconds = sqlx::query_scalar!(
        "select extract(epoch from now() - last_success_at)::float8
           from call_data_source where name = 'feed'"
    )
    .fetch_optional(pool)
    .await?
    .flatten();
    let settings = &state.settings.call_data;
    let day = today(&settings.time_zone);
    let mut abandon_percent = Vec::new();
    // Every organization, 0 without calls today, so yesterday's rate does not linger; one that
    // cannot be read is left out (logged) rather than failing the rest.
    for organization in crate::organizations::all(pool).await? {
        let amd = settings.amd_false_positive_percent;
        match highest_abandon_rate(pool, &organization, day, amd).await {
            Ok(rate) => abandon_percent.push((organization, rate.map_or(0.0, |(p, _)| p))),
            Err(error) => {
                tracing::warn!(organization, error = %error, "metrics: the abandon rate could not be read")
            }
        }
    }
    Ok(OpsFigures {
        jobs,
        oldest_queued,
        rule_applications_waiting: rules.waiting,
        rule_oldest_waiting_seconds: rules.oldest,
        ingestion_lag_seconds,
        ingestion_last_success_seconds,
        abandon_percent,
    })
}
