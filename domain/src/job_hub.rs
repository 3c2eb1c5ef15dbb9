//! The in-process side of the job runner that `AppState` carries: the runner's wake-up and the
//! progress broadcast browsers' event streams read. Below `state`, apart from the runner's logic.

use std::sync::Arc;

use tokio::sync::{broadcast, Notify};
use tokio_util::sync::CancellationToken;

use crate::model::JobView;

/// Wakes the local runner when a job is queued, and fans job progress out to browsers.
#[derive(Clone)]
pub struct JobHub {
    pub wake: Arc<Notify>,
    pub events: broadcast::Sender<JobView>,
    /// Cancelled at shutdown so open event streams end and the server can drain.
    pub closing: CancellationToken,
}

impl Default for JobHub {
    fn default() -> Self {
        JobHub {
            wake: Arc::new(Notify::new()),
            events: broadcast::channel(1024).0,
            closing: CancellationToken::new(),
        }
    }
}
