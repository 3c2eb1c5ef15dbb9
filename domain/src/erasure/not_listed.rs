//! The person in the Account Not in Listing report's rows (`not_listed`): found by their customer
//! ids and their phone numbers or e-mail as read, erased by replacing both with the erased mark
//! and the reason (which may quote the refused value, or be an external step's free text) with
//! its category. The rows stay, with their stage and category, so the counts do.

use sqlx::{PgPool, Postgres, Transaction};

use super::identifiers::Person;
use super::ocm_stores::ERASED;
use crate::phone::PhoneRules;

/// The ids of the organization's rows naming the person. `digits` and `texts` are the `like`
/// patterns of their identifiers (a coarse filter; every row is checked exactly afterwards).
pub async fn find(
    pool: &PgPool,
    organization: &str,
    person: &Person,
    (customer_ids, digits, texts): (&[String], &[String], &[String]),
    rules: &PhoneRules,
) -> Result<Vec<i64>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"select row_id, user_contact_id, phone from not_listed
           where organization = $1 and user_contact_id <> $5
             and (user_contact_id = any($2)
                  or regexp_replace(phone, '[^0-9]', '', 'g') like any($3)
                  or lower(phone) like any($4))"#,
        organization,
        customer_ids,
        digits,
        texts,
        ERASED,
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .filter(|r| {
            person.matches_id(&r.user_contact_id)
                || (!r.phone.is_empty() && person.matches_value(&r.phone, rules))
        })
        .map(|r| r.row_id)
        .collect())
}

/// Replaces the account, phone and reason of the rows found, in the caller's transaction.
pub async fn erase(tx: &mut Transaction<'_, Postgres>, rows: &[i64]) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "update not_listed set user_contact_id = $2, phone = $2, reason = category
         where row_id = any($1)",
        rows,
        ERASED,
    )
    .execute(&mut **tx)
    .await?;
    Ok(())
}
