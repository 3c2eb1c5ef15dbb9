//! The person in the API's DNC receipts: a request naming their customer id keeps it (and the
//! reason that repeats it) only until they are erased; items still waiting to reach POM for an
//! erased registry entry fail instead of sending `(erased)` to POM.

use sqlx::{PgPool, Postgres, Transaction};
use uuid::Uuid;

use super::identifiers::Person;
use super::ocm_stores::ERASED;

/// The organization's DNC requests naming one of the person's customer ids.
pub async fn find(
    pool: &PgPool,
    organization: &str,
    person: &Person,
) -> Result<Vec<Uuid>, sqlx::Error> {
    Ok(sqlx::query!(
        r#"select dnc_request_id, customer_id as "customer_id!" from dnc_request
           where organization = $1 and customer_id is not null and customer_id <> $2"#,
        organization,
        ERASED,
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .filter(|r| person.matches_id(&r.customer_id))
    .map(|r| r.dnc_request_id)
    .collect())
}

/// Replaces the customer ids of `requests` and fails the waiting items of `entries` (registry
/// entries being erased), in the erasure's transaction.
pub async fn erase(
    tx: &mut Transaction<'_, Postgres>,
    requests: &[Uuid],
    entries: &[i64],
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "update dnc_request set reason = replace(reason, customer_id, $2), customer_id = $2
         where dnc_request_id = any($1)",
        requests,
        ERASED,
    )
    .execute(&mut **tx)
    .await?;
    sqlx::query!(
        "update dnc_request_item set state = 'failed', claimed_until = null,
             reason = 'erased on request before it reached POM'
         where dnc_entry_id = any($1) and state in ('pending', 'sending')",
        entries,
    )
    .execute(&mut **tx)
    .await?;
    Ok(())
}
