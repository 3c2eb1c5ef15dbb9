//! The person in OCM's own tables: purge snapshots and purge filters, contact-upload and DNC
//! files, the DNC registry and purge plans. `find` says where (the dry run shows the counts, the
//! job finds again just before erasing), `erase` clears it in the caller's transaction. Call
//! data joins here when OCM stores it (issue 16; `docs/erasure.md`).

use std::collections::{BTreeMap, HashSet};

use serde_json::Value;
use sqlx::{PgPool, Postgres, Transaction};

use super::identifiers::Person;
use super::stored_files;
use crate::phone::PhoneRules;
use crate::report::like_escaped;

/// Shown in place of an erased value.
pub const ERASED: &str = "(erased)";

/// Where the person was found, by row id.
#[derive(Debug, Default)]
pub struct Found {
    pub purge_contacts: Vec<i64>,
    /// Purge runs whose filter named the person, with the filter as it will read.
    pub purge_filters: Vec<(i64, Value, String)>,
    pub upload_files: Vec<i64>,
    pub dnc_files: Vec<i64>,
    pub dnc_registry: Vec<i64>,
    pub purge_plans: Vec<i64>,
    /// Uploads being sent to POM that hold the person: erasing now would be undone by them.
    pub in_flight: Vec<String>,
}

impl Found {
    /// Counts per store, under the names the certificate uses.
    pub fn counts(&self) -> BTreeMap<String, i64> {
        [
            ("purge_snapshots", self.purge_contacts.len()),
            ("purge_filters", self.purge_filters.len()),
            ("upload_files", self.upload_files.len()),
            ("dnc_files", self.dnc_files.len()),
            ("dnc_registry", self.dnc_registry.len()),
            ("purge_plans", self.purge_plans.len()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v as i64))
        .collect()
    }
}

/// `%fragment%` patterns for `like any(…)`, with LIKE's own characters escaped.
fn patterns(fragments: &[String]) -> Vec<String> {
    fragments
        .iter()
        .map(|f| format!("%{}%", like_escaped(f)))
        .collect()
}

/// Finds the person in the organization's rows. `ids` are the customer ids and the POM ids of
/// the contacts found.
pub async fn find(
    pool: &PgPool,
    organization: &str,
    person: &Person,
    ids: &[String],
    rules: &PhoneRules,
) -> Result<Found, sqlx::Error> {
    let (digits, texts) = person.fragments();
    let (digits, texts) = (patterns(&digits), patterns(&texts));
    let id_set: HashSet<&str> = ids.iter().map(String::as_str).collect();
    let mut found = Found::default();
    let snapshot = sqlx::query!(
        r#"select c.purge_contact_id, c.user_contact_id, c.attributes
           from purge_contact c join purge_run r using (purge_run_id)
           where r.organization = $1 and c.user_contact_id not like 'erased:%'
             and (c.user_contact_id = any($2)
                  or regexp_replace(c.attributes::text, '[^0-9]', '', 'g') like any($3)
                  or lower(c.attributes::text) like any($4))"#,
        organization,
        ids,
        &digits,
        &texts,
    )
    .fetch_all(pool)
    .await?;
    for row in snapshot {
        let by_attributes = row
            .attributes
            .as_ref()
            .and_then(Value::as_object)
            .is_some_and(|a| person.matches_contact(a, rules));
        if id_set.contains(row.user_contact_id.as_str()) || by_attributes {
            found.purge_contacts.push(row.purge_contact_id);
        }
    }
    let filters = sqlx::query!(
        r#"select purge_run_id, filter_values, filter_text from purge_run
           where organization = $1
             and (regexp_replace(filter_values::text, '[^0-9]', '', 'g') like any($2)
                  or lower(filter_values::text) like any($3))"#,
        organization,
        &digits,
        &texts,
    )
    .fetch_all(pool)
    .await?;
    for row in filters {
        if let Some(rewritten) = rewrite_filter(person, rules, &row.filter_values, &row.filter_text)
        {
            found
                .purge_filters
                .push((row.purge_run_id, rewritten.0, rewritten.1));
        }
    }
    stored_files::find_upload_files(pool, organization, person, ids, rules, &mut found).await?;
    stored_files::find_dnc_files(pool, organization, person, rules, &mut found).await?;
    let entries = sqlx::query!(
        r#"select dnc_entry_id, address from dnc_entry
           where organization = $1 and erased_by is null
             and (regexp_replace(address, '[^0-9]', '', 'g') like any($2)
                  or lower(address) like any($3))"#,
        organization,
        &digits,
        &texts,
    )
    .fetch_all(pool)
    .await?;
    found.dnc_registry = entries
        .into_iter()
        .filter(|e| person.matches_value(&e.address, rules))
        .map(|e| e.dnc_entry_id)
        .collect();
    found.purge_plans = sqlx::query_scalar!(
        "select purge_plan_id from purge_plan where organization = $1 and user_contact_ids && $2",
        organization,
        ids,
    )
    .fetch_all(pool)
    .await?;
    Ok(found)
}

