//! The lines two summary reports read ready-made (`report_agent_time_day` for the Agent Time
//! Summaries, `report_sales_line` for Secured/Unsecured Performance): ingestion, rebuilds and
//! team changes only mark the days they touched as stale (`report_stale_day`), and a read
//! settles them first, so ingestion never waits on the reports' arithmetic.

use sqlx::PgPool;

use crate::error::AppError;

/// Works out the lines of the days marked stale since the last read (mostly none; today's while
/// a feed is coming in), in the report time zone `zone`. Returns the agent time lines written.
pub async fn settle(pool: &PgPool, zone: &str) -> Result<i64, AppError> {
    Ok(
        sqlx::query_scalar!(r#"select report_settle_days($1) as "settled!""#, zone)
            .fetch_one(pool)
            .await?,
    )
}
