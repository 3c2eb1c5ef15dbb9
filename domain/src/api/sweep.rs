//! The hourly sweep: expired bearer tokens and idempotency keys past their 24 hours.

use sqlx::PgPool;

use super::idempotency::KEEP_HOURS;
use crate::error::AppError;

/// Deletes what expired; answers (tokens, keys) deleted.
pub async fn run(pool: &PgPool) -> Result<(u64, u64), AppError> {
    let tokens = sqlx::query!("delete from api_token where expires_at < now()")
        .execute(pool)
        .await?
        .rows_affected();
    let keys = sqlx::query!(
        "delete from api_idempotency where created_at < now() - make_interval(hours => $1::int)",
        KEEP_HOURS as i32
    )
    .execute(pool)
    .await?
    .rows_affected();
    Ok((tokens, keys))
}
