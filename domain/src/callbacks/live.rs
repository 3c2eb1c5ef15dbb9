//! The live callback dashboard's counts and revision (`/callbacks/events`), worked out once per
//! organization per second however many pages follow them: a page reads its rows again when
//! the revision changes, so new, dialled, completed and expired callbacks, and callbacks whose
//! due time passes, show without a reload.

use std::sync::Arc;
use std::time::Duration;

use time::OffsetDateTime;

use super::{counts::counts_now, Standing};
use crate::error::AppError;
use crate::model::CallbackCounts;
use crate::shared_figures::SharedFigures;
use crate::state::AppState;

/// How long one organization's counts are reused.
pub const EVERY: Duration = Duration::from_secs(1);
/// The key of every organization's callbacks together (an admin's view): blank, which no
/// organization's name may be.
pub const EVERY_ORGANIZATION: &str = "";

/// The counts per organization, shared by every follower.
#[derive(Clone)]
pub struct CallbackWatch(Arc<SharedFigures<CallbackCounts>>);

impl Default for CallbackWatch {
    fn default() -> Self {
        CallbackWatch(Arc::new(SharedFigures::new(
            EVERY,
            Duration::from_secs(10),
            "The callbacks took too long to count; they are counted again in a moment.",
        )))
    }
}

impl CallbackWatch {
    /// How many times counts were worked out since start (for tests and benchmarks).
    pub fn computations(&self) -> u64 {
        self.0.computations()
    }
}

/// The counts of `organization` (none: every organization, for admins), at most [`EVERY`] old.
/// Callers check the organization first.
pub async fn current(
    state: &AppState,
    organization: Option<&str>,
) -> Result<Arc<CallbackCounts>, AppError> {
    let key = organization.unwrap_or(EVERY_ORGANIZATION);
    state
        .callbacks
        .0
        .get(key, || async move {
            let standing = Standing {
                organization: organization.map(str::to_string),
                zone: state.settings.call_data.time_zone.clone(),
                now: OffsetDateTime::now_utc(),
            };
            counts_now(state, &standing).await
        })
        .await
}
