//! The runner: claims jobs of the kinds it has handlers for (up to `JobSettings::parallel` at
//! once), runs each with the handler registered for its kind, keeps their heartbeat, relays cancel requests and shutdown to the
//! handler, and records how each claim ended.

use std::time::Duration;

use tokio::sync::watch;
use tokio::task::{JoinHandle, JoinSet};
use tokio_util::sync::CancellationToken;

use super::handlers::JobHandlers;
use super::{outage, store, JobRow};
use crate::error::database_unavailable;
use crate::model::JobState;
use crate::state::AppState;

/// What a handler is told between items.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signal {
    Go,
    /// The user cancelled: stop, record what was left undone.
    Cancel,
    /// OCM is shutting down: stop, leave the rest for the next claim.
    Shutdown,
    /// Another instance holds the job now: stop without writing anything more.
    Lost,
}

/// How a claim ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Finish {
    Completed(String),
    Cancelled(String),
    /// Stopped by a failure outside OCM (POM down); the user may resume.
    Paused(String),
    Failed(String),
    /// Shutdown or lost claim: nothing to record here.
    Interrupted,
}

/// What a handler works with.
pub struct JobContext {
    pub state: AppState,
    pub job: JobRow,
    pub worker: String,
    signal: watch::Receiver<Signal>,
}

impl JobContext {
    /// The latest signal.
    pub fn signal(&self) -> Signal {
        *self.signal.borrow()
    }

    /// Anything but `Go`.
    pub fn should_stop(&self) -> bool {
        self.signal() != Signal::Go
    }

    /// `write` tried again while the database is unavailable, for as long as this claim may still
    /// write (neither lost nor shutting down): outcomes of items POM has carried out are then
    /// recorded once, not done again by the next claim.
    pub async fn outlast_outage<T, F, Fut>(&self, what: &str, write: F) -> Result<T, sqlx::Error>
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = Result<T, sqlx::Error>>,
    {
        let give_up = || matches!(self.signal(), Signal::Lost | Signal::Shutdown);
        outage::retry_while_unavailable(what, give_up, write).await
    }
}

/// A worker name unique to this process.
pub fn worker_name() -> String {
    let host = std::env::var("HOSTNAME").unwrap_or_else(|_| "ocm".into());
    format!(
        "{host}:{}:{}",
        std::process::id(),
        &uuid::Uuid::new_v4().simple().to_string()[..8]
    )
}

/// Starts the runner with `handlers`; it stops claiming when `stop` is cancelled and hands running
/// jobs back.
pub fn spawn(state: AppState, handlers: JobHandlers, stop: CancellationToken) -> JoinHandle<()> {
    tokio::spawn(async move {
        let worker = worker_name();
        let kinds = handlers.kinds();
        let mut running = JoinSet::new();
        loop {
            while running.len() < state.settings.jobs.parallel.max(1) {
                let stale = state.settings.jobs.stale_after.as_secs_f64();
                // A token per claim: a later claim of the same job, even by this process, is
                // another holder, so a handler that lost its claim can no longer write.
                let holder = format!(
                    "{worker}/{}",
                    &uuid::Uuid::new_v4().simple().to_string()[..8]
                );
                match store::claim(&state.pool, &holder, stale, &kinds).await {
                    Ok(Some(job)) => {
                        tracing::info!(job_id = job.job_id, kind = job.kind_name(), "job claimed");
                        running.spawn(run_claimed(
                            state.clone(),
                            handlers.clone(),
                            job,
                            holder,
                            stop.clone(),
                        ));
                    }
                    Ok(None) => break,
                    Err(error) => {
                        tracing::warn!(error = %error, "claiming a job failed");
                        break;
                    }
                }
            }
            tokio::select! {
                () = stop.cancelled() => break,
                () = state.jobs.wake.notified() => {}
                Some(_) = running.join_next() => {}
                () = tokio::time::sleep(poll_every(&state)) => {}
            }
        }
        while running.join_next().await.is_some() {}
    })
}

fn poll_every(state: &AppState) -> Duration {
    (state.settings.jobs.stale_after / 3).clamp(Duration::from_millis(200), Duration::from_secs(5))
}

