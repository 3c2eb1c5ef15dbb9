//! The end of a completed import: the list read again to find the rows that were sent but are
//! not in it afterwards (seed 001's "Account Not in Listing"), stored as a count and a CSV whose
//! reason names POM's counters, and the upload closed as completed.

use std::collections::HashSet;

use futures::TryStreamExt;
use pom::client::rest::user_contact_id;
use serde_json::json;

use super::job_steps::{audit_step, Upload};
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
    let (missing_count, missing_csv, note) = match list_ids(ctx, upload.list_id).await {
        Ok(present) => {
            let missing: Vec<&String> = sent.iter().filter(|id| !present.contains(*id)).collect();
            (
                Some(missing.len() as i64),
                Some(missing_file(&missing, &numbers)),
                None,
            )
        }
        Err(error) => (
            None,
            None,
            Some(format!(
                "The list could not be read afterwards to compare ({error})."
            )),
        ),
    };
    sqlx::query!(
        r#"update contact_upload set state = 'completed', finished_at = now(), missing_count = $2,
               missing_csv = $3, problem = $4
           where contact_upload_id = $1 and state in ('scheduled', 'importing')"#,
        upload.id,
        missing_count,
        missing_csv,
        note,
    )
    .execute(pool)
    .await?;
    audit_step(
        ctx,
        upload,
        AuditAction::UploadCompleted,
        Outcome::Success,
        json!({ "counters": numbers, "sent": sent.len(), "missing": missing_count }),
    )
    .await?;
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

/// `user_contact_id,reason` for each missing row: POM gives no reason per row, so the reason
/// names the counters of this import that can explain it.
fn missing_file(missing: &[&String], numbers: &ImportCounters) -> Vec<u8> {
    let mut reasons = Vec::new();
    for (count, what) in [
        (numbers.dnc_matches, "DNC match"),
        (numbers.validation_failed, "validation failed"),
        (numbers.phone_format_failed, "phone format"),
        (numbers.reject_pattern_matches, "reject pattern"),
        (numbers.duplicates_ignored, "duplicate ignored"),
        (numbers.runtime_errors, "runtime error"),
        (numbers.deleted, "deleted"),
    ] {
        if count > 0 {
            reasons.push(format!("{what}: {count}"));
        }
    }
    let reason = if reasons.is_empty() {
        "not in the list after the import; POM counted no rejection".to_string()
    } else {
        format!(
            "not in the list after the import; POM counted {}",
            reasons.join(", ")
        )
    };
    let mut out = UTF8_BOM.as_bytes().to_vec();
    let _ = write_record(&mut out, ["user_contact_id", "reason"]);
    for id in missing {
        let _ = write_record(&mut out, [id.as_str(), reason.as_str()]);
    }
    out
}
