//! The person in the files OCM keeps (contact-upload originals, converted, reject and
//! difference files; DNC upload files and reject files): each read one at a time, off the async
//! threads, with `files::holds`.

use sqlx::PgPool;

use super::files;
use super::identifiers::Person;
use super::ocm_stores::Found;
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

/// Contact uploads whose files (or sent ids) hold the person, one file read at a time.
pub(super) async fn find_upload_files(
    pool: &PgPool,
    organization: &str,
    person: &Person,
    ids: &[String],
    rules: &PhoneRules,
    found: &mut Found,
) -> Result<(), sqlx::Error> {
    let uploads = sqlx::query!(
        r#"select contact_upload_id, state, coalesce(sent_ids && $2, false) as "by_id!"
           from contact_upload where organization = $1 and files_erased_at is null
           order by contact_upload_id"#,
        organization,
        ids,
    )
    .fetch_all(pool)
    .await?;
    for upload in uploads {
        let mut holds = upload.by_id;
        let files = sqlx::query!(
            "select file_name, original, converted, rejects_csv, missing_csv from contact_upload
             where contact_upload_id = $1",
            upload.contact_upload_id
        )
        .fetch_one(pool)
        .await?;
        let named = [
            (files.file_name.clone(), files.original),
            ("converted.csv".to_string(), files.converted),
            ("rejects.csv".to_string(), files.rejects_csv),
            ("missing.csv".to_string(), files.missing_csv),
        ];
        for (name, bytes) in named {
            if holds {
                break;
            }
            if let Some(bytes) = bytes {
                holds = file_holds(person, rules, name, bytes).await;
            }
        }
        if !holds {
            continue;
        }
        if ["queued", "uploaded", "scheduled", "importing"].contains(&upload.state.as_str()) {
            found
                .in_flight
                .push(format!("contact upload #{}", upload.contact_upload_id));
        }
        found.upload_files.push(upload.contact_upload_id);
    }
    Ok(())
}

/// DNC uploads whose file or reject file holds the person.
pub(super) async fn find_dnc_files(
    pool: &PgPool,
    organization: &str,
    person: &Person,
    rules: &PhoneRules,
    found: &mut Found,
) -> Result<(), sqlx::Error> {
    let uploads = sqlx::query!(
        "select dnc_upload_id, state from dnc_upload
         where organization = $1 and (content is not null or rejects_csv is not null)
         order by dnc_upload_id",
        organization
    )
    .fetch_all(pool)
    .await?;
    for upload in uploads {
        let files = sqlx::query!(
            "select file_name, content, rejects_csv from dnc_upload where dnc_upload_id = $1",
            upload.dnc_upload_id
        )
        .fetch_one(pool)
        .await?;
        let mut holds = false;
        for (name, bytes) in [
            (files.file_name, files.content),
            ("rejects.csv".to_string(), files.rejects_csv),
        ] {
            if let (false, Some(bytes)) = (holds, bytes) {
                holds = file_holds(person, rules, name, bytes).await;
            }
        }
        if holds {
            if upload.state == "sent" {
                found
                    .in_flight
                    .push(format!("DNC upload #{}", upload.dnc_upload_id));
            }
            found.dnc_files.push(upload.dnc_upload_id);
        }
    }
    Ok(())
}
