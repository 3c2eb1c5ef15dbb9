//! The person in the call data (`docs/call-data.md`): found by their phone numbers and e-mail in
//! the dialled addresses and inbound callers, by their customer ids, and by their values in the
//! contact attributes kept with attempts and passed-over contacts (and in records kept aside
//! whole); erased by clearing those values in place. Rows stay: the summaries hold no personal
//! data and keep their counts, and a replayed feed cannot bring a value back because the row's
//! key is still taken.

use serde_json::Value;
use sqlx::{PgPool, Postgres, Transaction};
use time::OffsetDateTime;

use super::identifiers::Person;
use super::ocm_stores::ERASED;
use crate::phone::PhoneRules;

/// The person's call-data rows, by their keys.
#[derive(Debug, Default)]
pub struct CallDataFound {
    pub organization: String,
    pub attempts: Vec<(OffsetDateTime, String)>,
    pub callbacks: Vec<(OffsetDateTime, String)>,
    pub inbound: Vec<(OffsetDateTime, String)>,
    /// Passed-over contacts: (time, job, list, contact id).
    pub skips: Vec<(OffsetDateTime, i64, String, String)>,
    /// Records kept aside whole (`call_data_unknown`): (source, cursor, the record scrubbed).
    pub aside: Vec<(String, i64, Value)>,
    /// Rows of the Account Not in Listing report (`not_listed`).
    pub not_listed: Vec<i64>,
}

/// Whether a row's values name the person: its id, its address, or its contact attributes.
fn names(
    person: &Person,
    rules: &PhoneRules,
    id: &str,
    address: Option<&str>,
    contact: Option<&Value>,
) -> bool {
    person.matches_id(id)
        || address.is_some_and(|a| person.matches_value(a, rules))
        || contact
            .and_then(Value::as_object)
            .is_some_and(|c| person.matches_contact(c, rules))
}

/// Finds the person in the organization's call data. `digits` and `texts` are the `like`
/// patterns of their identifiers (a coarse filter; every row is checked exactly afterwards).
pub async fn find(
    pool: &PgPool,
    organization: &str,
    person: &Person,
    (customer_ids, digits, texts): (&[String], &[String], &[String]),
    rules: &PhoneRules,
) -> Result<CallDataFound, sqlx::Error> {
    let mut found = CallDataFound {
        organization: organization.to_string(),
        ..CallDataFound::default()
    };
    let attempts = sqlx::query!(
        r#"select occurred_at, session_id, user_contact_id, address, contact from call_attempt
           where organization = $1 and user_contact_id not like 'erased:%'
             and (user_contact_id = any($2)
                  or regexp_replace(coalesce(address, '') || coalesce(contact::text, ''), '[^0-9]', '', 'g') like any($3)
                  or lower(coalesce(address, '') || coalesce(contact::text, '')) like any($4))"#,
        organization,
        customer_ids,
        digits,
        texts,
    )
    .fetch_all(pool)
    .await?;
    found.attempts = attempts
        .into_iter()
        .filter(|r| {
            names(
                person,
                rules,
                &r.user_contact_id,
                r.address.as_deref(),
                r.contact.as_ref(),
            )
        })
        .map(|r| (r.occurred_at, r.session_id))
        .collect();
    let callbacks = sqlx::query!(
        r#"select occurred_at, callback_id, user_contact_id, address from callback
           where organization = $1 and user_contact_id not like 'erased:%'
             and (user_contact_id = any($2)
                  or regexp_replace(coalesce(address, ''), '[^0-9]', '', 'g') like any($3)
                  or lower(coalesce(address, '')) like any($4))"#,
        organization,
        customer_ids,
        digits,
        texts,
    )
    .fetch_all(pool)
    .await?;
    found.callbacks = callbacks
        .into_iter()
        .filter(|r| {
            names(
                person,
                rules,
                &r.user_contact_id,
                r.address.as_deref(),
                None,
            )
        })
        .map(|r| (r.occurred_at, r.callback_id))
        .collect();
    let inbound = sqlx::query!(
        r#"select occurred_at, call_id, caller from inbound_call
           where organization = $1 and caller <> $3
             and regexp_replace(coalesce(caller, ''), '[^0-9]', '', 'g') like any($2)"#,
        organization,
        digits,
        ERASED,
    )
    .fetch_all(pool)
    .await?;
    found.inbound = inbound
        .into_iter()
        .filter(|r| {
            r.caller
                .as_deref()
                .is_some_and(|c| person.matches_value(c, rules))
        })
        .map(|r| (r.occurred_at, r.call_id))
        .collect();
    let skips = sqlx::query!(
        r#"select occurred_at, job_id, list_name, user_contact_id, contact from contact_skip
           where organization = $1 and contact is not null
             and (user_contact_id = any($2)
                  or regexp_replace(contact::text, '[^0-9]', '', 'g') like any($3)
                  or lower(contact::text) like any($4))"#,
        organization,
        customer_ids,
        digits,
        texts,
    )
    .fetch_all(pool)
    .await?;
    found.skips = skips
        .into_iter()
        .filter(|r| names(person, rules, &r.user_contact_id, None, r.contact.as_ref()))
        .map(|r| (r.occurred_at, r.job_id, r.list_name, r.user_contact_id))
        .collect();
    let aside = sqlx::query!(
        r#"select source, feed_cursor, record from call_data_unknown
           where record ->> 'organization' = $1
             and (regexp_replace(record::text, '[^0-9]', '', 'g') like any($2)
                  or lower(record::text) like any($3))"#,
        organization,
        digits,
        texts,
    )
    .fetch_all(pool)
    .await?;
    for mut row in aside {
        if person.scrub(&mut row.record, rules, ERASED) {
            found.aside.push((row.source, row.feed_cursor, row.record));
        }
    }
    found.not_listed = super::not_listed::find(
        pool,
        organization,
        person,
        (customer_ids, digits, texts),
        rules,
    )
    .await?;
    Ok(found)
}

