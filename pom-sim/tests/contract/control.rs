//! The control API: deterministic reset, snapshots, injected latency, request counters.

use pom::client::rest::user_contact_id;
use serde_json::json;

use super::helpers::{start, Harness};

/// Every list's contacts and their attributes (timestamps left out: they follow the clock).
fn contents(snapshot: &serde_json::Value) -> Vec<(String, String, serde_json::Value)> {
    let mut rows = Vec::new();
    for list in snapshot["lists"].as_object().unwrap().values() {
        for (id, contact) in list["contacts"].as_object().unwrap() {
            rows.push((
                list["name"].to_string(),
                id.clone(),
                contact["attributes"].clone(),
            ));
        }
    }
    rows
}

async fn snapshot(h: &Harness) -> serde_json::Value {
    let url = format!("{}/__sim/snapshot", h.origin);
    reqwest::get(url).await.unwrap().json().await.unwrap()
}

async fn first_contact(h: &Harness, list: i64) -> String {
    let page = h.global().contacts_page(list, 0, 1, None).await.unwrap();
    user_contact_id(&page.contacts[0]).unwrap()
}

#[tokio::test]
async fn reset_with_a_seed_is_deterministic() {
    let h = start().await;
    h.control("reset", json!({ "seed": 42 })).await;
    let first = contents(&snapshot(&h).await);
    let renewals = h.list_id("Sales_Renewals").await;
    h.global()
        .delete_contact(renewals, &first_contact(&h, renewals).await)
        .await
        .unwrap();
    h.control("reset", json!({ "seed": 42 })).await;
    assert!(
        contents(&snapshot(&h).await) == first,
        "the same seed gives the same contacts"
    );
    h.control("reset", json!({ "seed": 43 })).await;
    assert!(
        contents(&snapshot(&h).await) != first,
        "another seed gives other contacts"
    );
}

#[tokio::test]
async fn a_saved_snapshot_restores_deleted_contacts() {
    let h = start().await;
    let list = h.list_id("Coll_Promises").await;
    let before = h
        .global()
        .contacts_page(list, 0, 1000, None)
        .await
        .unwrap()
        .contacts
        .len();
    let saved = snapshot(&h).await;
    h.global()
        .delete_contact(list, &first_contact(&h, list).await)
        .await
        .unwrap();
    assert!(h.control("snapshot", saved).await.status().is_success());
    let after = h
        .global()
        .contacts_page(list, 0, 1000, None)
        .await
        .unwrap()
        .contacts
        .len();
    assert_eq!(after, before);
}

#[tokio::test]
async fn latency_rules_delay_without_failing_and_requests_are_counted() {
    let h = start().await;
    let rules = json!([{ "endpoint": "dnclists", "latency_ms": 50, "error_rate": 0.0 }]);
    assert!(h.control("faults", rules).await.status().is_success());
    assert_eq!(h.global().dnc_lists().await.unwrap().len(), 3);
    assert_eq!(h.requests().await["dnclists"], 1);
    let url = format!("{}/__sim/requests", h.origin);
    assert!(h
        .http()
        .delete(url)
        .send()
        .await
        .unwrap()
        .status()
        .is_success());
    assert!(h.requests().await.get("dnclists").is_none());
}

#[tokio::test]
async fn a_web_page_cannot_drive_the_control_api() {
    let h = start().await;
    let reset = format!("{}/__sim/reset", h.origin);
    let without_token = reqwest::Client::new()
        .post(&reset)
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(without_token.status(), 401, "writes need the token");
    let rebound = h
        .http()
        .post(&reset)
        .header("host", "attacker.example:7080")
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        rebound.status(),
        403,
        "a DNS-rebinding host name is refused"
    );
    let read = reqwest::Client::new()
        .get(format!("{}/__sim/health", h.origin))
        .header("host", "attacker.example")
        .send()
        .await
        .unwrap();
    assert_eq!(read.status(), 403, "reads too");
    let allowed = h.http().post(&reset).json(&json!({})).send().await.unwrap();
    assert_eq!(allowed.status(), 200);
    let rebound_pom = reqwest::Client::new()
        .get(format!("{}/VP_POM_Service/v1/dnclists", h.origin))
        .header("host", "attacker.example")
        .basic_auth("pomadmin", Some("pomadmin"))
        .send()
        .await
        .unwrap();
    assert_eq!(rebound_pom.status(), 403, "nor reach the simulated POM");
    assert!(
        h.global().dnc_lists().await.is_ok(),
        "POM's clients are served"
    );
}