async fn run_claimed(
    state: AppState,
    handlers: JobHandlers,
    job: JobRow,
    worker: String,
    stop: CancellationToken,
) {
    let first = if job.state == JobState::CancelRequested {
        Signal::Cancel
    } else {
        Signal::Go
    };
    let (sender, receiver) = watch::channel(first);
    let job_id = job.job_id;
    let _beat = AbortOnDrop(tokio::spawn(keep_alive(
        state.clone(),
        job_id,
        worker.clone(),
        sender,
        stop.clone(),
    )));
    let ctx = JobContext {
        state: state.clone(),
        job,
        worker: worker.clone(),
        signal: receiver,
    };
    let finish = handlers.run(&ctx).await;
    let (state_after, message) = match finish {
        Ok(Finish::Completed(m)) => (JobState::Completed, Some(m)),
        Ok(Finish::Cancelled(m)) => (JobState::Cancelled, Some(m)),
        Ok(Finish::Paused(m)) => (JobState::Paused, Some(m)),
        Ok(Finish::Failed(m)) => (JobState::Failed, Some(m)),
        Ok(Finish::Interrupted) if ctx.signal() == Signal::Lost => return,
        Ok(Finish::Interrupted) => (JobState::Queued, None),
        // Not a fault of the job's: it goes on by itself once the database is back, as after
        // a restart, rather than waiting paused for someone to resume it.
        Err(error) if database_unavailable(&error) => {
            tracing::warn!(job_id, error = %error, "the database went away under the job; handing it back");
            (JobState::Queued, None)
        }
        Err(error) => {
            let reference = crate::error::internal(&error);
            (
                JobState::Paused,
                Some(format!(
                    "Stopped by an error inside OCM ({reference}); resume to go on."
                )),
            )
        }
    };
    // Released as soon as the database answers (a shutdown meanwhile leaves the job to be taken
    // over once its heartbeat is stale).
    let released = outage::retry_while_unavailable(
        "releasing a job",
        || stop.is_cancelled(),
        || {
            store::release(
                &state.pool,
                job_id,
                &worker,
                state_after,
                message.as_deref(),
            )
        },
    )
    .await;
    match released {
        Ok(true) => tracing::info!(job_id, state = state_after.as_str(), "job released"),
        Ok(false) => tracing::warn!(job_id, "job was taken over before it could be released"),
        Err(error) => {
            tracing::warn!(job_id, error = %error, "releasing a job failed; it will be taken over")
        }
    }
}

/// Stops the heartbeat however the handler ends (even by a panic).
struct AbortOnDrop(JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Sends heartbeats until the handler returns (also while it winds down after a shutdown), and
/// turns cancel requests, shutdown and lost claims into signals. Without a successful heartbeat
/// for the stale time another instance may hold the job, so the handler is told it lost it.
async fn keep_alive(
    state: AppState,
    job_id: i64,
    worker: String,
    signal: watch::Sender<Signal>,
    stop: CancellationToken,
) {
    let mut ticker = tokio::time::interval(state.settings.jobs.heartbeat_every);
    let mut last_beat = tokio::time::Instant::now();
    let mut shutdown_seen = false;
    loop {
        tokio::select! {
            () = stop.cancelled(), if !shutdown_seen => {
                shutdown_seen = true;
                signal.send_if_modified(|s| upgrade(s, Signal::Shutdown));
                continue;
            }
            _ = ticker.tick() => {}
        }
        let beat = store::heartbeat(&state.pool, job_id, &worker).await;
        // Only a heartbeat the database took counts: failed ones must not hold the claim alive
        // here while it lapses there and another worker takes the job over.
        if let Ok(Some(_)) = beat {
            last_beat = tokio::time::Instant::now();
        }
        let next = match beat {
            Ok(Some(JobState::CancelRequested)) => Signal::Cancel,
            Ok(Some(_)) => Signal::Go,
            Ok(None) => Signal::Lost,
            Err(error) if last_beat.elapsed() >= state.settings.jobs.stale_after => {
                tracing::warn!(job_id, error = %error, "no heartbeat for the stale time; giving the job up");
                Signal::Lost
            }
            Err(error) => {
                tracing::warn!(job_id, error = %error, "heartbeat failed");
                Signal::Go
            }
        };
        signal.send_if_modified(|s| upgrade(s, next));
    }
}

/// Signals only get stronger: Go < Shutdown < Cancel < Lost. A cancel outranks a shutdown so the
/// user's decision is recorded even while OCM stops.
fn upgrade(current: &mut Signal, next: Signal) -> bool {
    let rank = |s: Signal| match s {
        Signal::Go => 0,
        Signal::Shutdown => 1,
        Signal::Cancel => 2,
        Signal::Lost => 3,
    };
    if rank(next) > rank(*current) {
        *current = next;
        true
    } else {
        false
    }
}
