//! The retry job: tries the marked failed deletes of a purge run again with the purge's own rule
//! (`delete::delete_one`), concurrency and rate limit. Each outcome is stored with both the retry
//! job's counters and the purge job's (deleted up, failed down, which is what the run's figures
//! show) in one transaction; a contact POM no longer has counts as gone. Its end (`retry_end`)
//! measures the list again and is audited.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use futures::{stream, StreamExt};
use serde_json::Value;
use sqlx::PgPool;

use super::delete::{delete_counting, goes_on, unavailable_in, Deleted, Recorded};
use super::retry_end::{cancelled, completed, failed_deletes};
use crate::jobs::runner::{Finish, JobContext, Signal};
use crate::jobs::store;
use crate::pom_gate::Gate;

/// Marked contacts fetched per round.
const ROUND: i64 = 1000;
/// POM failures in a row that pause the job.
const UNAVAILABLE_LIMIT: usize = 20;

/// The run a retry job works on.
pub(super) struct Run {
    pub purge_run_id: i64,
    pub list_id: i64,
    pub list_name: String,
    pub organization: String,
    /// The purge's own job, whose counters are the run's deleted and failed figures.
    pub purge_job_id: i64,
}

async fn run_of(pool: &PgPool, purge_run_id: i64) -> Result<Run, sqlx::Error> {
    let row = sqlx::query!(
        "select contact_list_id, contact_list_name, organization, job_id from purge_run where purge_run_id = $1",
        purge_run_id
    )
    .fetch_one(pool)
    .await?;
    Ok(Run {
        purge_run_id,
        list_id: row.contact_list_id,
        list_name: row.contact_list_name,
        organization: row.organization,
        purge_job_id: row.job_id,
    })
}

/// Marked contacts not tried yet (or not answered for by POM).
async fn left(pool: &PgPool, purge_run_id: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(
        r#"select count(*) as "n!" from purge_contact where purge_run_id = $1 and retry_pending"#,
        purge_run_id
    )
    .fetch_one(pool)
    .await
}

/// Records a chunk of outcomes with both jobs' counters in one transaction, counting only rows
/// this worker changed; `false` when the worker no longer holds the job (nothing is written).
async fn flush(
    ctx: &JobContext,
    run: &Run,
    outcomes: &[(i64, Deleted, i32)],
) -> Result<bool, sqlx::Error> {
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
        r#"update purge_contact p set state = t.state, error = t.error, tries = p.tries + t.tries,
                  retry_pending = false
           from unnest($1::bigint[], $2::text[], $3::text[], $4::int[]) as t(id, state, error, tries)
           where p.purge_contact_id = t.id and p.retry_pending
           returning p.state"#,
        &ids, &states, &errors as &[Option<String>], &tries,
    )
    .fetch_all(&mut *tx)
    .await?;
    let failed = changed.iter().filter(|s| *s == "failed").count() as i64;
    let gone = changed.len() as i64 - failed;
    if gone > 0 {
        sqlx::query!(
            "update job set done = done + $2, failed = failed - $2 where job_id = $1",
            run.purge_job_id,
            gone
        )
        .execute(&mut *tx)
        .await?;
        store::announce(&mut *tx, run.purge_job_id).await?;
    }
    store::commit_progress(tx, ctx.job.job_id, &ctx.worker, (gone, failed, 0)).await
}

/// Runs (or goes on with) a retry job.
pub async fn run(ctx: &JobContext) -> Result<Finish, sqlx::Error> {
    let pool = &ctx.state.pool;
    let purge_run_id = ctx
        .job
        .payload
        .get("purge_run_id")
        .and_then(Value::as_i64)
        .unwrap_or(0);
    let run = run_of(pool, purge_run_id).await?;
    let Some(client) = ctx.state.pom.as_ref() else {
        return match ctx.signal() {
            Signal::Cancel => cancelled(ctx, &run).await,
            Signal::Shutdown | Signal::Lost => Ok(Finish::Interrupted),
            Signal::Go => Ok(Finish::Paused("No POM is configured for OCM.".into())),
        };
    };
    let settings = &ctx.state.settings.purge;
    let gate = &Gate::new(settings.concurrency);
    let streak = Arc::new(AtomicUsize::new(0));
    let goes_on = goes_on(ctx, &streak, UNAVAILABLE_LIMIT);
    let go: &(dyn Fn() -> bool + Sync) = &goes_on;
    let mut last_problem = String::new();
    let mut after = 0i64;
    while !ctx.should_stop() && streak.load(Ordering::Relaxed) < UNAVAILABLE_LIMIT {
        let rows = sqlx::query!(
            "select purge_contact_id, user_contact_id from purge_contact
             where purge_run_id = $1 and retry_pending and purge_contact_id > $2
             order by purge_contact_id limit $3",
            purge_run_id,
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
            .map(|row| {
                let (pace, streak) = (pace.clone(), streak.clone());
                async move {
                    pace.lock().await.tick().await;
                    let tries = settings.in_progress_tries;
                    let (outcome, calls) = delete_counting(
                        client,
                        (gate, go),
                        run.list_id,
                        &row.user_contact_id,
                        tries,
                        &streak,
                    )
                    .await;
                    (row.purge_contact_id, outcome, calls)
                }
            })
            .buffer_unordered(settings.concurrency.max(1))
            .ready_chunks(256));
        while let Some(chunk) = outcomes.next().await {
            if let Some(message) = unavailable_in(&chunk) {
                last_problem = message.to_string();
            }
            let record = || flush(ctx, &run, &chunk);
            if !ctx
                .outlast_outage("recording retried deletes", record)
                .await?
            {
                return Ok(Finish::Interrupted);
            }
        }
    }
    match ctx.signal() {
        Signal::Shutdown | Signal::Lost => Ok(Finish::Interrupted),
        Signal::Cancel => cancelled(ctx, &run).await,
        Signal::Go => match left(pool, purge_run_id).await? {
            0 => completed(ctx, &run).await,
            left => Ok(Finish::Paused(format!(
                "Paused: POM did not answer ({last_problem}); {} still to retry. Resume when POM is back.",
                failed_deletes(left)
            ))),
        },
    }
}
