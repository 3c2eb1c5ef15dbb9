//! The person in OCM's own tables: purge snapshots and purge filters, contact-upload and DNC
//! files, the DNC registry, purge plans, the call data (`call_data.rs`) and the completion-code
//! rules' applications (`rule_applications.rs`). `find` says where (the
//! dry run shows the counts, the job finds again just before erasing), `erase` clears it in the
//! caller's transaction.

use std::collections::BTreeMap;

use serde_json::Value;
use sqlx::{PgPool, Postgres, Transaction};

use super::call_data::{self, CallDataFound};
use super::identifiers::Person;
use super::stored_files;
use crate::phone::PhoneRules;
use crate::report::like_escaped;

/// Shown in place of an erased value.
pub const ERASED: &str = "(erased)";

/// The ids the person is known by: the customer ids given (in any list), and the POM contacts
/// found, each in its own list only (ids are per list, often serial numbers).
#[derive(Debug, Default)]
pub struct ContactRefs {
    pub customer_ids: Vec<String>,
    pub list_ids: Vec<i64>,
    pub contact_ids: Vec<String>,
}

impl ContactRefs {
    /// Whether `id` in list `list_id` is the person's.
    pub fn holds(&self, list_id: i64, id: &str) -> bool {
        self.customer_ids.iter().any(|c| c == id)
            || self
                .list_ids
                .iter()
                .zip(&self.contact_ids)
                .any(|(l, c)| *l == list_id && c == id)
    }
}

/// An upload that held the person: its files go, and its pre-flight sample as rewritten (`None`:
/// the sample did not show them).
#[derive(Debug)]
pub struct HeldUpload {
    pub id: i64,
    pub preflight: Option<Value>,
}

/// Where the person was found, by row id.
#[derive(Debug, Default)]
pub struct Found {
    pub purge_contacts: Vec<i64>,
    /// Purge runs whose filter named the person, with the filter as it will read.
    pub purge_filters: Vec<(i64, Value, String)>,
    pub uploads: Vec<HeldUpload>,
    pub dnc_uploads: Vec<HeldUpload>,
    pub dnc_registry: Vec<i64>,
    pub dnc_requests: Vec<uuid::Uuid>,
    pub purge_plans: Vec<i64>,
    pub call_data: CallDataFound,
    /// Completion-code rules' applications (`rule_applications.rs`).
    pub rule_applications: Vec<i64>,
    /// Uploads being sent to POM that hold the person: erasing now would be undone by them.
    pub in_flight: Vec<String>,
}

