//! Following POM's import of an upload (`GetImportJobStatus`) until `COMPLETED` or `ERROR`: the
//! state and POM's ten counters are stored as they change, added to those of the parts already
//! imported when the file goes as parts (and the job's progress is POM's processed count over
//! them); a completed import goes on to the next part or is compared with the list (the
//! coordinator decides).

use pom::client::soap::ImportJobStatus;
use serde_json::json;

use super::job_steps::{audit_step, fail, Upload, IMPORT_STATES};
use super::parts;
use crate::audit::Outcome;
use crate::jobs::runner::{Finish, JobContext, Signal};
use crate::jobs::store;
use crate::model::{AuditAction, ImportCounters};

/// How following an import ended.
pub(super) enum Followed {
    /// The job stops here (cancelled, handed back, paused, or the import ended in `ERROR`).
    Ended(Finish),
    /// POM completed the current part's import: the counters of every part so far.
    Imported(ImportCounters),
}

/// How long an import may stay queued past its start time before the job stops to say so.
const LATE_AFTER: time::Duration = time::Duration::minutes(15);

fn counters(status: &ImportJobStatus) -> ImportCounters {
    ImportCounters {
        success: status.success,
        update: status.update,
        runtime_errors: status.runtime_errors,
        validation_failed: status.validation_failed,
        duplicates_ignored: status.duplicates_ignored,
        reject_pattern_matches: status.reject_pattern_matches,
        deleted: status.deleted,
        dnc_matches: status.dnc_matches,
        phone_format_failed: status.phone_format_failed,
        processed: status.processed,
    }
}

/// This upload's import among the data source's: by id, or the first after `import_after`.
fn ours(
    jobs: Vec<ImportJobStatus>,
    id: Option<i64>,
    after: Option<i64>,
) -> Option<ImportJobStatus> {
    match id {
        Some(id) => jobs.into_iter().find(|j| j.import_job_id == Some(id)),
        None => jobs
            .into_iter()
            .filter(|j| j.import_job_id.is_some_and(|i| after.is_none_or(|a| i > a)))
            .min_by_key(|j| j.import_job_id),
    }
}

