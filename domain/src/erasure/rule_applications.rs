//! The person in the completion-code rules' applications (`completion_rule_application`):
//! found by their customer ids and by the attempts the call data found them in; the contact id
//! becomes `erased:<n>` and the attribute's value before is cleared, the rows stay for the
//! counts; one still waiting is not carried out. The registry entries they made go with the
//! DNC registry's.

use sqlx::{PgPool, Postgres, Transaction};
use time::OffsetDateTime;

/// The applications and the registry entries they made.
pub async fn find(
    pool: &PgPool,
    organization: &str,
    customer_ids: &[String],
    attempts: &[(OffsetDateTime, String)],
) -> Result<(Vec<i64>, Vec<i64>), sqlx::Error> {
    let (ended, sessions): (Vec<OffsetDateTime>, Vec<String>) = attempts.iter().cloned().unzip();
    let rows = sqlx::query!(
        "select application_id, dnc_entry_id from completion_rule_application
          where organization = $1 and user_contact_id not like 'erased:%'
            and (user_contact_id = any($2)
                 or (attempt_ended_at, session_id) in
                    (select * from unnest($3::timestamptz[], $4::text[])))",
        organization,
        customer_ids,
        &ended,
        &sessions,
    )
    .fetch_all(pool)
    .await?;
    let entries = rows.iter().filter_map(|r| r.dnc_entry_id).collect();
    Ok((
        rows.into_iter().map(|r| r.application_id).collect(),
        entries,
    ))
}

/// Erases them in the caller's transaction.
pub async fn erase(
    tx: &mut Transaction<'_, Postgres>,
    applications: &[i64],
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "update completion_rule_application
            set user_contact_id = 'erased:' || application_id, previous_value = null,
                outcome = case when state = 'pending'
                               then 'Not applied: the person was erased on request.'
                               else outcome end,
                finished_at = coalesce(finished_at, now()),
                state = case when state = 'pending' then 'failed' else state end,
                claimed_until = null
          where application_id = any($1)",
        applications,
    )
    .execute(&mut **tx)
    .await?;
    Ok(())
}