impl Found {
    /// Counts per store, under the names the certificate uses.
    pub fn counts(&self) -> BTreeMap<String, i64> {
        [
            ("purge_snapshots", self.purge_contacts.len()),
            ("purge_filters", self.purge_filters.len()),
            ("upload_files", self.uploads.len()),
            ("dnc_files", self.dnc_uploads.len()),
            ("dnc_registry", self.dnc_registry.len()),
            ("dnc_requests", self.dnc_requests.len()),
            ("purge_plans", self.purge_plans.len()),
            ("call_attempts", self.call_data.attempts.len()),
            ("call_callbacks", self.call_data.callbacks.len()),
            ("call_inbound", self.call_data.inbound.len()),
            ("call_skips", self.call_data.skips.len()),
            ("call_aside", self.call_data.aside.len()),
            ("not_listed", self.call_data.not_listed.len()),
            ("rule_applications", self.rule_applications.len()),
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

/// Finds the person in the organization's rows.
pub async fn find(
    pool: &PgPool,
    organization: &str,
    person: &Person,
    refs: &ContactRefs,
    rules: &PhoneRules,
) -> Result<Found, sqlx::Error> {
    let (digits, texts) = person.fragments();
    let (digits, texts) = (patterns(&digits), patterns(&texts));
    let mut found = Found::default();
    let snapshot = sqlx::query!(
        r#"select c.purge_contact_id, c.user_contact_id, c.attributes, r.contact_list_id
           from purge_contact c join purge_run r using (purge_run_id)
           where r.organization = $1 and c.user_contact_id not like 'erased:%'
             and (c.user_contact_id = any($2)
                  or (r.contact_list_id, c.user_contact_id) in
                     (select * from unnest($5::bigint[], $6::text[]))
                  or regexp_replace(c.attributes::text, '[^0-9]', '', 'g') like any($3)
                  or lower(c.attributes::text) like any($4))"#,
        organization,
        &refs.customer_ids,
        &digits,
        &texts,
        &refs.list_ids,
        &refs.contact_ids,
    )
    .fetch_all(pool)
    .await?;
    for row in snapshot {
        let by_attributes = row
            .attributes
            .as_ref()
            .and_then(Value::as_object)
            .is_some_and(|a| person.matches_contact(a, rules));
        if refs.holds(row.contact_list_id, &row.user_contact_id) || by_attributes {
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
    let (patterns_digits, patterns_texts) = (&digits, &texts);
    stored_files::find_uploads(pool, organization, person, refs, rules, &mut found, false).await?;
    stored_files::find_dnc_uploads(pool, organization, person, rules, &mut found, false).await?;
    let entries = sqlx::query!(
        r#"select dnc_entry_id, address from dnc_entry
           where organization = $1 and erased_by is null
             and (regexp_replace(address, '[^0-9]', '', 'g') like any($2)
                  or lower(address) like any($3))"#,
        organization,
        patterns_digits,
        patterns_texts,
    )
    .fetch_all(pool)
    .await?;
    found.dnc_registry = entries
        .into_iter()
        .filter(|e| person.matches_value(&e.address, rules))
        .map(|e| e.dnc_entry_id)
        .collect();
    found.dnc_requests = super::dnc_requests::find(pool, organization, person, rules).await?;
    let plans = sqlx::query!(
        r#"select purge_plan_id, request, by_ids as "by_ids!" from (
               select purge_plan_id, request,
                      user_contact_ids && $2
                      or exists (select 1 from unnest($3::bigint[], $4::text[]) as t(l, i)
                                 where t.l = contact_list_id and t.i = any(user_contact_ids))
                      as by_ids
               from purge_plan where organization = $1) plans
           where by_ids
              or regexp_replace(request::text, '[^0-9]', '', 'g') like any($5)
              or lower(request::text) like any($6)"#,
        organization,
        &refs.customer_ids,
        &refs.list_ids,
        &refs.contact_ids,
        &digits,
        &texts,
    )
    .fetch_all(pool)
    .await?;
    // A plan found by its text must name the person; one found by its ids does.
    for mut plan in plans {
        if plan.by_ids || person.scrub(&mut plan.request, rules, ERASED) {
            found.purge_plans.push(plan.purge_plan_id);
        }
    }
    let call_patterns = (
        refs.customer_ids.as_slice(),
        digits.as_slice(),
        texts.as_slice(),
    );
    found.call_data = call_data::find(pool, organization, person, call_patterns, rules).await?;
    let (applications, entries) = super::rule_applications::find(
        pool,
        organization,
        &refs.customer_ids,
        &found.call_data.attempts,
    )
    .await?;
    found.rule_applications = applications;
    found.dnc_registry.extend(entries);
    found.dnc_registry.sort_unstable();
    found.dnc_registry.dedup();
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
    let problem = format!(
        "The files were erased early: they held a person erased on request (erasure #{erasure_id})."
    );
    for upload in &found.uploads {
        sqlx::query!(
            "update contact_upload set original = null, converted = null, rejects_csv = null,
                 missing_csv = null, not_listed_rows = null, sent_ids = null,
                 files_erased_at = coalesce(files_erased_at, now()),
                 preflight = coalesce($3, preflight),
                 state = case when state = 'preflight' then 'expired' else state end,
                 problem = case when state = 'preflight' then $2 else problem end
             where contact_upload_id = $1",
            upload.id,
            problem,
            upload.preflight,
        )
        .execute(&mut **tx)
        .await?;
    }
    for upload in &found.dnc_uploads {
        sqlx::query!(
            "update dnc_upload set content = null, rejects_csv = null,
                 preflight = coalesce($3, preflight),
                 state = case when state = 'preflight' then 'expired' else state end,
                 problem = case when state = 'preflight' then $2 else problem end
             where dnc_upload_id = $1",
            upload.id,
            problem,
            upload.preflight,
        )
        .execute(&mut **tx)
        .await?;
    }
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
    super::dnc_requests::erase(tx, &found.dnc_requests, &found.dnc_registry).await?;
    sqlx::query!(
        "delete from purge_plan where purge_plan_id = any($1)",
        &found.purge_plans
    )
    .execute(&mut **tx)
    .await?;
    call_data::erase(tx, &found.call_data, erasure_id).await?;
    super::rule_applications::erase(tx, &found.rule_applications).await?;
    Ok(found.counts())
}
