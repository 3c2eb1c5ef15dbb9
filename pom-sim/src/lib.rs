//! The POM simulator: REST under `/VP_POM_Service/v1`…`v4`, SOAP under `/axis2/services/…`, and a
//! control API under `/__sim/` (never under POM's paths) for tests and benchmarks. Faithful to
//! seed 004 and reference/pom-rest-api.md; where real POM is unknown, behaviour is a setting.
//! State is in memory; `--demo` loads deterministic demo data.

// Handlers short-circuit with a finished `Response` as their error (axum's idiom); boxing it
// would only add an allocation per request.
#![allow(clippy::result_large_err)]

mod clock;
mod control;
mod control_dialing;
pub mod demo;
pub mod dialer;
pub mod faults;
pub mod feed;
pub mod guard;
mod import_rows;
pub mod imports;
mod job_lists;
mod job_rules;
mod list_rules;
pub mod load;
mod rest;
mod rest_campaigns;
mod rest_lists;
pub mod rules;
pub mod sftp;
mod soap;
mod tls;
pub mod world;

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Router;
use base64::Engine;

use self::clock::SimClock;
use self::faults::FaultRule;
use self::rules::Caller;
pub use self::tls::spawn_tls;
use self::world::{SimUser, World};

/// Settings for what real POM leaves unknown (docs/pom.md).
#[derive(Debug, Clone)]
pub struct SimSettings {
    /// `pageNumber` of the first page (0 or 1).
    pub first_page: u32,
    /// Refuse REST calls without `X-Requested-With: rest` (403).
    pub strict_headers: bool,
    /// Seed for demo data.
    pub seed: u64,
    /// Load demo data at start and on reset.
    pub demo: bool,
    /// With `demo`: every demo campaign started this many hours ago and dialled up to now
    /// (0: none started; at most [`demo::history::MAX_HOURS`]).
    pub demo_history_hours: u32,
    /// Users given on the command line (added to demo users).
    pub users: BTreeMap<String, SimUser>,
    /// The SFTP drop: each SFTP user's folder is `<drop_dir>/<user>`, and a data source's file
    /// path is relative to `drop_dir`. `None`: a fresh folder under the system temp dir.
    pub drop_dir: Option<PathBuf>,
    /// The token control API writes must carry (`X-Sim-Token`); `None`: a random one
    /// ([`Sim::control_token`]).
    pub control_token: Option<String>,
    /// Host names besides loopback's that control requests may name.
    pub allowed_hosts: Vec<String>,
}

impl Default for SimSettings {
    fn default() -> Self {
        SimSettings {
            first_page: 1,
            strict_headers: false,
            seed: 1,
            demo: false,
            demo_history_hours: 0,
            users: BTreeMap::new(),
            drop_dir: None,
            control_token: None,
            allowed_hosts: Vec::new(),
        }
    }
}

/// The running simulator's shared state.
pub struct Sim {
    pub(crate) world: Mutex<World>,
    pub(crate) clock: Mutex<SimClock>,
    pub(crate) faults: Mutex<Vec<FaultRule>>,
    pub(crate) counters: Mutex<BTreeMap<String, u64>>,
    pub(crate) load: load::Load,
    pub(crate) settings: Mutex<SimSettings>,
    drop_dir: PathBuf,
    pub(crate) control_token: String,
    pub(crate) allowed_hosts: Vec<String>,
}

/// A fresh, empty folder for a simulator without a configured drop.
/// Created here with a random name and mode 0700, never reused: it holds the host key.
fn fresh_drop_dir() -> PathBuf {
    use rand::Rng;
    use std::os::unix::fs::DirBuilderExt;
    loop {
        let name = format!("pom-sim-drop-{:016x}", rand::thread_rng().gen::<u64>());
        let path = std::env::temp_dir().join(name);
        match std::fs::DirBuilder::new().mode(0o700).create(&path) {
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            _ => return path,
        }
    }
}

/// Unix milliseconds of the real clock.
pub(crate) fn real_now_ms() -> i64 {
    (time::OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000) as i64
}

