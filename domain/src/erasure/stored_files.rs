//! The person in what OCM keeps of uploads: contact-upload files (original, converted, reject,
//! missing), their sent ids and pre-flight samples; DNC upload files, reject files and samples.
//! Files are read one at a time, off the async threads, with `files::holds`.

use serde_json::Value;
use sqlx::PgPool;

use super::files;
use super::identifiers::Person;
use super::ocm_stores::{ContactRefs, Found, HeldUpload, ERASED};
use crate::phone::PhoneRules;

/// Reads a stored file off the async threads.
async fn file_holds(person: &Person, rules: &PhoneRules, name: String, bytes: Vec<u8>) -> bool {
    let (person, rules) = (person.clone(), rules.clone());
    tokio::task::spawn_blocking(move || files::holds(&person, &rules, &name, &bytes))
        .await
        // A file OCM can no longer read whole (it read it once) is treated as holding the person:
        // erasing it early loses nothing that matters.
        .map_or(true, |read| read.unwrap_or(true))
}

/// Whether any of the files holds the person.
async fn any_holds(
    person: &Person,
    rules: &PhoneRules,
    named: Vec<(String, Option<Vec<u8>>)>,
) -> bool {
    for (name, bytes) in named {
        if let Some(bytes) = bytes {
            if file_holds(person, rules, name, bytes).await {
                return true;
            }
        }
    }
    false
}

/// The pre-flight as it will read without the person (`None`: it does not show them).
fn scrubbed(person: &Person, rules: &PhoneRules, preflight: Option<Value>) -> Option<Value> {
    let mut preflight = preflight?;
    person
        .scrub(&mut preflight, rules, ERASED)
        .then_some(preflight)
}

/// Uploads of either kind on their way to POM that hold the person.
pub async fn in_flight(
    pool: &PgPool,
    organization: &str,
    person: &Person,
    refs: &ContactRefs,
    rules: &PhoneRules,
) -> Result<Vec<String>, sqlx::Error> {
    let mut found = Found::default();
    find_uploads(pool, organization, person, refs, rules, &mut found, true).await?;
    find_dnc_uploads(pool, organization, person, rules, &mut found, true).await?;
    Ok(found.in_flight)
}

/// Contact uploads whose files, sent ids or sample hold the person (`only_in_flight`: those on
/// their way to POM).
pub(super) async fn find_uploads(
    pool: &PgPool,
    organization: &str,
    person: &Person,
    refs: &ContactRefs,
    rules: &PhoneRules,
    found: &mut Found,
    only_in_flight: bool,
) -> Result<(), sqlx::Error> {
    let uploads = sqlx::query!(
        r#"select contact_upload_id, state, preflight, files_erased_at is null as "has_files!",
                  coalesce(sent_ids && $2
                      or exists (select 1 from unnest($3::bigint[], $4::text[]) as t(l, i)
                                 where t.l = list_id and t.i = any(sent_ids)), false) as "by_id!"
           from contact_upload
           where organization = $1
             and (not $5 or state in ('queued', 'uploaded', 'scheduled', 'importing'))
           order by contact_upload_id"#,
        organization,
        &refs.customer_ids,
        &refs.list_ids,
        &refs.contact_ids,
        only_in_flight,
    )
    .fetch_all(pool)
    .await?;
    for upload in uploads {
        let preflight = scrubbed(person, rules, upload.preflight);
        let mut holds = upload.by_id || preflight.is_some();
        if !holds && upload.has_files {
            let files = sqlx::query!(
                "select file_name, original, converted, rejects_csv, missing_csv
                 from contact_upload where contact_upload_id = $1",
                upload.contact_upload_id
            )
            .fetch_one(pool)
            .await?;
            let named = vec![
                (files.file_name, files.original),
                ("converted.csv".to_string(), files.converted),
                ("rejects.csv".to_string(), files.rejects_csv),
                ("missing.csv".to_string(), files.missing_csv),
            ];
            holds = any_holds(person, rules, named).await;
        }
        if !holds {
            continue;
        }
        if ["queued", "uploaded", "scheduled", "importing"].contains(&upload.state.as_str()) {
            found
                .in_flight
                .push(format!("contact upload #{}", upload.contact_upload_id));
        }
        found.uploads.push(HeldUpload {
            id: upload.contact_upload_id,
            preflight,
        });
    }
    Ok(())
}

/// DNC uploads whose file, reject file or sample holds the person. One is on its way to POM
/// while its send job has not ended (`only_in_flight`: those only).
pub(super) async fn find_dnc_uploads(
    pool: &PgPool,
    organization: &str,
    person: &Person,
    rules: &PhoneRules,
    found: &mut Found,
    only_in_flight: bool,
) -> Result<(), sqlx::Error> {
    let uploads = sqlx::query!(
        r#"select * from (
               select u.dnc_upload_id, u.preflight,
                      u.content is not null or u.rejects_csv is not null as has_files,
                      coalesce(j.state in ('queued', 'running', 'paused', 'cancel_requested'),
                               false) as sending
               from dnc_upload u left join job j using (job_id)
               where u.organization = $1) uploads
           where not $2 or sending
           order by dnc_upload_id"#,
        organization,
        only_in_flight,
    )
    .fetch_all(pool)
    .await?;
    for upload in uploads {
        let preflight = scrubbed(person, rules, upload.preflight);
        let mut holds = preflight.is_some();
        if !holds && upload.has_files == Some(true) {
            let files = sqlx::query!(
                "select file_name, content, rejects_csv from dnc_upload where dnc_upload_id = $1",
                upload.dnc_upload_id
            )
            .fetch_one(pool)
            .await?;
            let named = vec![
                (files.file_name, files.content),
                ("rejects.csv".to_string(), files.rejects_csv),
            ];
            holds = any_holds(person, rules, named).await;
        }
        if !holds {
            continue;
        }
        if upload.sending == Some(true) {
            found
                .in_flight
                .push(format!("DNC upload #{}", upload.dnc_upload_id));
        }
        found.dnc_uploads.push(HeldUpload {
            id: upload.dnc_upload_id,
            preflight,
        });
    }
    Ok(())
}
