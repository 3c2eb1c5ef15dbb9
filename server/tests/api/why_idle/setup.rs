//! The "Why isn't it dialling?" tests' simulator and OCM: one Sales campaign over one list
//! dialled as a [`Setup`] says, its job started, agents sent on breaks, the clock moved on with
//! the feed ingested, and the dashboard asked. The floor's other tests start from here too.

use serde_json::{json, Value};

use crate::call_data::ingest;
use crate::campaign_calls::{call_form, start, wait_state};
use crate::helpers::TestApp;
use crate::pom_sim::{spawn_with_pom, PomSim};

pub const CAMPAIGN: &str = "Floor_Calls";

/// How the simulator dials the test campaign.
pub struct Setup {
    pub agents: usize,
    pub finite: bool,
    pub rules: Value,
    pub contacts: usize,
    /// Every contact's number on a DNC list of the organization before the job starts.
    pub on_dnc: bool,
    /// The campaign's completion codes (`CALLBACK`: every call a person answers arranges one).
    pub codes: Vec<&'static str>,
}

impl Default for Setup {
    fn default() -> Self {
        Setup {
            agents: 4,
            finite: false,
            rules: json!({ "window_start_minute": 0, "window_end_minute": 1440 }),
            contacts: 6,
            on_dnc: false,
            codes: Vec::new(),
        }
    }
}

fn contacts(n: usize) -> Vec<Value> {
    (1..=n)
        .map(|i| json!({ "userContactId": format!("F{i:03}"), "phoneNumber1": format!("+4477009{i:05}") }))
        .collect()
}

/// A simulator with one Sales campaign over one list, OCM against it, and its job started by
/// `sup.a` and active.
pub async fn started(
    pool: sqlx::PgPool,
    setup: Setup,
    extra: &[(&str, &str)],
) -> (PomSim, TestApp, reqwest::Client, i64) {
    started_on(PomSim::start().await, pool, setup, extra).await
}

/// [`started`] on a simulator the test prepared (its clock set, say).
pub async fn started_on(
    sim: PomSim,
    pool: sqlx::PgPool,
    setup: Setup,
    extra: &[(&str, &str)],
) -> (PomSim, TestApp, reqwest::Client, i64) {
    sim.add_list("Floor_List", "Sales", &contacts(setup.contacts))
        .await;
    let control = |path: &str, body: Value| {
        let request = sim
            .http
            .post(format!("{}/__sim/{path}", sim.origin))
            .json(&body);
        async move {
            let response = request.send().await.unwrap();
            assert!(response.status().is_success(), "{}", response.status());
        }
    };
    control(
        "campaigns",
        json!({
            "id": 0, "name": CAMPAIGN, "organization": "Sales", "kind": "progressive",
            "finite": setup.finite, "lists": ["Floor_List"], "completion_codes": setup.codes,
            "schedules": [],
        }),
    )
    .await;
    control(&format!("campaigns/{CAMPAIGN}/dialing"), setup.rules).await;
    control("dialer", json!({ "agents_per_org": setup.agents })).await;
    if setup.on_dnc {
        let list = sim.add_dnc_list("Sales_DNC", Some("Sales"));
        sim.sim.with_world(|w, _| {
            let addresses = &mut w.dnc_lists.get_mut(&list).unwrap().addresses;
            for contact in contacts(setup.contacts) {
                addresses.insert(contact["phoneNumber1"].as_str().unwrap().to_string());
            }
        });
    }
    let app = spawn_with_pom(pool, &sim, extra).await;
    let sup = app.signed_in("sup.a").await;
    let (status, body) = start(&app, &sup, "Sales", CAMPAIGN).await;
    assert_eq!(status, 200, "{body}");
    let row = wait_state(&app, &sup, "Sales", CAMPAIGN, "JOB_ACTIVE").await;
    (sim, app, sup, row["job"]["job_id"].as_i64().unwrap())
}

/// Sends `agents` of Sales on a break with `reason` for `minutes` (each once its call ends).
pub async fn on_break(sim: &PomSim, agents: &[&str], reason: &str, minutes: i64) {
    let response = sim
        .http
        .post(format!("{}/__sim/agents/break", sim.origin))
        .json(&json!({ "organization": "Sales", "agents": agents, "reason": reason, "minutes": minutes }))
        .send()
        .await
        .unwrap();
    assert!(response.status().is_success(), "{}", response.status());
    let sent: Value = response.json().await.unwrap();
    assert_eq!(sent["agents"], json!(agents));
}

/// Moves the simulator's clock on and reads its feed into OCM.
pub async fn dial_for(sim: &PomSim, app: &TestApp, ms: i64) {
    let clock = format!("{}/__sim/clock", sim.origin);
    sim.http
        .post(&clock)
        .json(&json!({ "advance_ms": ms }))
        .send()
        .await
        .unwrap();
    ingest(app, &format!("{}/__sim/feed", sim.origin)).await;
}

pub async fn why_idle(app: &TestApp, client: &reqwest::Client, body: Value) -> (u16, Value) {
    call_form(app, client, "campaigns/floor", body).await
}
