//! The purge job: deletes the snapshot's pending contacts from POM with bounded concurrency and a
//! rate limit, records each outcome with the job's counters in one transaction, waiting for the
//! database while it is away (so a restart of OCM or of Postgres neither loses a count nor
//! deletes twice: a contact already gone counts as gone), pauses when POM itself fails, and at
//! the end measures the list again for the after-counts. This module sequences the job; its
//! steps (`delete`, `finish`) never call back into it.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use futures::{stream, StreamExt};

use super::delete::{delete_counting, goes_on, unavailable_in, Deleted, Recorded};
use super::finish::{self, RunRef};
use crate::jobs::runner::{Finish, JobContext, Signal};
use crate::jobs::store;
use crate::model::AuditAction;
use crate::pom_gate::Gate;

/// Pending contacts fetched per round.
const ROUND: i64 = 1000;
/// POM failures in a row that pause the job.
const UNAVAILABLE_LIMIT: usize = 20;
/// Rounds over the contacts POM did not answer for, at most, each while the last one left fewer.
const PASSES: usize = 10;

/// Records a chunk of outcomes and the counters in one transaction, counting only the rows this
/// worker changed; `false` when the worker no longer holds the job (nothing is written).
async fn flush(ctx: &JobContext, outcomes: &[(i64, Deleted, i32)]) -> Result<bool, sqlx::Error> {
    let Recorded {
        ids,
        states,
        errors,
        tries,
    } = Recorded::of(outcomes);
    if ids.is_empty() {
        return Ok(true);
    }
    let mut tx = ctx.state.pool.begin().await?;
    let changed = sqlx::query_scalar!(
        r#"update purge_contact p set state = t.state, error = t.error, tries = p.tries + t.tries
           from unnest($1::bigint[], $2::text[], $3::text[], $4::int[]) as t(id, state, error, tries)
           where p.purge_contact_id = t.id and p.state = 'pending'
           returning p.state"#,
        &ids, &states, &errors as &[Option<String>], &tries,
    )
    .fetch_all(&mut *tx)
    .await?;
    let failed = changed.iter().filter(|s| *s == "failed").count() as i64;
    let done = changed.len() as i64 - failed;
    store::commit_progress(tx, ctx.job.job_id, &ctx.worker, (done, failed, 0)).await
}

/// Runs (or goes on with) a purge job.
pub async fn run(ctx: &JobContext) -> Result<Finish, sqlx::Error> {
    let pool = &ctx.state.pool;
    let run = finish::run_of(pool, ctx.job.job_id).await?;
    let Some(client) = ctx.state.pom.as_ref() else {
        if ctx.should_stop() {
            return stopped(ctx, &run).await;
        }
        return Ok(Finish::Paused("No POM is configured for OCM.".into()));
    };
    let settings = &ctx.state.settings.purge;
    let gate = &Gate::new(settings.concurrency);
    let streak = Arc::new(AtomicUsize::new(0));
    let goes_on = goes_on(ctx, &streak, UNAVAILABLE_LIMIT);
    let go: &(dyn Fn() -> bool + Sync) = &goes_on;
    let mut last_problem = String::new();
    let mut left_before = i64::MAX;
    for _ in 0..PASSES {
        let mut after = 0i64;
        loop {
            if ctx.should_stop() {
                return stopped(ctx, &run).await;
            }
            let rows = sqlx::query!(
                "select purge_contact_id, user_contact_id from purge_contact
                 where purge_run_id = $1 and state = 'pending' and purge_contact_id > $2
                 order by purge_contact_id limit $3",
                run.purge_run_id,
                after,
                ROUND
            )
            .fetch_all(pool)
            .await?;
            let Some(last) = rows.last() else { break };
            after = last.purge_contact_id;
            let mut pace = tokio::time::interval(Duration::from_secs_f64(
                1.0 / f64::from(settings.rate_per_second.max(1)),
            ));
            pace.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            let pace = Arc::new(tokio::sync::Mutex::new(pace));
            let mut outcomes = std::pin::pin!(stream::iter(rows)
                .take_while(|_| {
                    let go = go();
                    async move { go }
                })
                .then(|row| {
                    let pace = pace.clone();
                    async move {
                        pace.lock().await.tick().await;
                        row
                    }
                })
                .map(|row| {
                    let streak = streak.clone();
                    async move {
                        let tries = settings.in_progress_tries;
                        let id = &row.user_contact_id;
                        let (outcome, calls) =
                            delete_counting(client, (gate, go), run.list_id, id, tries, &streak)
                                .await;
                        (row.purge_contact_id, outcome, calls)
                    }
                })
                // The gate decides how many are in flight; this only bounds the waiting.
                .buffer_unordered(settings.concurrency.max(1))
                .ready_chunks(256));
            while let Some(chunk) = outcomes.next().await {
                if let Some(message) = unavailable_in(&chunk) {
                    last_problem = message.to_string();
                }
                let record = || flush(ctx, &chunk);
                if !ctx.outlast_outage("recording deletes", record).await? {
                    return Ok(Finish::Interrupted);
                }
            }
            if ctx.should_stop() {
                return stopped(ctx, &run).await;
            }
            if streak.load(Ordering::Relaxed) >= UNAVAILABLE_LIMIT {
                let left = finish::pending(pool, run.purge_run_id).await?;
                return Ok(Finish::Paused(format!(
                    "Paused: POM failed {UNAVAILABLE_LIMIT} times in a row ({last_problem}). {left} contacts are still to delete; resume when POM is back."
                )));
            }
        }
        let left = finish::pending(pool, run.purge_run_id).await?;
        if left == 0 || left >= left_before {
            break;
        }
        left_before = left;
    }
    if ctx.should_stop() {
        return stopped(ctx, &run).await;
    }
    let left = finish::pending(pool, run.purge_run_id).await?;
    if left > 0 {
        return Ok(Finish::Paused(format!(
            "Paused: POM did not answer for {left} contacts ({last_problem}); resume to try them again."
        )));
    }
    let summary = finish::close(ctx, &run, AuditAction::PurgeCompleted).await?;
    Ok(Finish::Completed(summary))
}

/// Cancel: what was not deleted is marked so (and counted as skipped, so the job adds up);
/// shutdown or a lost claim: leave it for later.
async fn stopped(ctx: &JobContext, run: &RunRef) -> Result<Finish, sqlx::Error> {
    if ctx.signal() != Signal::Cancel {
        return Ok(Finish::Interrupted);
    }
    let mut tx = ctx.state.pool.begin().await?;
    let cancelled = sqlx::query!(
        "update purge_contact set state = 'cancelled' where purge_run_id = $1 and state = 'pending'",
        run.purge_run_id
    )
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if !store::commit_progress(tx, ctx.job.job_id, &ctx.worker, (0, 0, cancelled as i64)).await? {
        return Ok(Finish::Interrupted);
    }
    let summary = finish::close(ctx, run, AuditAction::PurgeCancelled).await?;
    tracing::info!(job_id = ctx.job.job_id, cancelled, "purge cancelled");
    Ok(Finish::Cancelled(format!(
        "Cancelled by a user; {cancelled} contacts were not deleted. {summary}"
    )))
}
