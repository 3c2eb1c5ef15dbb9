//! The job runner with fake handlers: it runs a job with the handler registered for its kind and
//! records the handler's outcome and progress, relays a cancel request to the handler, leaves a
//! job whose kind has no handler here (also one this build does not know) queued for an instance
//! that has one, and fails a job whose handler panics instead of claiming it again.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use domain::jobs::handlers::JobHandlers;
use domain::jobs::runner::{self, Finish, Signal};
use domain::jobs::store::{self, NewJob};
use domain::jobs::JobRow;
use futures::FutureExt;
use serde_json::json;
use sqlx::PgPool;
use tokio_util::sync::CancellationToken;
use types::model::{JobKind, JobState};

use super::helpers::{spawn_app, TestApp};

async fn queue(app: &TestApp, kind: JobKind) -> i64 {
    store::enqueue(
        &app.pool,
        NewJob {
            kind,
            organization: "Sales",
            created_by: None,
            created_by_name: "runner test",
            payload: json!({}),
            total: 10,
        },
    )
    .await
    .unwrap()
}

/// The job once it is in one of `states` (fails the test after ten seconds).
async fn until(pool: &PgPool, job_id: i64, states: &[JobState]) -> JobRow {
    for _ in 0..200 {
        let job = store::load(pool, job_id).await.unwrap().unwrap();
        if states.contains(&job.state) {
            return job;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("job {job_id} never reached {states:?}");
}

/// Starts the runner with `handlers` until the returned token is dropped.
fn run(app: &TestApp, handlers: JobHandlers) -> tokio_util::sync::DropGuard {
    let stop = CancellationToken::new();
    runner::spawn(app.state.clone(), handlers, stop.clone());
    stop.drop_guard()
}

#[sqlx::test]
async fn a_job_runs_with_its_kinds_handler_and_ends_as_it_says(pool: PgPool) {
    let app = spawn_app(pool).await;
    let job_id = queue(&app, JobKind::DncSend).await;
    let calls = Arc::new(Mutex::new(Vec::new()));
    let seen = calls.clone();
    let handlers = JobHandlers::default().with(JobKind::DncSend, move |ctx| {
        let seen = seen.clone();
        async move {
            seen.lock().unwrap().push(ctx.job.job_id);
            store::add_progress(&ctx.state.pool, ctx.job.job_id, &ctx.worker, 7, 2, 1).await?;
            Ok(Finish::Completed("The fake sent everything.".into()))
        }
        .boxed()
    });
    let _runner = run(&app, handlers);

    let job = until(&app.pool, job_id, &[JobState::Completed, JobState::Failed]).await;
    assert_eq!(*calls.lock().unwrap(), vec![job_id]);
    assert_eq!(job.state, JobState::Completed);
    assert_eq!(job.message.as_deref(), Some("The fake sent everything."));
    assert_eq!((job.done, job.failed, job.skipped), (7, 2, 1));
    let view = job.view();
    assert_eq!(view.kind, Some(JobKind::DncSend));
    assert!(view.finished_at.is_some());
}

#[sqlx::test]
async fn a_cancel_request_reaches_the_handler(pool: PgPool) {
    let app = spawn_app(pool).await;
    let job_id = queue(&app, JobKind::Purge).await;
    let handlers = JobHandlers::default().with(JobKind::Purge, |ctx| {
        async move {
            while !ctx.should_stop() {
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            Ok(match ctx.signal() {
                Signal::Cancel => Finish::Cancelled("The fake stopped on cancel.".into()),
                _ => Finish::Interrupted,
            })
        }
        .boxed()
    });
    let _runner = run(&app, handlers);

    until(&app.pool, job_id, &[JobState::Running]).await;
    store::set_state(
        &app.pool,
        job_id,
        &[JobState::Running],
        JobState::CancelRequested,
    )
    .await
    .unwrap();
    let job = until(&app.pool, job_id, &[JobState::Cancelled]).await;
    assert_eq!(job.message.as_deref(), Some("The fake stopped on cancel."));
}

/// The job's state, how often it was claimed and whether a worker holds it.
async fn claims(pool: &PgPool, job_id: i64) -> (String, i32, Option<String>) {
    sqlx::query_as("select state, claims, worker from job where job_id = $1")
        .bind(job_id)
        .fetch_one(pool)
        .await
        .unwrap()
}

#[sqlx::test]
async fn a_kind_without_a_handler_here_stays_queued_and_untouched(pool: PgPool) {
    let app = spawn_app(pool).await;
    let unhandled = queue(&app, JobKind::Restore).await;
    // A kind written by another version of OCM: the table's check would refuse it here.
    sqlx::query("alter table job drop constraint job_kind_check")
        .execute(&app.pool)
        .await
        .unwrap();
    let (unknown,): (i64,) = sqlx::query_as(
        "insert into job (kind, organization, created_by_name) values ('fax_send', 'Sales', 'x')
         returning job_id",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    // Queued last: jobs are claimed oldest first, so once this one ends the others were passed over.
    let handled = queue(&app, JobKind::DncSend).await;
    let handlers = JobHandlers::default().with(JobKind::DncSend, |_| {
        async { Ok(Finish::Completed("sent".into())) }.boxed()
    });
    let _runner = run(&app, handlers);

    until(&app.pool, handled, &[JobState::Completed]).await;
    for job_id in [unhandled, unknown] {
        assert_eq!(claims(&app.pool, job_id).await, ("queued".into(), 0, None));
        assert_eq!(
            store::load(&app.pool, job_id)
                .await
                .unwrap()
                .unwrap()
                .message,
            None
        );
    }
}

#[sqlx::test]
async fn a_handler_that_panics_fails_its_job_once(pool: PgPool) {
    let app = spawn_app(pool).await;
    let panicking = queue(&app, JobKind::DncSend).await;
    let after = queue(&app, JobKind::Purge).await;
    let calls = Arc::new(AtomicUsize::new(0));
    let counted = calls.clone();
    let handlers = JobHandlers::default()
        .with(JobKind::DncSend, move |_| {
            counted.fetch_add(1, Ordering::SeqCst);
            async { panic!("the fake handler breaks") }.boxed()
        })
        .with(JobKind::Purge, |_| {
            async { Ok(Finish::Completed("done".into())) }.boxed()
        });
    let _runner = run(&app, handlers);

    let job = until(&app.pool, panicking, &[JobState::Failed]).await;
    let message = job.message.unwrap();
    assert!(
        message.starts_with("Stopped by an error inside OCM. The details are logged (reference "),
        "{message}"
    );
    assert!(
        !message.contains("fake handler"),
        "the panic stays in the log"
    );
    until(&app.pool, after, &[JobState::Completed]).await;
    assert_eq!(
        claims(&app.pool, panicking).await,
        ("failed".into(), 1, None)
    );
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}
