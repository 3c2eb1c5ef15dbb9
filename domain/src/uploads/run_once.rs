//! Scheduling the data source to run once (now + the start delay, as a wall time in the
//! configured zone): the data source's newest import job is read first so that OCM can tell its
//! own import apart when POM's answer carries no id. A refusal (a POM return code or a 4xx
//! answer) takes the file back off the drop and ends the upload; no answer (timeout, POM down,
//! 5xx) first looks whether POM scheduled it anyway, and otherwise asks again a few times before
//! pausing the job. The part being asked for is recorded before POM is asked, so a run that
//! resumes after a crash looks for the import before asking again.

use pom::client::PomError;
use serde_json::json;

use super::job_steps::{audit_step, fail, set_state, take_back, Upload, IMPORT_STATES};
use crate::audit::Outcome;
use crate::dates::pom_wall_time;
use crate::jobs::runner::{Finish, JobContext};
use crate::model::{AuditAction, UploadState};

/// Run-once requests POM left unanswered, each followed by a look for the import, before the job
/// pauses: one lost answer among many is no reason to stop an upload.
const SCHEDULE_ATTEMPTS: u32 = 4;

/// Whether POM answered at all: a refusal is an answer; a timeout, a dropped connection or a
/// server error is not (POM may or may not have acted).
fn unanswered(error: &PomError) -> bool {
    error.is_transient()
}

async fn scheduled(
    ctx: &JobContext,
    upload: &Upload,
    (start, at, zone): (&str, time::OffsetDateTime, &str),
    import_job_id: Option<i64>,
    import_after: Option<i64>,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        r#"update contact_upload set state = 'scheduled', scheduled_for = $2, scheduled_at = $3,
               time_zone = $4, import_job_id = $5, import_after = $6, problem = null
           where contact_upload_id = $1 and state = 'uploaded'"#,
        upload.id,
        start,
        at,
        zone,
        import_job_id,
        import_after,
    )
    .execute(&ctx.state.pool)
    .await?;
    let detail = json!({ "start": start, "time_zone": zone, "import_job_id": import_job_id });
    audit_step(
        ctx,
        upload,
        AuditAction::UploadScheduled,
        Outcome::Success,
        detail,
    )
    .await
}

/// A run-once request of an earlier run for this part: the newest import job it had seen then,
/// and the start it asked for (wall time, and the instant it stands for).
struct AskedBefore {
    import_after: Option<i64>,
    start: Option<(String, time::OffsetDateTime)>,
}

/// When an earlier run asked POM to run this part, what it asked.
async fn asked_before(
    ctx: &JobContext,
    upload: &Upload,
) -> Result<Option<AskedBefore>, sqlx::Error> {
    let row = sqlx::query!(
        "select run_once_asked_part, import_after, run_once_asked_for, run_once_asked_at
           from contact_upload where contact_upload_id = $1",
        upload.id
    )
    .fetch_one(&ctx.state.pool)
    .await?;
    Ok(
        (row.run_once_asked_part == Some(upload.part)).then(|| AskedBefore {
            import_after: row.import_after,
            start: row.run_once_asked_for.zip(row.run_once_asked_at),
        }),
    )
}

/// Remembers, before POM is asked, which part is asked for, at what start, and the newest import
/// job before it.
async fn remember_asking(
    ctx: &JobContext,
    upload: &Upload,
    import_after: Option<i64>,
    (start, at): (&str, time::OffsetDateTime),
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "update contact_upload set run_once_asked_part = $2, import_after = $3,
                run_once_asked_for = $4, run_once_asked_at = $5
          where contact_upload_id = $1 and state = 'uploaded'",
        upload.id,
        upload.part,
        import_after,
        start,
        at,
    )
    .execute(&ctx.state.pool)
    .await?;
    Ok(())
}

