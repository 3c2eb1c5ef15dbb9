//! OCM's job handlers, one per kind: the one list the server and the tests start the runner with,
//! so both run the same set.

use futures::FutureExt;

use crate::jobs::handlers::JobHandlers;
use crate::model::JobKind;
use crate::{dnc, erasure, export_schedules, purge, uploads};

/// Every kind OCM queues, with the code that runs it.
pub fn all() -> JobHandlers {
    JobHandlers::default()
        .with(JobKind::Purge, |ctx| purge::execute::run(ctx).boxed())
        .with(JobKind::Restore, |ctx| purge::restore_job::run(ctx).boxed())
        .with(JobKind::PurgeRetry, |ctx| {
            purge::retry_job::run(ctx).boxed()
        })
        .with(JobKind::DncSend, |ctx| dnc::send_job::run(ctx).boxed())
        .with(JobKind::ContactUpload, |ctx| {
            uploads::send_job::run(ctx).boxed()
        })
        .with(JobKind::Erasure, |ctx| erasure::job::run(ctx).boxed())
        .with(JobKind::ExportRun, |ctx| {
            export_schedules::run_job::run(ctx).boxed()
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_a_handler() {
        let handlers = all();
        for kind in JobKind::ALL {
            assert!(handlers.handles(kind), "no handler for {}", kind.as_str());
        }
    }
}