impl Sim {
    /// A simulator with the given settings (demo data loaded when `settings.demo`).
    pub fn new(settings: SimSettings) -> Arc<Self> {
        let world = Self::initial_world(&settings, real_now_ms());
        let drop_dir = settings.drop_dir.clone().unwrap_or_else(fresh_drop_dir);
        if let Err(error) = std::fs::create_dir_all(&drop_dir) {
            tracing::warn!(path = %drop_dir.display(), %error, "cannot create the SFTP drop folder");
        }
        let control_token = settings
            .control_token
            .clone()
            .unwrap_or_else(guard::new_token);
        Arc::new(Sim {
            drop_dir,
            control_token,
            allowed_hosts: settings.allowed_hosts.clone(),
            world: Mutex::new(world),
            clock: Mutex::new(SimClock::starting_at(real_now_ms())),
            faults: Mutex::new(Vec::new()),
            counters: Mutex::new(BTreeMap::new()),
            load: load::Load::default(),
            settings: Mutex::new(settings),
        })
    }

    pub(crate) fn initial_world(settings: &SimSettings, now_ms: i64) -> World {
        let mut world = if settings.demo && settings.demo_history_hours > 0 {
            demo::history::world_with_history(settings.seed, now_ms, settings.demo_history_hours)
        } else if settings.demo {
            demo::world(settings.seed, now_ms)
        } else {
            demo::empty_world()
        };
        world.users.extend(settings.users.clone());
        world.dialer.config.seed = settings.seed;
        world
    }

    /// The SFTP drop folder (data-source paths are relative to it).
    /// The token control API writes must carry in `X-Sim-Token`.
    pub fn control_token(&self) -> &str {
        &self.control_token
    }

    pub fn drop_dir(&self) -> &Path {
        &self.drop_dir
    }

    /// Simulated Unix milliseconds now.
    pub fn now_ms(&self) -> i64 {
        self.clock
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .now_ms()
    }

    /// Runs `f` on the world after moving time-driven state forward.
    pub fn with_world<T>(&self, f: impl FnOnce(&mut World, i64) -> T) -> T {
        // The clock is read under the world lock, so callers see time in the order they act.
        let mut world = self
            .world
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let now = self.now_ms();
        world.advance(now, &self.drop_dir);
        f(&mut world, now)
    }

    /// Checks HTTP Basic credentials against the simulator's users.
    pub(crate) fn authenticate(&self, headers: &HeaderMap) -> Result<Caller, Response> {
        let unauthorized = || {
            (
                StatusCode::UNAUTHORIZED,
                [(header::WWW_AUTHENTICATE, "Basic realm=\"POM\"")],
                axum::Json(serde_json::json!({
                    "errorCode": "401", "errorMessage": "Authentication required", "displayMessage": "Invalid user name or password"
                })),
            )
                .into_response()
        };
        let encoded = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Basic "))
            .ok_or_else(unauthorized)?;
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(encoded.trim())
            .map_err(|_| unauthorized())?;
        let text = String::from_utf8(decoded).map_err(|_| unauthorized())?;
        let (user, password) = text.split_once(':').ok_or_else(unauthorized)?;
        let world = self.world.lock().unwrap_or_else(|p| p.into_inner());
        match world.users.get(user) {
            Some(found) if found.password == password => Ok(Caller {
                user: user.to_string(),
                organization: found.organization.clone(),
            }),
            _ => Err(unauthorized()),
        }
    }
}

/// The simulator's whole HTTP surface.
pub fn router(sim: Arc<Sim>) -> Router {
    Router::new()
        .merge(rest::routes())
        .merge(soap::routes())
        .merge(control::routes())
        .merge(load::routes())
        .merge(feed::routes())
        .layer(axum::middleware::from_fn(faults::lose_answers))
        .layer(axum::middleware::from_fn_with_state(
            sim.clone(),
            guard::control_guard,
        ))
        .with_state(sim)
}

/// Serves the simulator on `listener` until the process ends; returns the bound address.
pub fn spawn(
    listener: tokio::net::TcpListener,
    sim: Arc<Sim>,
) -> std::io::Result<(SocketAddr, tokio::task::JoinHandle<()>)> {
    let address = listener.local_addr()?;
    spawn_ticker(&sim);
    let handle = tokio::spawn(async move {
        if let Err(error) = axum::serve(listener, router(sim)).await {
            tracing::error!(error = %error, "POM simulator stopped");
        }
    });
    Ok((address, handle))
}

/// Moves simulated time forward every 100 ms of real time, so jobs dial and imports run while
/// nobody calls; stops when the simulator is dropped.
pub(crate) fn spawn_ticker(sim: &Arc<Sim>) {
    let weak = Arc::downgrade(sim);
    tokio::spawn(async move {
        let mut interval = tokio::time::interval(std::time::Duration::from_millis(100));
        interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            interval.tick().await;
            let Some(sim) = weak.upgrade() else { break };
            sim.with_world(|_, _| ());
        }
    });
}
