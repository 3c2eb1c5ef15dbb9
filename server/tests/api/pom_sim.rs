//! A real POM simulator (over HTTP) for tests of features that talk to POM: lists with contacts
//! made through its control API, fault injection, "being dialled" contacts, and OCM started
//! against it with its background workers.

use std::collections::BTreeMap;

use pom_sim::world::SimUser;
use pom_sim::{Sim, SimSettings};
use serde_json::{json, Value};
use sqlx::PgPool;

use super::helpers::{spawn_app_with, TestApp};

/// OCM's POM account in these tests (global: sees every organization).
pub const POM_USER: &str = "ocm.global";

/// A running simulator.
pub struct PomSim {
    pub origin: String,
    /// The simulator itself, for tests that place records in its feed.
    pub sim: std::sync::Arc<Sim>,
    /// Carries the simulator's control token.
    pub http: reqwest::Client,
}

impl PomSim {
    pub async fn start() -> PomSim {
        Self::start_in(None).await
    }

    /// A simulator whose SFTP drop (where data sources read files) is `drop_dir`.
    pub async fn start_in(drop_dir: Option<std::path::PathBuf>) -> PomSim {
        let users = BTreeMap::from([(
            POM_USER.to_string(),
            SimUser {
                password: "secret".into(),
                organization: None,
            },
        )]);
        let settings = SimSettings {
            demo: false,
            users,
            drop_dir,
            ..SimSettings::default()
        };
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let sim = Sim::new(settings);
        let (address, _) = pom_sim::spawn(listener, sim.clone()).unwrap();
        PomSim {
            origin: format!("http://{address}"),
            http: pom_sim::guard::control_client(&sim),
            sim,
        }
    }

    /// OCM settings that point at this simulator.
    pub fn settings(&self) -> Vec<(String, String)> {
        vec![
            (
                "OCM_POM_BASE_URL".into(),
                format!("{}/VP_POM_Service/v1", self.origin),
            ),
            ("OCM_POM_USER".into(), POM_USER.into()),
            ("OCM_POM_PASSWORD".into(), "secret".into()),
        ]
    }

    async fn control(&self, method: reqwest::Method, path: &str, body: Value) -> reqwest::Response {
        let response = self
            .http
            .request(method, format!("{}/__sim/{path}", self.origin))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert!(
            response.status().is_success(),
            "{path}: {}",
            response.status()
        );
        response
    }

    /// A list of `organization` with `contacts` (attribute maps including `userContactId`).
    pub async fn add_list(&self, name: &str, organization: &str, contacts: &[Value]) -> i64 {
        let created: Value = self
            .control(
                reqwest::Method::POST,
                "lists",
                json!({ "name": name, "organization": organization }),
            )
            .await
            .json()
            .await
            .unwrap();
        let id = created["contactListId"].as_i64().unwrap();
        for chunk in contacts.chunks(5_000) {
            self.control(
                reqwest::Method::POST,
                &format!("lists/{id}/contacts"),
                json!(chunk),
            )
            .await;
        }
        id
    }

    /// A DNC list (the simulator's global lists are made by hand in tests).
    pub fn add_dnc_list(&self, name: &str, organization: Option<&str>) -> i64 {
        self.sim.with_world(|w, now| {
            let id = w.new_id();
            let list = pom_sim::world::DncRec {
                id,
                name: name.into(),
                organization: organization.map(str::to_string),
                addresses: Default::default(),
                last_updated_ms: now,
            };
            w.dnc_lists.insert(id, list);
            id
        })
    }

    /// The addresses on a DNC list.
    pub fn dnc_addresses(&self, id: i64) -> Vec<String> {
        self.sim
            .with_world(|w, _| w.dnc_lists[&id].addresses.iter().cloned().collect())
    }

    /// Adds contacts to an existing list.
    pub async fn add_list_contacts(&self, list_id: i64, contacts: &[Value]) {
        self.control(
            reqwest::Method::POST,
            &format!("lists/{list_id}/contacts"),
            json!(contacts),
        )
        .await;
    }

    /// Keeps a contact "being dialled" for `seconds` of simulated time.
    pub async fn in_progress(&self, list_id: i64, user_contact_id: &str, seconds: f64) {
        self.control(
            reqwest::Method::POST,
            "in-progress",
            json!({ "list_id": list_id, "user_contact_id": user_contact_id, "seconds": seconds }),
        )
        .await;
    }

    /// Replaces the fault rules (`[]` clears them).
    pub async fn faults(&self, rules: Value) {
        self.control(reqwest::Method::POST, "faults", rules).await;
    }

    /// Calls to `endpoint` the simulator carried out under `rules` (answered without an injected
    /// failure, which comes before a call takes effect): one per item when none was sent twice.
    pub async fn carried_out(&self, rules: &Value, endpoint: &str) -> usize {
        let counters: Value = self
            .http
            .get(format!("{}/__sim/requests", self.origin))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let calls = counters[endpoint].as_u64().unwrap_or(0);
        let rules: Vec<pom_sim::faults::FaultRule> = serde_json::from_value(rules.clone()).unwrap();
        (1..=calls)
            .filter(|count| {
                pom_sim::faults::decide(&rules, endpoint, *count)
                    .failure
                    .is_none()
            })
            .count()
    }

    /// The ids in a list, read through POM's REST API as OCM's account.
    pub async fn contact_ids(&self, list_id: i64) -> Vec<String> {
        let url = format!(
            "{}/VP_POM_Service/v2/contactlists/{list_id}/contacts/list?pageSize=5000&pageNumber=1",
            self.origin
        );
        let page: Value = self
            .http
            .get(url)
            .basic_auth(POM_USER, Some("secret"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        page["contactBatch"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["userContactId"].as_str().unwrap().to_string())
            .collect()
    }
}

/// `n` contacts `C0001…`: campaign ids alternate S01/S02, expiry dates run through 2026, every
/// tenth has no expiry date.
pub fn contacts(n: usize) -> Vec<Value> {
    (1..=n)
        .map(|i| {
            let mut contact = json!({
                "userContactId": format!("C{i:04}"),
                "firstName": format!("First{i}"),
                "phoneNumber1": format!("+4477009{i:05}"),
                "CAMP_ID": if i % 2 == 0 { "S02" } else { "S01" },
            });
            if i % 10 != 0 {
                contact["EXPIRY_DATE"] = json!(format!("2026-{:02}-{:02}", i % 12 + 1, i % 28 + 1));
            }
            contact
        })
        .collect()
}

/// OCM's web side against `sim` with `extra` settings, no background workers (a test starts
/// them, or its own).
pub async fn spawn_web_only(pool: PgPool, sim: &PomSim, extra: &[(&str, &str)]) -> TestApp {
    let mut settings = sim.settings();
    settings.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    let borrowed: Vec<(&str, &str)> = settings
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    spawn_app_with(pool, &borrowed).await
}

/// OCM against `sim`, with its background workers (job runner, event relay) and `extra` settings.
pub async fn spawn_with_pom(pool: PgPool, sim: &PomSim, extra: &[(&str, &str)]) -> TestApp {
    let app = spawn_web_only(pool, sim, extra).await;
    app.start_workers();
    app
}
