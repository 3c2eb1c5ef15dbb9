//! The person in the API's DNC and record-cancel receipts: a request naming their customer id or
//! (a cancel) their phone keeps it (and the reason that repeats it) only until they are erased; items still waiting to reach POM for an
//! erased registry entry fail instead of sending `(erased)` to POM.

use sqlx::{PgPool, Postgres, Transaction};
use uuid::Uuid;

use super::identifiers::Person;
use super::ocm_stores::ERASED;
use crate::phone::PhoneRules;

/// The organization's requests naming one of the person's customer ids or phones.
pub async fn find(
    pool: &PgPool,
    organization: &str,
    person: &Person,
    rules: &PhoneRules,
) -> Result<Vec<Uuid>, sqlx::Error> {
    Ok(sqlx::query!(
        "select dnc_request_id, customer_id, phone from dnc_request
         where organization = $1
           and (coalesce(customer_id, '') not in ('', $2) or coalesce(phone, '') not in ('', $2))",
        organization,
        ERASED,
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .filter(|r| {
        r.customer_id
            .as_deref()
            .is_some_and(|id| person.matches_id(id))
            || r.phone
                .as_deref()
                .is_some_and(|phone| person.matches_value(phone, rules))
    })
    .map(|r| r.dnc_request_id)
    .collect())
}

/// Replaces the customer ids and phones of `requests` and fails the waiting items of `entries` (registry
/// entries being erased), in the erasure's transaction.
pub async fn erase(
    tx: &mut Transaction<'_, Postgres>,
    requests: &[Uuid],
    entries: &[i64],
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "update dnc_request
         set reason = replace(replace(reason, coalesce(customer_id, $2), $2), coalesce(phone, $2), $2),
             customer_id = case when customer_id is not null then $2 end,
             phone = case when phone is not null then $2 end
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
