//! The end of a completed import: the list read again to find the rows that were sent but are
//! not in it afterwards (seed 001's "Account Not in Listing"), stored as a count and a CSV whose
//! reason names POM's counters, and the upload closed as completed; those rows and the
//! pre-flight's rejects go to the Account Not in Listing report (`not_listed`).

use std::collections::HashSet;

use futures::TryStreamExt;
use pom::client::rest::user_contact_id;
use serde_json::json;

use super::job_steps::{audit_step, Upload};
use super::not_listed::{absent_reason, absent_rows, record, rows_of};
use crate::audit::Outcome;
use crate::export::{write_record, UTF8_BOM};
use crate::jobs::runner::{Finish, JobContext};
use crate::model::{AuditAction, ImportCounters};

/// The import completed: finds the rows sent but not in the list, stores them, audits.
pub(super) async fn completed(
    ctx: &JobContext,
    upload: &Upload,
    numbers: ImportCounters,
) -> Result<Finish, sqlx::Error> {
    let pool = &ctx.state.pool;
    let sent: Vec<String> = sqlx::query_scalar!(
        "select sent_ids from contact_upload where contact_upload_id = $1",
        upload.id
    )
    .fetch_one(pool)
    .await?
    .unwrap_or_default();
    let mut absent = None;
    let (missing_count, missing_csv, note) = match list_ids(ctx, upload.list_id).await {
        Ok(present) => {
            let missing: Vec<&String> = sent.iter().filter(|id| !present.contains(*id)).collect();
            let why = absent_reason(&numbers, missing.len());
            let file = missing_file(&missing, &why.2);
            let count = missing.len() as i64;
            absent = Some((missing, why));
            (Some(count), Some(file), None)
        }
        Err(error) => (
            None,
            None,
            Some(format!(
                "The list could not be read afterwards to compare ({error})."
            )),
        ),
    };
    // The upload stays locked until its rows are stored: an erasure clearing its files waits
    // for them, instead of clearing the files while their rows are being copied out.
    let mut tx = pool.begin().await?;
    let needs_file = absent
        .as_ref()
        .is_some_and(|(missing, _)| !missing.is_empty());
    let files = sqlx::query!(
        r#"select u.not_listed_rows, case when $2 then u.converted end as converted,
                  u.part_header_bytes, u.preflight->'output_columns' as "columns",
                  d.delimiter as "delimiter?", d.header_row as "header_row?"
           from contact_upload u left join data_source d on d.name = u.data_source
           where u.contact_upload_id = $1
           for update of u"#,
        upload.id,
        needs_file,
    )
    .fetch_one(&mut *tx)
    .await?;
    let mut not_listed = rows_of(files.not_listed_rows.as_deref().unwrap_or_default());
    if let Some((missing, (stage, category, reason))) = &absent {
        let columns: Vec<String> = files
            .columns
            .and_then(|c| serde_json::from_value(c).ok())
            .unwrap_or_default();
        let header = files
            .part_header_bytes
            .map(|bytes| bytes > 0)
            .or(files.header_row)
            .unwrap_or(true);
        let delimiter = files.delimiter.map_or(b',', |d| d.as_bytes()[0]);
        not_listed.extend(absent_rows(
            files.converted.as_deref().unwrap_or_default(),
            delimiter,
            header,
            &columns,
            missing,
            (stage, category, reason),
        ));
    }
    // The rows are stored with the state change, once: a restarted job finds the upload
    // completed and stores nothing again.
    let updated = sqlx::query!(
        r#"update contact_upload set state = 'completed', finished_at = now(), missing_count = $2,
               missing_csv = $3, problem = $4
           where contact_upload_id = $1 and state in ('scheduled', 'importing')"#,
        upload.id,
        missing_count,
        missing_csv,
        note,
    )
    .execute(&mut *tx)
    .await?;
    if updated.rows_affected() > 0 {
        record(&mut tx, upload.id, &not_listed).await?;
    }
    // Audited before the completed state is committed: nobody sees it without its record.
    audit_step(
        ctx,
        upload,
        AuditAction::UploadCompleted,
        Outcome::Success,
        json!({ "counters": numbers, "sent": sent.len(), "missing": missing_count }),
    )
    .await?;
    tx.commit().await?;
    let imported = numbers.success + numbers.update;
    Ok(Finish::Completed(format!(
        "POM imported {imported} of {} rows sent ({} new, {} updated){}.",
        sent.len(),
        numbers.success,
        numbers.update,
        missing_count
            .map(|m| format!("; {m} sent rows are not in the list"))
            .unwrap_or_default()
    )))
}

/// Every user contact id in the list now.
async fn list_ids(
    ctx: &JobContext,
    list_id: i64,
) -> Result<HashSet<String>, pom::client::PomError> {
    let client = ctx
        .state
        .pom
        .as_ref()
        .ok_or_else(|| pom::client::PomError::Transport("no POM".into()))?;
    let page_size = ctx.state.settings.purge.read_page_size;
    let mut present = HashSet::new();
    let mut pages = Box::pin(crate::purge::scan::pages(client, list_id, page_size).await?);
    while let Some(page) = pages.try_next().await? {
        present.extend(page.contacts.iter().filter_map(user_contact_id));
    }
    Ok(present)
}

/// `user_contact_id,reason` for each missing row.
fn missing_file(missing: &[&String], reason: &str) -> Vec<u8> {
    let mut out = UTF8_BOM.as_bytes().to_vec();
    let _ = write_record(&mut out, ["user_contact_id", "reason"]);
    for id in missing {
        let _ = write_record(&mut out, [id.as_str(), reason]);
    }
    out
}
