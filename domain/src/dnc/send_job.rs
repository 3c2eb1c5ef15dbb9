//! The `dnc_send` job. First (once, in one transaction) it runs the pre-flight again on the stored
//! file with the stored choices, registers every valid value as a pending DNC entry (the proof of
//! suppression starts before POM is called) and drops the file. Then it sends the pending entries
//! to POM in batches (DNC list addresses or uncallable contact ids), retrying transient failures,
//! and records what POM accepted (confirmed, with the time) and refused (failed, with the reason)
//! together with the job's counters. POM failing pauses the job with POM's message.

use std::collections::HashSet;
use std::time::Duration;

use serde_json::{json, Value};

use super::checking::run_preflight;
use crate::audit::{self, Actor, AuditEvent, Outcome};
use crate::error::AppError;
use crate::jobs::runner::{Finish, JobContext, Signal};
use crate::jobs::store;
use crate::model::{DncMode, PreflightOptions};
use crate::request_meta::RequestMeta;
use pom::client::PomError;

/// Attempts per batch when POM fails transiently.
const ATTEMPTS: u32 = 4;
/// Values registered per statement.
const INSERT_BATCH: usize = 10_000;

struct Upload {
    id: i64,
    mode: DncMode,
    target_id: i64,
    target_name: String,
    organization: String,
    file_name: String,
    file_sha256: String,
}

/// What registering an upload's values came to.
enum Registered {
    /// Registered now or on an earlier run.
    Done,
    /// The file cannot be read again: why.
    Failed(String),
    /// OCM is shutting down: the job goes back to the queue.
    Interrupted,
}

