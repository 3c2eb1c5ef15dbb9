//! A simulator on a loopback port per test, clients for its users, and its control API.

use std::time::Duration;

use pom::client::{PomClient, PomConfig, PomError};
use pom_sim::{self, Sim, SimSettings};

pub struct Harness {
    pub origin: String,
    /// The simulator's SFTP drop folder.
    pub drop_dir: std::path::PathBuf,
    http: reqwest::Client,
}

/// Starts a simulator with demo data (seed 1).
pub async fn start() -> Harness {
    start_with(SimSettings {
        demo: true,
        ..SimSettings::default()
    })
    .await
}

pub async fn start_with(settings: SimSettings) -> Harness {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let simulator = Sim::new(settings);
    let drop_dir = simulator.drop_dir().to_path_buf();
    let http = pom_sim::guard::control_client(&simulator);
    let (address, _) = pom_sim::spawn(listener, simulator).unwrap();
    let harness = Harness {
        origin: format!("http://{address}"),
        drop_dir,
        http,
    };
    // Simulated time crawls (1/100 of real time) so nothing changes state while a test looks;
    // tests move it on explicitly with `fast_clock`.
    let slowed = harness
        .control("clock", serde_json::json!({ "speed": 0.01 }))
        .await;
    assert!(slowed.status().is_success());
    harness
}

impl Harness {
    pub fn config(&self, user: &str) -> PomConfig {
        let mut config = PomConfig::for_origin(&self.origin, user, user);
        config.timeout = Duration::from_secs(2);
        config
    }

    /// A client for a demo user (password = user name).
    pub fn client(&self, user: &str) -> PomClient {
        PomClient::new(self.config(user)).unwrap()
    }

    /// The global demo user's client.
    pub fn global(&self) -> PomClient {
        self.client("pomadmin")
    }

    pub async fn control(&self, path: &str, body: serde_json::Value) -> reqwest::Response {
        self.http
            .post(format!("{}/__sim/{path}", self.origin))
            .json(&body)
            .send()
            .await
            .unwrap()
    }

    /// Jumps the simulated clock a minute ahead: queued jobs start, lists empty, marks expire.
    pub async fn fast_clock(&self) {
        assert!(self
            .control("clock", serde_json::json!({ "advance_ms": 60_000 }))
            .await
            .status()
            .is_success());
    }

    /// An HTTP client carrying the control token (for control calls other than POST).
    pub fn http(&self) -> &reqwest::Client {
        &self.http
    }

    /// GET on the control API, as JSON.
    pub async fn get_json(&self, path: &str) -> serde_json::Value {
        self.http
            .get(format!("{}/__sim/{path}", self.origin))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }

    /// Per-endpoint request counts.
    pub async fn requests(&self) -> serde_json::Value {
        self.get_json("requests").await
    }

    /// The id of a demo list by name (as the global user sees it).
    pub async fn list_id(&self, name: &str) -> i64 {
        let mut lists = self.global().contact_lists("Sales").await.unwrap();
        lists.extend(self.global().contact_lists("Collections").await.unwrap());
        lists
            .into_iter()
            .find(|l| l.contact_list_name == name)
            .unwrap()
            .contact_list_id
    }
}

/// The SOAP return code of an error that must be a fault.
pub fn code(error: PomError) -> i32 {
    error
        .fault_code()
        .unwrap_or_else(|| panic!("expected a SOAP fault, got {error:?}"))
}
