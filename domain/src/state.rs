//! `AppState`, shared by axum handlers and server functions: the pool, the settings and the
//! long-lived handles. It sits at the bottom of the domain: it holds services' handles (their
//! types) and never calls their logic.

use std::sync::Arc;
use std::time::Instant;

use pom::client::PomClient;
use sqlx::PgPool;
use tokio::sync::Mutex;

use crate::campaigns::monitor::CampaignMonitor;
use crate::error::AppError;
use crate::job_hub::JobHub;
use crate::model::ComponentStatus;
use crate::pom_client;
use crate::preflights::Preflights;
use crate::settings::Settings;

/// The last POM reachability probe and when it ran.
pub type ProbeCache = Arc<Mutex<Option<(Instant, ComponentStatus)>>>;

/// Everything a request handler needs, behind one reference count: every request clones it
/// (often several times), and one atomic increment is cheaper than one per handle (the API
/// benchmark spent 8 % of its time cloning and dropping the handles one by one).
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

impl AppState {
    pub fn new(shared: Shared) -> Self {
        AppState(Arc::new(shared))
    }

    /// The same state over another pool (a benchmark's connection with settings of its own).
    pub fn with_pool(&self, pool: PgPool) -> Self {
        AppState::new(Shared {
            pool,
            ..(*self.0).clone()
        })
    }
}

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// What [`AppState`] shares.
#[derive(Clone)]
pub struct Shared {
    pub pool: PgPool,
    pub settings: Arc<Settings>,
    /// Shared HTTP client for outbound checks.
    pub http: reqwest::Client,
    /// The last POM reachability probe, reused for a few seconds.
    pub pom_probe: ProbeCache,
    /// The one POM client (none when no POM is configured and no simulator runs).
    pub pom: Option<PomClient>,
    /// Job wake-ups and progress broadcasts.
    pub jobs: JobHub,
    /// The shared campaign-job poller and its per-organization boards.
    pub campaigns: CampaignMonitor,
    /// The SFTP drop POM's data sources read (none when not configured).
    pub sftp: Option<pom::sftp::SftpConfig>,
    /// Slots for reading uploaded files (`OCM_PREFLIGHT_PARALLEL`), cancelled at shutdown.
    pub preflights: Preflights,
    /// The automation API's memory: checked tokens, read records waiting to be written.
    pub api: crate::api::runtime::ApiRuntime,
    /// The floor dashboard's figures, once per organization per interval.
    pub floor: crate::floor::FloorCache,
    /// The live callback dashboard's counts, once per organization per interval.
    pub callbacks: crate::callbacks::live::CallbackWatch,
}

impl Shared {
    /// The POM client, or a plain message when OCM has none.
    pub fn pom(&self) -> Result<&PomClient, AppError> {
        pom_client::required(self.pom.as_ref())
    }
}
