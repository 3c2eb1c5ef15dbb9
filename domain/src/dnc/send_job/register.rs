//! The job's first step: the stored file read again with the stored choices, checked against
//! what the user confirmed, and every valid value registered as a pending DNC entry in one
//! transaction that also drops the file.

use super::Upload;
use crate::dnc::checking::{self, run_preflight};
use crate::error::AppError;
use crate::jobs::runner::JobContext;
use crate::model::{DncAction, DncMode, PreflightOptions};

/// Values registered per statement.
const INSERT_BATCH: usize = 10_000;

/// What registering an upload's values came to.
pub(super) enum Registered {
    /// Registered now or on an earlier run.
    Done,
    /// The file cannot be read again: why.
    Failed(String),
    /// OCM is shutting down: the job goes back to the queue.
    Interrupted,
}

/// Registers the upload's valid values as pending entries, once (the file is dropped after).
pub(super) async fn register(ctx: &JobContext, upload: &Upload) -> Result<Registered, sqlx::Error> {
    let pool = &ctx.state.pool;
    let stored = sqlx::query!(
        "select content, options, preflight from dnc_upload where dnc_upload_id = $1",
        upload.id
    )
    .fetch_one(pool)
    .await?;
    let Some(content) = stored.content else {
        return Ok(Registered::Done);
    };
    let options: PreflightOptions = serde_json::from_value(stored.options).unwrap_or_default();
    let checked = run_preflight(
        &ctx.state,
        upload.file_name.clone(),
        content,
        upload.mode,
        &options,
        true,
        &upload.organization,
    )
    .await;
    let preflight = match checked {
        Ok((Ok(preflight), _)) => preflight,
        Ok((Err(error), _)) => {
            return Ok(Registered::Failed(format!(
                "The file could not be read again: {error}"
            )))
        }
        Err(AppError::Busy { .. }) => return Ok(Registered::Interrupted),
        Err(error) => return Ok(Registered::Failed(error.to_string())),
    };
    // What is sent must be what the user confirmed: new phone rules (region, format, metadata)
    // or a new reader since the check would otherwise change the numbers silently.
    let confirmed = stored
        .preflight
        .and_then(|p| serde_json::from_value::<checking::Summary>(p).ok())
        .and_then(|s| s.valid_sha256);
    if confirmed.as_deref() != Some(checking::valid_digest(&preflight.valid).as_str()) {
        return Ok(Registered::Failed(
            "Reading the file again gives other numbers than the check you confirmed (the phone \
             rules or OCM's file reading changed since); nothing was sent: upload the file again, \
             check the numbers as they will be sent, then send."
                .into(),
        ));
    }
    let action = match upload.mode {
        DncMode::DncList => DncAction::Add,
        DncMode::Uncallable => DncAction::MarkUncallable,
    };
    let requester = ctx.job.created_by_name.clone();
    let mut tx = pool.begin().await?;
    for chunk in preflight.valid.chunks(INSERT_BATCH) {
        sqlx::query!(
            r#"insert into dnc_entry (organization, address, action, source, list_name, dnc_upload_id,
                   file_name, file_sha256, requested_by, requested_by_name, state, expires_at)
               select $1, address, $2, 'upload', $3, $4, $5, $6,
                      (select created_by from job where job_id = $7), $8, 'pending',
                      (select expires_at from dnc_upload where dnc_upload_id = $4)
               from unnest($9::text[]) as t(address)"#,
            upload.organization, action.as_str(), upload.target_name, upload.id, upload.file_name,
            upload.file_sha256, ctx.job.job_id, requester, chunk,
        )
        .execute(&mut *tx)
        .await?;
    }
    sqlx::query!(
        "update dnc_upload set content = null where dnc_upload_id = $1",
        upload.id
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "update job set total = $2 where job_id = $1",
        ctx.job.job_id,
        preflight.valid.len() as i64
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Registered::Done)
}