/// Follows the import to its end (see the module note).
pub(super) async fn follow(ctx: &JobContext, upload: &Upload) -> Result<Followed, sqlx::Error> {
    let pool = &ctx.state.pool;
    let Some(client) = ctx.state.pom.as_ref() else {
        let problem = format!(
            "No POM is configured for OCM. {}.",
            upload.imported_before()
        );
        return fail(ctx, upload, problem).await.map(Followed::Ended);
    };
    let mut reported: i64 =
        sqlx::query_scalar!("select done from job where job_id = $1", ctx.job.job_id)
            .fetch_one(pool)
            .await?;
    loop {
        match ctx.signal() {
            Signal::Go => {}
            Signal::Cancel => {
                let unsent = upload
                    .not_sent()
                    .map(|parts| format!(" OCM stopped before sending the rest: {parts}."))
                    .unwrap_or_default();
                // Audited first: nobody sees the upload ended without its record.
                audit_step(
                    ctx,
                    upload,
                    AuditAction::UploadCancelled,
                    Outcome::Success,
                    json!("while following"),
                )
                .await?;
                sqlx::query!("update contact_upload set state = 'cancelled', problem = $2, finished_at = now() where contact_upload_id = $1",
                    upload.id, format!("OCM stopped following; POM's import goes on (see POM's data source).{unsent}"))
                    .execute(pool).await?;
                return Ok(Followed::Ended(Finish::Cancelled(format!(
                    "OCM stopped following the import; POM's import goes on.{unsent}"
                ))));
            }
            Signal::Shutdown | Signal::Lost => return Ok(Followed::Ended(Finish::Interrupted)),
        }
        let row = sqlx::query!(
            r#"select import_job_id, import_after, pom_counters_done,
                      coalesce(scheduled_at, sent_at) < now() - make_interval(secs => $2) as "late!"
               from contact_upload where contact_upload_id = $1"#,
            upload.id,
            LATE_AFTER.as_seconds_f64(),
        )
        .fetch_one(pool)
        .await?;
        let found = match client
            .get_import_job_status(&upload.data_source, &IMPORT_STATES)
            .await
        {
            Ok(jobs) => ours(jobs, row.import_job_id, row.import_after),
            Err(error) if error.is_transient() => None,
            Err(error) => {
                let message = format!(
                    "POM's import status could not be read: {}",
                    error.user_message()
                );
                return Ok(Followed::Ended(Finish::Paused(message)));
            }
        };
        let done: ImportCounters = row
            .pom_counters_done
            .and_then(|c| serde_json::from_value(c).ok())
            .unwrap_or_default();
        if let Some(status) = found {
            let state = status.status.clone().unwrap_or_default();
            let numbers = counters(&status);
            let totals = parts::add(done, numbers);
            sqlx::query!(
                r#"update contact_upload set import_job_id = coalesce(import_job_id, $2), pom_state = $3,
                       pom_counters = $4,
                       state = case when $3 in ('QUEUED', '') then state else 'importing' end
                   where contact_upload_id = $1 and state in ('scheduled', 'importing')"#,
                upload.id, status.import_job_id, state, json!(totals),
            )
            .execute(pool)
            .await?;
            if totals.processed > reported {
                store::add_progress(
                    pool,
                    ctx.job.job_id,
                    &ctx.worker,
                    totals.processed - reported,
                    0,
                    0,
                )
                .await?;
                reported = totals.processed;
            }
            match state.as_str() {
                "COMPLETED" => return Ok(Followed::Imported(totals)),
                "ERROR" => {
                    let mut part = Vec::new();
                    if upload.parts > 1 {
                        part.push(format!("part {} of {}", upload.part, upload.parts));
                    }
                    if upload.part > 1 {
                        part.push("the parts before it were imported".to_string());
                    }
                    part.extend(upload.not_sent());
                    let part = if part.is_empty() {
                        String::new()
                    } else {
                        format!(" ({})", part.join("; "))
                    };
                    let problem = format!("POM's import job {} ended in ERROR after {} of the rows{part}; POM's data source log says why (the file may be unreadable for POM, or the data source misconfigured).",
                        status.import_job_id.unwrap_or_default(), numbers.processed);
                    audit_step(
                        ctx,
                        upload,
                        AuditAction::UploadImportError,
                        Outcome::Failure,
                        json!({ "counters": numbers, "totals": totals }),
                    )
                    .await?;
                    sqlx::query!("update contact_upload set state = 'error', problem = $2, finished_at = now() where contact_upload_id = $1", upload.id, problem)
                        .execute(pool).await?;
                    return Ok(Followed::Ended(Finish::Failed(problem)));
                }
                "QUEUED" | "" if row.late => {
                    return Ok(Followed::Ended(Finish::Paused("POM has not started the import 15 minutes after its start time. Check that the data source is enabled in POM, then resume.".into())));
                }
                _ => {}
            }
        } else if row.late {
            return Ok(Followed::Ended(Finish::Paused("POM lists no import job for this upload 15 minutes after its start time. Check the data source in POM, then resume.".into())));
        }
        tokio::time::sleep(ctx.state.settings.uploads.follow_every).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job(id: i64, state: &str) -> ImportJobStatus {
        ImportJobStatus {
            import_name: None,
            list_name: None,
            import_job_id: Some(id),
            status: Some(state.into()),
            success: 0,
            update: 0,
            runtime_errors: 0,
            validation_failed: 0,
            duplicates_ignored: 0,
            reject_pattern_matches: 0,
            deleted: 0,
            dnc_matches: 0,
            phone_format_failed: 0,
            processed: 0,
        }
    }

    #[test]
    fn our_import_is_the_answered_id_or_the_first_after_the_newest_before() {
        let jobs = || vec![job(7, "COMPLETED"), job(9, "RUNNING"), job(12, "QUEUED")];
        assert_eq!(
            ours(jobs(), Some(9), None).and_then(|j| j.import_job_id),
            Some(9)
        );
        assert_eq!(
            ours(jobs(), None, Some(7)).and_then(|j| j.import_job_id),
            Some(9)
        );
        assert_eq!(
            ours(jobs(), None, Some(12)).and_then(|j| j.import_job_id),
            None
        );
        assert_eq!(
            ours(jobs(), Some(99), Some(7)).and_then(|j| j.import_job_id),
            None,
            "an answered id is never guessed"
        );
    }
}
