//! The table of job handlers the runner is started with: kind → the code that runs a claim of a
//! job of that kind. The runner only looks kinds up here, so it knows no domain; the server and
//! the tests register their handlers where they start it.

use std::collections::HashMap;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;

use futures::future::BoxFuture;
use futures::FutureExt;

use super::runner::{Finish, JobContext};
use crate::model::JobKind;

/// How a handler's claim ended; an `Err` pauses the job (an error inside OCM, resumable), unless
/// it says the database is unavailable: the job is then handed back to go on when it is back.
pub type HandlerResult = Result<Finish, sqlx::Error>;

/// Runs one claim of a job; it reads its signal between items and reports progress through
/// `jobs::store`.
type Handler = Arc<dyn for<'a> Fn(&'a JobContext) -> BoxFuture<'a, HandlerResult> + Send + Sync>;

/// Handlers by kind. Cheap to clone (a few shared handlers): each claim takes a copy.
#[derive(Clone, Default)]
pub struct JobHandlers {
    table: HashMap<JobKind, Handler>,
}

impl JobHandlers {
    /// Adds the handler for `kind`; a later one for the same kind replaces it (so a test can
    /// swap one of OCM's handlers for a fake).
    pub fn with<F>(mut self, kind: JobKind, handler: F) -> Self
    where
        F: for<'a> Fn(&'a JobContext) -> BoxFuture<'a, HandlerResult> + Send + Sync + 'static,
    {
        self.table.insert(kind, Arc::new(handler));
        self
    }

    /// Whether a handler is registered for `kind`.
    pub fn handles(&self, kind: JobKind) -> bool {
        self.table.contains_key(&kind)
    }

    /// The stored names of the kinds registered: the runner claims only these, so a job of a kind
    /// this instance cannot run waits for one that can (a newer version) instead of failing.
    pub fn kinds(&self) -> Vec<String> {
        self.table.keys().map(|k| k.as_str().to_string()).collect()
    }

    /// Runs the handler for the job's kind. A handler that panics fails the job (a bug: running
    /// it again would only panic again) instead of leaving it to be claimed over and over.
    pub async fn run(&self, ctx: &JobContext) -> HandlerResult {
        // Jobs are claimed only for kinds in `kinds()`, so every claimed job has a handler; were
        // one ever without, handing it back keeps it for an instance that has one.
        let Some(handler) = ctx.job.known_kind().and_then(|k| self.table.get(&k)) else {
            return Ok(Finish::Interrupted);
        };
        match AssertUnwindSafe(handler(ctx)).catch_unwind().await {
            Ok(result) => result,
            Err(panic) => {
                let reference = uuid::Uuid::new_v4().simple().to_string()[..8].to_string();
                let what = panic
                    .downcast_ref::<&str>()
                    .copied()
                    .or_else(|| panic.downcast_ref::<String>().map(String::as_str))
                    .unwrap_or("a panic without a message");
                tracing::error!(
                    reference = %reference,
                    job_id = ctx.job.job_id,
                    kind = ctx.job.kind_name(),
                    panic = what,
                    "job handler panicked"
                );
                Ok(Finish::Failed(format!(
                    "Stopped by an error inside OCM. The details are logged (reference {reference})."
                )))
            }
        }
    }
}
