//! One batch of pending entries sent to POM (transient failures retried) and POM's answer
//! recorded: refused values failed, the rest confirmed, with the job's counters.

use std::collections::HashSet;
use std::time::Duration;

use super::Upload;
use crate::jobs::runner::JobContext;
use crate::jobs::store;
use crate::model::DncMode;
use pom::client::PomError;

/// Attempts per batch when POM fails transiently.
const ATTEMPTS: u32 = 4;

/// Sends one batch; gives the values POM refused.
pub(super) async fn send_batch(
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
pub(super) async fn record(
    ctx: &JobContext,
    ids: &[i64],
    refused: &[String],
) -> Result<bool, sqlx::Error> {
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
