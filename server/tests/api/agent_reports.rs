//! The agent and job reports against a simulated day: every figure computed here from the raw
//! feed alone (days with jiff in the report time zone) and compared with the reports' CSV exports
//! and pages (the agent time summary in `agent_time`, the job summary in `job_summary`); the
//! simulated day itself is shared with the other report tests.

mod agent_time;
mod job_summary;

use std::collections::BTreeMap;

use serde_json::Value;
use sqlx::PgPool;

use super::call_data::{dialled_simulator, ingest, settle, whole_feed};
use super::call_data_expected::TZ;
use super::helpers::{spawn_app_with, TestApp};

pub fn day(at: &Value) -> String {
    let stamp: jiff::Timestamp = at.as_str().unwrap().parse().unwrap();
    stamp
        .to_zoned(jiff::tz::TimeZone::get(TZ).unwrap())
        .date()
        .to_string()
}

pub fn text(v: &Value) -> &str {
    v.as_str().unwrap_or("")
}

pub fn int(v: &Value) -> i64 {
    v.as_i64().unwrap_or(0)
}

/// A settled simulated day, ingested; the feed's records up to the stored cursor.
pub async fn simulated_day(pool: &PgPool) -> (TestApp, Vec<Value>) {
    simulated_day_with(pool, &[]).await
}

/// [`simulated_day`] with settings of the test's own.
pub async fn simulated_day_with(pool: &PgPool, settings: &[(&str, &str)]) -> (TestApp, Vec<Value>) {
    simulated_hours(pool, 24, settings).await
}

/// [`simulated_day_with`] over `hours` of dialling (callbacks come due one to 48 hours after
/// they are arranged: two days hold many more of them handed over than one).
pub async fn simulated_hours(
    pool: &PgPool,
    hours: u32,
    settings: &[(&str, &str)],
) -> (TestApp, Vec<Value>) {
    let (sim, feed) = dialled_simulator(hours).await;
    settle(&sim, &feed).await;
    let mut settings = settings.to_vec();
    settings.push(("OCM_REPORT_TIME_ZONE", TZ));
    let app = spawn_app_with(pool.clone(), &settings).await;
    ingest(&app, &feed).await;
    let cursor: i64 = sqlx::query_scalar("select cursor_position from call_data_source")
        .fetch_one(pool)
        .await
        .unwrap();
    let records = whole_feed(&feed)
        .await
        .into_iter()
        .filter(|r| r["cursor"].as_i64().unwrap() <= cursor)
        .collect();
    (app, records)
}

/// The first and last report day of the records.
pub fn span(records: &[Value]) -> (String, String) {
    let days: Vec<String> = records
        .iter()
        .filter(|r| r["kind"] == "attempt")
        .map(|r| day(&r["attempt_at"]))
        .collect();
    (
        days.iter().min().unwrap().clone(),
        days.iter().max().unwrap().clone(),
    )
}

/// Each campaign's type, from its attempts.
pub fn campaign_types(records: &[Value]) -> BTreeMap<String, String> {
    records
        .iter()
        .filter(|r| r["kind"] == "attempt")
        .map(|r| {
            (
                text(&r["campaign"]).to_string(),
                text(&r["campaign_type"]).to_string(),
            )
        })
        .collect()
}
