//! DNC requests and record cancels from other systems with a receipt (issue 20, seed 002
//! `CM_ReqDoNotCall`, `CM_ReqCancelRecord`): a request is accepted at once (`accept`,
//! `cancel`: registered, audited, nothing sent yet), then a worker looks its contacts up in the
//! contact lists (`expand`, `records`: a customer id, or a phone), sends the items of many
//! requests to POM in one call per DNC list or contact list (`send`), reads them back
//! (`verify`), and the receipt's state follows its items (`settle`). `receipt` reads a receipt for its client.
//! Everything is in Postgres, so a restart loses nothing: a batch held by an instance that died
//! is sent again once its claim runs out.

mod accept;
mod cancel;
mod expand;
mod receipt;
mod records;
mod send;
mod settle;
mod verify;
pub mod worker;

pub use accept::{accept, DncRequestInput};
pub use cancel::{accept_cancel, CancelInput};
pub use receipt::{receipt, Receipt, ReceiptItem, RequestKind};

use serde::{Deserialize, Serialize};

/// Which of a customer's records: every record in the organization's contact lists (Genesys'
/// `all_chain`), or only those in the named campaign's lists (`record_only`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DncScope {
    #[default]
    AllChain,
    RecordOnly,
}

impl DncScope {
    pub fn as_str(self) -> &'static str {
        match self {
            DncScope::AllChain => "all_chain",
            DncScope::RecordOnly => "record_only",
        }
    }
}

/// Items sent to POM in one call (POM's own bulk endpoints take lists this long comfortably).
pub const BATCH: i64 = 1000;

/// How long an instance holds a batch it sends before another may take it: one POM timeout plus
/// the time after which work without a heartbeat is presumed dead. The sender renews the claim a
/// third of that apart while its send is under way, so a slow POM never costs it the batch, and a
/// killed instance's batch is sent again 45 s later by default.
pub fn claim_seconds(state: &crate::state::AppState) -> f64 {
    let timeout = state
        .pom
        .as_ref()
        .map_or(std::time::Duration::from_secs(15), |pom| {
            pom.config().timeout
        });
    (timeout + state.settings.jobs.stale_after).as_secs_f64()
}

/// Attempts before a transient POM failure becomes the item's outcome.
pub const ATTEMPTS: i32 = 8;
