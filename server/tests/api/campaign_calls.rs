//! Calls the campaign tests make: server functions as form posts, simulator campaigns, the board
//! and waiting for a job state.

use std::time::Duration;

use serde_json::{json, Value};

use super::helpers::TestApp;
use super::pom_sim::PomSim;

/// Calls a server function the way a form (or the Leptos client) does: URL-encoded fields,
/// nulls left out. Answers (status, JSON body).
pub async fn call_form(
    app: &TestApp,
    client: &reqwest::Client,
    endpoint: &str,
    fields: Value,
) -> (u16, Value) {
    let pairs: Vec<(String, String)> = fields
        .as_object()
        .unwrap()
        .iter()
        .filter(|(_, v)| !v.is_null())
        .map(|(k, v)| {
            (
                k.clone(),
                v.as_str().map_or_else(|| v.to_string(), str::to_string),
            )
        })
        .collect();
    let response = client
        .post(app.url(&format!("/api/{endpoint}")))
        .form(&pairs)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

/// Adds a campaign to the simulator (no lists: it dials nothing, so it stays active).
pub async fn add_campaign(sim: &PomSim, name: &str, organization: &str, kind: &str, finite: bool) {
    let response = sim
        .http
        .post(format!("{}/__sim/campaigns", sim.origin))
        .json(&json!({
            "id": 0, "name": name, "organization": organization, "kind": kind, "finite": finite,
            "lists": [], "completion_codes": [], "schedules": [],
        }))
        .send()
        .await
        .unwrap();
    assert!(response.status().is_success(), "{}", response.status());
}

/// Sales: an infinite predictive and a finite preview campaign; Collections: one progressive.
pub async fn campaigns_setup(sim: &PomSim) {
    add_campaign(sim, "Sales_Evening", "Sales", "predictive", false).await;
    add_campaign(sim, "Sales_Callbacks", "Sales", "preview", true).await;
    add_campaign(sim, "Coll_Early", "Collections", "progressive", false).await;
}

pub async fn board(app: &TestApp, client: &reqwest::Client, organization: &str) -> (u16, Value) {
    call_form(
        app,
        client,
        "campaigns/board",
        json!({ "organization": organization }),
    )
    .await
}

/// The campaign's row on the board.
pub async fn row(app: &TestApp, client: &reqwest::Client, org: &str, campaign: &str) -> Value {
    let (status, board) = board(app, client, org).await;
    assert_eq!(status, 200, "{board}");
    board["campaigns"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == campaign)
        .cloned()
        .unwrap_or_else(|| panic!("{campaign} not on {board}"))
}

/// Waits until the campaign's current job is in `state`; returns the row.
pub async fn wait_state(
    app: &TestApp,
    client: &reqwest::Client,
    org: &str,
    campaign: &str,
    state: &str,
) -> Value {
    let mut last = Value::Null;
    for _ in 0..100 {
        last = row(app, client, org, campaign).await;
        if last["job"]["state"] == state {
            return last;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{campaign} never reached {state}: {last}");
}

pub async fn start(app: &TestApp, client: &reqwest::Client, org: &str, name: &str) -> (u16, Value) {
    call_form(
        app,
        client,
        "campaigns/start",
        json!({ "organization": org, "campaign": name }),
    )
    .await
}

pub async fn act(
    app: &TestApp,
    client: &reqwest::Client,
    (org, name, job): (&str, &str, i64),
    action: &str,
) -> (u16, Value) {
    let body = json!({ "organization": org, "campaign": name, "job_id": job, "action": action });
    call_form(app, client, "campaigns/job_action", body).await
}

/// The message of an `AppError` answer.
pub fn message(body: &Value) -> String {
    body.to_string()
}