/// Schedules the run; `Some(finish)` when the job stops here.
pub(super) async fn schedule(
    ctx: &JobContext,
    upload: &Upload,
) -> Result<Option<Finish>, sqlx::Error> {
    let Some(client) = ctx.state.pom.as_ref() else {
        let problem = format!(
            "No POM is configured for OCM; {}.",
            take_back(ctx, upload).await
        );
        return fail(ctx, upload, problem).await.map(Some);
    };
    let zone = ctx.state.settings.campaigns.time_zone.clone();
    let newest = |jobs: Vec<pom::client::soap::ImportJobStatus>| {
        jobs.iter().filter_map(|j| j.import_job_id).max()
    };
    let import_after = match client
        .get_import_job_status(&upload.data_source, &IMPORT_STATES)
        .await
    {
        Ok(jobs) => newest(jobs),
        Err(error) if unanswered(&error) => {
            let message = format!("POM's import jobs could not be read before scheduling ({}); the file is on the drop. Resume to try again.", error.user_message());
            set_state(ctx, upload.id, UploadState::Uploaded, Some(&message)).await?;
            return Ok(Some(Finish::Paused(message)));
        }
        Err(error) => {
            let problem = format!(
                "POM refused to list the imports of {}: {} {}; {}.",
                upload.data_source,
                error.user_message(),
                upload.imported_before(),
                take_back(ctx, upload).await
            );
            return fail(ctx, upload, problem).await.map(Some);
        }
    };
    let delay = ctx.state.settings.uploads.start_delay;
    if let Some(asked) = asked_before(ctx, upload).await? {
        // A run asked POM for this part and ended before recording the answer (a killed
        // process): an import newer than the one it saw means POM took the request, for the
        // start it asked for.
        let taken = import_after.filter(|id| asked.import_after.is_none_or(|after| *id > after));
        if taken.is_some() {
            let (start, at) = asked.start.unwrap_or_else(|| {
                let now = time::OffsetDateTime::now_utc();
                (pom_wall_time(&zone, now).unwrap_or_default(), now)
            });
            scheduled(ctx, upload, (&start, at, &zone), taken, asked.import_after).await?;
            return Ok(None);
        }
    }
    let mut attempt = 0;
    loop {
        let at = time::OffsetDateTime::now_utc() + time::Duration::seconds(delay.as_secs() as i64);
        let start = pom_wall_time(&zone, at).unwrap_or_default();
        remember_asking(ctx, upload, import_after, (&start, at)).await?;
        let error = match client
            .schedule_run_once(&upload.data_source, &start, &zone)
            .await
        {
            Ok(import_job_id) => {
                let when = (start.as_str(), at, zone.as_str());
                scheduled(ctx, upload, when, import_job_id, import_after).await?;
                return Ok(None);
            }
            Err(error) => error,
        };
        if !unanswered(&error) {
            let refusal = crate::error::AppError::from(error).to_string();
            let problem = format!(
                "POM did not schedule the data source {}: {refusal} {}; {}.",
                upload.data_source,
                upload.imported_before(),
                take_back(ctx, upload).await
            );
            return fail(ctx, upload, problem).await.map(Some);
        }
        // POM may have scheduled it although the answer was lost: a new import job says so.
        // Only an answer saying "no new import" allows asking again; a look POM leaves
        // unanswered as well pauses, and the resume looks again (`run_once_asked_part`).
        let look = client
            .get_import_job_status(&upload.data_source, &IMPORT_STATES)
            .await;
        let nothing_new = match look {
            Ok(jobs) => {
                let appeared =
                    newest(jobs).filter(|id| import_after.is_none_or(|after| *id > after));
                if appeared.is_some() {
                    let when = (start.as_str(), at, zone.as_str());
                    scheduled(ctx, upload, when, appeared, import_after).await?;
                    return Ok(None);
                }
                true
            }
            Err(_) => false,
        };
        attempt += 1;
        if nothing_new && attempt < SCHEDULE_ATTEMPTS && !ctx.should_stop() {
            tokio::time::sleep(std::time::Duration::from_millis(500 << attempt)).await;
            continue;
        }
        let message = format!("POM did not answer the run-once request ({}, {attempt} tries); the file is on the drop and nothing was scheduled. Resume to try again.", error.user_message());
        set_state(ctx, upload.id, UploadState::Uploaded, Some(&message)).await?;
        return Ok(Some(Finish::Paused(message)));
    }
}