/// A purge filter's values with the person's replaced, and its text likewise; `None` when the
/// filter does not name them.
fn rewrite_filter(
    person: &Person,
    rules: &PhoneRules,
    values: &Value,
    text: &str,
) -> Option<(Value, String)> {
    let list = values.as_array()?;
    let mut text = text.to_string();
    let mut hit = false;
    let rewritten = list
        .iter()
        .map(|value| match value.as_str() {
            Some(v) if person.matches_id(v) || person.matches_value(v, rules) => {
                hit = true;
                text = text.replace(v, ERASED);
                Value::String(ERASED.into())
            }
            _ => value.clone(),
        })
        .collect();
    hit.then_some((Value::Array(rewritten), text))
}

/// Erases what `find` found, in the caller's transaction; returns the counts per store.
pub async fn erase(
    tx: &mut Transaction<'_, Postgres>,
    found: &Found,
    erasure_id: i64,
) -> Result<BTreeMap<String, i64>, sqlx::Error> {
    sqlx::query!(
        "update purge_contact set attributes = null, user_contact_id = 'erased:' || purge_contact_id
         where purge_contact_id = any($1)",
        &found.purge_contacts
    )
    .execute(&mut **tx)
    .await?;
    for (run_id, values, text) in &found.purge_filters {
        sqlx::query!(
            "update purge_run set filter_values = $2, filter_text = $3 where purge_run_id = $1",
            run_id,
            values,
            text
        )
        .execute(&mut **tx)
        .await?;
    }
    let problem = format!("The files were erased early: they held a person erased on request (erasure #{erasure_id}).");
    sqlx::query!(
        "update contact_upload set original = null, converted = null, rejects_csv = null,
             missing_csv = null, sent_ids = null, files_erased_at = now(),
             state = case when state = 'preflight' then 'expired' else state end,
             problem = case when state = 'preflight' then $2 else problem end
         where contact_upload_id = any($1)",
        &found.upload_files,
        problem,
    )
    .execute(&mut **tx)
    .await?;
    sqlx::query!(
        "update dnc_upload set content = null, rejects_csv = null,
             state = case when state = 'preflight' then 'expired' else state end,
             problem = case when state = 'preflight' then $2 else problem end
         where dnc_upload_id = any($1)",
        &found.dnc_files,
        problem,
    )
    .execute(&mut **tx)
    .await?;
    sqlx::query!(
        "update dnc_entry set outcome = replace(outcome, address, $2), address = $2, erased_by = $3,
             external_ref = case when external_ref is null then null
                 else split_part(external_ref, ':', 1) || ':erased:' || dnc_entry_id end
         where dnc_entry_id = any($1)",
        &found.dnc_registry,
        ERASED,
        erasure_id,
    )
    .execute(&mut **tx)
    .await?;
    sqlx::query!(
        "delete from purge_plan where purge_plan_id = any($1)",
        &found.purge_plans
    )
    .execute(&mut **tx)
    .await?;
    Ok(found.counts())
}