/// Registers the upload's valid values as pending entries, once (the file is dropped after).
async fn register(ctx: &JobContext, upload: &Upload) -> Result<Registered, sqlx::Error> {
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
        .and_then(|p| serde_json::from_value::<super::checking::Summary>(p).ok())
        .and_then(|s| s.valid_sha256);
    if confirmed.as_deref() != Some(super::checking::valid_digest(&preflight.valid).as_str()) {
        return Ok(Registered::Failed(
            "Reading the file again gives other numbers than the check you confirmed (the phone \
             rules or OCM's file reading changed since); nothing was sent: upload the file again, \
             check the numbers as they will be sent, then send."
                .into(),
        ));
    }
    let action = match upload.mode {
        DncMode::DncList => "add",
        DncMode::Uncallable => "mark_uncallable",
    };
    let requester = ctx.job.created_by_name.clone();
    let mut tx = pool.begin().await?;
    for chunk in preflight.valid.chunks(INSERT_BATCH) {
        sqlx::query!(
            r#"insert into dnc_entry (organization, address, action, source, list_name, dnc_upload_id,
                   file_name, file_sha256, requested_by, requested_by_name, state)
               select $1, address, $2, 'upload', $3, $4, $5, $6,
                      (select created_by from job where job_id = $7), $8, 'pending'
               from unnest($9::text[]) as t(address)"#,
            upload.organization, action, upload.target_name, upload.id, upload.file_name,
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

async fn send_batch(
    ctx: &JobContext,
    upload: &Upload,
    values: &[String],
) -> Result<Vec<String>, PomError> {
    let Some(client) = ctx.state.pom.as_ref() else {
        return Err(PomError::Transport("No POM is configured for OCM.".into()));
    };
    let mut attempt = 0;
    loop {
        let result = match upload.mode {
            DncMode::DncList => client.add_dnc_addresses(upload.target_id, values).await,
            DncMode::Uncallable => client.mark_uncallable(upload.target_id, values).await,
        };
        match result {
            Ok(rejected) => return Ok(rejected.0),
            Err(error) if error.is_transient() && attempt + 1 < ATTEMPTS => {
                attempt += 1;
                tokio::time::sleep(Duration::from_millis(500 << attempt)).await;
            }
            Err(error) => return Err(error),
        }
    }
}

/// Records a batch: values POM refused failed, the rest confirmed. Refusals are matched without
/// regard to case, as POM may echo an address in another case.
async fn record(ctx: &JobContext, ids: &[i64], refused: &[String]) -> Result<bool, sqlx::Error> {
    let refused: Vec<String> = refused
        .iter()
        .map(|r| r.trim().to_lowercase())
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let mut tx = ctx.state.pool.begin().await?;
    let changed = sqlx::query_scalar!(
        r#"update dnc_entry set
               state = case when lower(address) = any($2) then 'failed' else 'confirmed' end,
               confirmed_at = case when lower(address) = any($2) then null else now() end,
               outcome = case when lower(address) = any($2) then 'POM refused this value' else 'accepted by POM' end
           where dnc_entry_id = any($1) and state = 'pending' returning state"#,
        ids,
        &refused,
    )
    .fetch_all(&mut *tx)
    .await?;
    let failed = changed.iter().filter(|s| *s == "failed").count() as i64;
    store::commit_progress(
        tx,
        ctx.job.job_id,
        &ctx.worker,
        (changed.len() as i64 - failed, failed, 0),
    )
    .await
}

async fn audit(
    ctx: &JobContext,
    upload: &Upload,
    action: &'static str,
    outcome: Outcome,
    extra: Value,
) -> Result<(), sqlx::Error> {
    let pool = &ctx.state.pool;
    let counts = store::load(pool, ctx.job.job_id).await?.map(|j| json!({ "accepted": j.done, "refused": j.failed, "not_sent": j.skipped, "total": j.total }));
    let requester = sqlx::query_scalar!(
        "select created_by from job where job_id = $1",
        ctx.job.job_id
    )
    .fetch_one(pool)
    .await?;
    let actor = Actor {
        user_id: requester,
        username: Some(ctx.job.created_by_name.clone()),
        organization: Some(upload.organization.clone()),
        ..Actor::default()
    };
    let mut event = AuditEvent::new(action, outcome)
        .with_organization(upload.organization.clone())
        .with_target(upload.target_name.clone())
        .with_parameters(json!({ "upload_id": upload.id, "job_id": ctx.job.job_id, "mode": upload.mode.as_str(),
                                  "file": upload.file_name, "sha256": upload.file_sha256, "detail": extra }));
    if let Some(counts) = counts {
        event = event.with_counts(counts);
    }
    audit::record(pool, &actor, &RequestMeta::background("dnc"), event).await
}

/// Runs (or goes on with) a DNC send job.
pub async fn run(ctx: &JobContext) -> Result<Finish, sqlx::Error> {
    let pool = &ctx.state.pool;
    let upload_id = ctx
        .job
        .payload
        .get("dnc_upload_id")
        .and_then(Value::as_i64)
        .unwrap_or(0);
    let row = sqlx::query!(
        "select mode, target_id, target_name, organization, file_name, file_sha256 from dnc_upload where dnc_upload_id = $1",
        upload_id
    )
    .fetch_one(pool)
    .await?;
    let upload = Upload {
        id: upload_id,
        mode: DncMode::parse(&row.mode).unwrap_or_default(),
        target_id: row.target_id,
        target_name: row.target_name,
        organization: row.organization,
        file_name: row.file_name,
        file_sha256: row.file_sha256,
    };
    match register(ctx, &upload).await? {
        Registered::Done => {}
        Registered::Interrupted => return Ok(Finish::Interrupted),
        Registered::Failed(problem) => {
            audit(
                ctx,
                &upload,
                "dnc.send.failed",
                Outcome::Failure,
                json!(problem),
            )
            .await?;
            return Ok(Finish::Failed(problem));
        }
    }
    let batch = ctx.state.settings.dnc.batch.max(1) as i64;
    while !ctx.should_stop() {
        let rows = sqlx::query!(
            "select dnc_entry_id, address from dnc_entry where dnc_upload_id = $1 and state = 'pending'
             order by dnc_entry_id limit $2",
            upload_id, batch
        )
        .fetch_all(pool)
        .await?;
        if rows.is_empty() {
            break;
        }
        let ids: Vec<i64> = rows.iter().map(|r| r.dnc_entry_id).collect();
        let values: Vec<String> = rows.into_iter().map(|r| r.address).collect();
        match send_batch(ctx, &upload, &values).await {
            Ok(refused) => {
                if !record(ctx, &ids, &refused).await? {
                    return Ok(Finish::Interrupted);
                }
            }
            Err(error) if ctx.should_stop() => {
                tracing::warn!(error = %error, upload_id, "DNC batch not sent while stopping")
            }
            Err(error) => {
                let message = format!(
                    "Paused: {} Resume when it is fixed; this batch was not recorded as sent.",
                    error.user_message()
                );
                audit(
                    ctx,
                    &upload,
                    "dnc.send.paused",
                    Outcome::Failure,
                    json!(message),
                )
                .await?;
                return Ok(Finish::Paused(message));
            }
        }
    }
    match ctx.signal() {
        Signal::Shutdown | Signal::Lost => return Ok(Finish::Interrupted),
        Signal::Cancel => {
            let mut tx = pool.begin().await?;
            let undone = sqlx::query!(
                "update dnc_entry set state = 'not_sent', outcome = 'not sent: cancelled by a user'
                 where dnc_upload_id = $1 and state = 'pending'",
                upload_id
            )
            .execute(&mut *tx)
            .await?
            .rows_affected() as i64;
            if !store::commit_progress(tx, ctx.job.job_id, &ctx.worker, (0, 0, undone)).await? {
                return Ok(Finish::Interrupted);
            }
            audit(
                ctx,
                &upload,
                "dnc.send.cancelled",
                Outcome::Failure,
                json!(null),
            )
            .await?;
            return Ok(Finish::Cancelled(format!(
                "Cancelled by a user; {undone} values were not sent."
            )));
        }
        Signal::Go => {}
    }
    let job = store::load(pool, ctx.job.job_id).await?;
    let (accepted, failed) = job.as_ref().map_or((0, 0), |j| (j.done, j.failed));
    let outcome = if failed == 0 {
        Outcome::Success
    } else {
        Outcome::Failure
    };
    audit(ctx, &upload, "dnc.send.completed", outcome, json!(null)).await?;
    Ok(Finish::Completed(format!(
        "{accepted} accepted by POM, {failed} refused."
    )))
}
