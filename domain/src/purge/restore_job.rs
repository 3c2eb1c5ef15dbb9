//! The restore job: adds snapshot contacts back to their list with POM's add-contact call, never
//! overwriting (a contact whose id is in the list again is counted as skipped), marks contacts
//! that were uncallable before the purge uncallable again, and records each outcome with the
//! job's counters in one transaction.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use futures::{stream, StreamExt};
use pom::client::rest::AddOutcome;
use serde_json::{json, Value};

use super::contact_record::new_contact;
use super::delete::{classify, goes_on, Deleted};
use crate::audit::{self, Actor, AuditEvent, Outcome};
use crate::erasure::tombstone::{self, erased_reason, Suppression};
use crate::jobs::runner::{Finish, JobContext, Signal};
use crate::jobs::store;
use crate::model::AuditAction;
use crate::pom_gate::{sample, Gate};
use crate::request_meta::RequestMeta;

const ROUND: i64 = 500;
const UNAVAILABLE_LIMIT: usize = 20;
/// Rounds over the contacts POM did not answer for, at most, each while the last one left fewer.
const PASSES: usize = 10;

/// What happened to one contact.
enum Restore {
    Added,
    /// A contact with this id is in the list again; left as it is.
    Exists,
    Failed(String),
    /// POM itself failed; try again later.
    Unavailable(String),
    /// Not tried: the job stopped (or POM failed too often) while this contact waited its turn.
    NotTried,
}

async fn restore_one(
    ctx: &JobContext,
    (gate, go): (&Gate, &(dyn Fn() -> bool + Sync)),
    list_id: i64,
    id: &str,
    record: Option<Value>,
    erased: &Suppression,
) -> Restore {
    let Some(client) = ctx.state.pom.as_ref() else {
        return Restore::Unavailable("No POM is configured for OCM.".into());
    };
    let Some(Value::Object(attributes)) = record else {
        return Restore::Failed(
            "The snapshot of this contact was erased; it cannot be restored.".into(),
        );
    };
    // A person erased on request (or being erased) is not put back, whatever the snapshot holds.
    let rules = &ctx.state.settings.phone;
    let erasure = erased.customer_id(id).or_else(|| {
        attributes
            .values()
            .filter_map(Value::as_str)
            .find_map(|value| erased.address(value, rules))
    });
    if let Some(erasure_id) = erasure {
        return Restore::Failed(format!("Not restored: {}.", erased_reason(erasure_id)));
    }
    let (caller, contact) = (client.clone(), new_contact(id, &attributes));
    let call = move || async move { caller.add_contact(list_id, &contact).await };
    let Some(answer) = gate.admit(go, call, sample).await else {
        return Restore::NotTried;
    };
    let outcome = match answer {
        Ok(AddOutcome::DuplicateIgnored) => return Restore::Exists,
        Ok(_) => Restore::Added,
        Err(error) => {
            return match classify(&error) {
                Deleted::Unavailable(message) => Restore::Unavailable(message),
                _ => Restore::Failed(error.user_message()),
            }
        }
    };
    // A contact that could not be called before the purge must not be dialled after it.
    if attributes.get("callable") == Some(&Value::Bool(false)) {
        // At once, not behind the adds waiting for the gate: it is callable until marked.
        if let Err(error) = client.mark_uncallable(list_id, &[id.to_string()]).await {
            return Restore::Failed(format!(
                "Added back, but could not be marked uncallable again as it was: {}",
                error.user_message()
            ));
        }
    }
    outcome
}

/// Records a chunk of outcomes and the counters, counting only rows this worker changed; `false`
/// when the worker no longer holds the job (nothing is written).
async fn flush(ctx: &JobContext, outcomes: &[(i64, Restore)]) -> Result<bool, sqlx::Error> {
    let (mut ids, mut states, mut errors) = (Vec::new(), Vec::new(), Vec::<Option<String>>::new());
    for (id, outcome) in outcomes {
        let (state, error) = match outcome {
            Restore::Added => ("restored", None),
            Restore::Exists => ("exists", None),
            Restore::Failed(message) => ("failed", Some(message.clone())),
            Restore::Unavailable(_) | Restore::NotTried => continue,
        };
        ids.push(*id);
        states.push(state.to_string());
        errors.push(error);
    }
    if ids.is_empty() {
        return Ok(true);
    }
    let mut tx = ctx.state.pool.begin().await?;
    let changed = sqlx::query_scalar!(
        r#"update purge_contact p set restore_state = t.state, restore_error = t.error
           from unnest($1::bigint[], $2::text[], $3::text[]) as t(id, state, error)
           where p.purge_contact_id = t.id and p.restore_state = 'pending'
           returning p.restore_state as "state!""#,
        &ids,
        &states,
        &errors as &[Option<String>],
    )
    .fetch_all(&mut *tx)
    .await?;
    let count = |wanted: &str| changed.iter().filter(|s| *s == wanted).count() as i64;
    let (done, skipped, failed) = (count("restored"), count("exists"), count("failed"));
    store::commit_progress(tx, ctx.job.job_id, &ctx.worker, (done, failed, skipped)).await
}

/// Contacts of the run still to restore.
async fn pending(pool: &sqlx::PgPool, purge_run_id: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(
        r#"select count(*) as "n!" from purge_contact where purge_run_id = $1 and restore_state = 'pending'"#,
        purge_run_id
    )
    .fetch_one(pool)
    .await
}