/// Clears what `find` found, in the caller's transaction. An attempt loses its address, contact
/// attributes and contact id (and its sales and callback events the id); a callback its
/// address, notes and id; an inbound call its caller; a passed-over contact its attributes (its
/// id is part of its key and stays, pseudonymous without them).
pub async fn erase(
    tx: &mut Transaction<'_, Postgres>,
    found: &CallDataFound,
    erasure_id: i64,
) -> Result<(), sqlx::Error> {
    let erased_id = format!("erased:{erasure_id}");
    let (at, sessions): (Vec<_>, Vec<_>) = found.attempts.iter().cloned().unzip();
    sqlx::query!(
        "update call_attempt set address = $3, contact = null, user_contact_id = $4
         where (occurred_at, session_id) in (select * from unnest($1::timestamptz[], $2::text[]))",
        &at,
        &sessions,
        ERASED,
        erased_id,
    )
    .execute(&mut **tx)
    .await?;
    sqlx::query!(
        "update sale set user_contact_id = $2 where session_id = any($1) and organization = $3",
        &sessions,
        erased_id,
        found.organization,
    )
    .execute(&mut **tx)
    .await?;
    let (at, ids): (Vec<_>, Vec<_>) = found.callbacks.iter().cloned().unzip();
    sqlx::query!(
        "update callback set address = $3, notes = null, user_contact_id = $4
         where (occurred_at, callback_id) in (select * from unnest($1::timestamptz[], $2::text[]))",
        &at,
        &ids,
        ERASED,
        erased_id,
    )
    .execute(&mut **tx)
    .await?;
    sqlx::query!(
        "update callback_event set user_contact_id = $2
         where callback_id = any($1) and organization = $3",
        &ids,
        erased_id,
        found.organization,
    )
    .execute(&mut **tx)
    .await?;
    let (at, calls): (Vec<_>, Vec<_>) = found.inbound.iter().cloned().unzip();
    sqlx::query!(
        "update inbound_call set caller = $3
         where (occurred_at, call_id) in (select * from unnest($1::timestamptz[], $2::text[]))",
        &at,
        &calls,
        ERASED,
    )
    .execute(&mut **tx)
    .await?;
    let at: Vec<_> = found.skips.iter().map(|s| s.0).collect();
    let jobs: Vec<_> = found.skips.iter().map(|s| s.1).collect();
    let lists: Vec<_> = found.skips.iter().map(|s| s.2.clone()).collect();
    let contacts: Vec<_> = found.skips.iter().map(|s| s.3.clone()).collect();
    sqlx::query!(
        "update contact_skip set contact = null
         where (occurred_at, job_id, list_name, user_contact_id) in
               (select * from unnest($1::timestamptz[], $2::bigint[], $3::text[], $4::text[]))",
        &at,
        &jobs,
        &lists,
        &contacts,
    )
    .execute(&mut **tx)
    .await?;
    for (source, cursor, record) in &found.aside {
        sqlx::query!(
            "update call_data_unknown set record = $3 where source = $1 and feed_cursor = $2",
            source,
            cursor,
            record,
        )
        .execute(&mut **tx)
        .await?;
    }
    super::not_listed::erase(tx, &found.not_listed).await
}
