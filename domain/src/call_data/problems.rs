//! Problems with the call-data input, one row per source and reason: logged the first time,
//! counted after, shown to admins on the call-data status page.

use sqlx::PgPool;

/// Records `reason` (a stable key) with its latest `detail`.
pub async fn record(pool: &PgPool, source: &str, reason: &str, detail: &str) {
    let first = sqlx::query_scalar!(
        r#"insert into call_data_problem (source, reason, detail) values ($1, $2, $3)
           on conflict (source, reason) do update
              set detail = excluded.detail, occurrences = call_data_problem.occurrences + 1,
                  last_seen = now()
           returning (xmax = 0) as "first!""#,
        source,
        reason,
        detail
    )
    .fetch_one(pool)
    .await;
    match first {
        Ok(true) => tracing::warn!(
            source,
            reason,
            detail,
            "call data: a problem with the input"
        ),
        Ok(false) => {}
        Err(error) => {
            tracing::warn!(error = %error, reason, "call data: recording a problem failed")
        }
    }
}