/// Runs (or goes on with) a restore job.
pub async fn run(ctx: &JobContext) -> Result<Finish, sqlx::Error> {
    let pool = &ctx.state.pool;
    let purge_run_id = ctx
        .job
        .payload
        .get("purge_run_id")
        .and_then(Value::as_i64)
        .unwrap_or(0);
    let run = sqlx::query!(
        "select contact_list_id, contact_list_name, organization from purge_run where purge_run_id = $1",
        purge_run_id
    )
    .fetch_one(pool)
    .await?;
    let gate = &Gate::new(ctx.state.settings.purge.concurrency);
    let streak = Arc::new(AtomicUsize::new(0));
    let goes_on = goes_on(ctx, &streak, UNAVAILABLE_LIMIT);
    let go: &(dyn Fn() -> bool + Sync) = &goes_on;
    let mut last_problem = String::new();
    let mut left_before = i64::MAX;
    for _ in 0..PASSES {
        let mut after = 0i64;
        loop {
            if ctx.should_stop() {
                break;
            }
            let rows = sqlx::query!(
                "select purge_contact_id, user_contact_id, attributes from purge_contact
             where purge_run_id = $1 and restore_state = 'pending' and purge_contact_id > $2
             order by purge_contact_id limit $3",
                purge_run_id,
                after,
                ROUND
            )
            .fetch_all(pool)
            .await?;
            let Some(last) = rows.last() else { break };
            after = last.purge_contact_id;
            let erased =
                &tombstone::load(pool, &ctx.state.settings.erasure_key, &run.organization).await?;
            let mut outcomes = std::pin::pin!(stream::iter(rows)
                .take_while(|_| {
                    let go = go();
                    async move { go }
                })
                .map(|row| {
                    let streak = streak.clone();
                    async move {
                        let outcome = restore_one(
                            ctx,
                            (gate, go),
                            run.contact_list_id,
                            &row.user_contact_id,
                            row.attributes,
                            erased,
                        )
                        .await;
                        match outcome {
                            Restore::Unavailable(_) => streak.fetch_add(1, Ordering::Relaxed),
                            Restore::NotTried => streak.load(Ordering::Relaxed),
                            _ => streak.swap(0, Ordering::Relaxed),
                        };
                        (row.purge_contact_id, outcome)
                    }
                })
                .buffer_unordered(ctx.state.settings.purge.concurrency.max(1))
                .ready_chunks(256));
            while let Some(chunk) = outcomes.next().await {
                if let Some((_, Restore::Unavailable(message))) = chunk
                    .iter()
                    .find(|(_, o)| matches!(o, Restore::Unavailable(_)))
                {
                    last_problem = message.clone();
                }
                let record = || flush(ctx, &chunk);
                if !ctx.outlast_outage("recording restores", record).await? {
                    return Ok(Finish::Interrupted);
                }
            }
            if streak.load(Ordering::Relaxed) >= UNAVAILABLE_LIMIT {
                break;
            }
        }
        if ctx.should_stop() || streak.load(Ordering::Relaxed) >= UNAVAILABLE_LIMIT {
            break;
        }
        let left = pending(pool, purge_run_id).await?;
        if left == 0 || left >= left_before {
            break;
        }
        left_before = left;
    }
    let left = pending(pool, purge_run_id).await?;
    let finish = match ctx.signal() {
        Signal::Shutdown | Signal::Lost => return Ok(Finish::Interrupted),
        Signal::Cancel => {
            let mut tx = pool.begin().await?;
            let undone = sqlx::query!(
                "update purge_contact set restore_state = null where purge_run_id = $1 and restore_state = 'pending'",
                purge_run_id
            )
            .execute(&mut *tx)
            .await?
            .rows_affected() as i64;
            if !store::commit_progress(tx, ctx.job.job_id, &ctx.worker, (0, 0, undone)).await? {
        return Ok(Finish::Interrupted);
    }
            Finish::Cancelled(format!("Cancelled by a user; {undone} contacts were not restored."))
        }
        Signal::Go if left > 0 => {
            return Ok(Finish::Paused(format!(
                "Paused: POM failed ({last_problem}); {left} contacts are still to restore. Resume when POM is back."
            )))
        }
        Signal::Go => {
            let counts = store::load(pool, ctx.job.job_id).await?;
            Finish::Completed(counts.map_or_else(
                || "Restore finished.".to_string(),
                |j| format!("{} restored, {} already in the list again, {} failed.", j.done, j.skipped, j.failed),
            ))
        }
    };
    let job = store::load(pool, ctx.job.job_id).await?;
    let counts = job.map(|j| json!({ "restored": j.done, "already_in_list": j.skipped, "failed": j.failed, "not_restored": left }));
    let actor = Actor {
        user_id: None,
        username: Some(ctx.job.created_by_name.clone()),
        role: None,
        organization: Some(run.organization.clone()),
    };
    let outcome = if matches!(finish, Finish::Completed(_)) {
        Outcome::Success
    } else {
        Outcome::Failure
    };
    let mut event = AuditEvent::new(AuditAction::PurgeRestoreCompleted, outcome)
        .with_organization(run.organization)
        .with_target(format!(
            "{} ({})",
            run.contact_list_name, run.contact_list_id
        ))
        .with_parameters(json!({ "purge_run_id": purge_run_id, "job_id": ctx.job.job_id }));
    if let Some(counts) = counts {
        event = event.with_counts(counts);
    }
    audit::record(pool, &actor, &RequestMeta::background("restore"), event).await?;
    Ok(finish)
}
