//! Record cancel through the automation API against the simulator: contacts found by either
//! phone attribute in any form, the customer's other records with `all_chain`, contacts being
//! dialled counted apart ("record(s) on desktop"), `record_only` and a campaign narrowing it,
//! bad input named, other organizations' contacts and receipts untouched.

use std::time::Duration;

use serde_json::{json, Value};

use super::api_v1_calls::{get, post_json, problem_code, register, token, Answer};
use super::campaign_calls::add_campaign;
use super::helpers::TestApp;
use super::pom_sim::{spawn_with_pom, PomSim};

/// Follows a cancel's receipt until it is `verified` or `failed`.
async fn follow(app: &TestApp, token: &str, receipt: &Value) -> Value {
    let id = receipt["request_id"].as_str().expect("a receipt");
    for _ in 0..300 {
        let now = get(app, token, &format!("/records/cancel/{id}")).await;
        assert_eq!(now.status, 200, "{}", now.body);
        if ["verified", "failed"].contains(&now.body["state"].as_str().unwrap()) {
            return now.body;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("record cancel {id} never ended");
}

fn callable(sim: &PomSim, list: i64, contact: &str) -> bool {
    sim.sim
        .with_world(|w, _| w.lists[&list].contacts[contact].callable)
}

fn contact(id: &str, phone1: &str, phone2: &str) -> Value {
    json!({ "userContactId": id, "phoneNumber1": phone1, "phoneNumber2": phone2 })
}

async fn cancel(app: &TestApp, token: &str, body: Value) -> Answer {
    post_json(app, token, "/records/cancel", None, &body).await
}

/// (list, contact, in progress) of a receipt's contacts.
fn reached(receipt: &Value) -> Vec<(String, String, Value)> {
    receipt["contacts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["list"].as_str().unwrap().to_string(),
                c["user_contact_id"].as_str().unwrap().to_string(),
                c["in_progress"].clone(),
            )
        })
        .collect()
}

#[sqlx::test]
async fn cancels_reach_every_record_of_the_phone_and_report_those_being_dialled(
    pool: sqlx::PgPool,
) {
    let sim = PomSim::start().await;
    let phone = "+447700900111";
    let a = sim
        .add_list(
            "Sales_A",
            "Sales",
            &[
                contact("K1", phone, ""),
                contact("K2", "+447700900998", phone),
                contact("K3", "+447700900222", ""),
                contact("K5", "+447700900333", ""),
            ],
        )
        .await;
    let b = sim
        .add_list(
            "Sales_B",
            "Sales",
            &[
                contact("K1", "+447700900555", ""),
                contact("K4", "+447700900222", ""),
                contact("K5", "+447700900556", ""),
            ],
        )
        .await;
    let coll = sim
        .add_list("Coll_A", "Collections", &[contact("K9", phone, "")])
        .await;
    add_campaign(&sim, "Sales_Evening", "Sales", "predictive", false).await;
    sim.sim.with_world(|w, _| {
        for c in w
            .campaigns
            .values_mut()
            .filter(|c| c.name == "Sales_Evening")
        {
            c.lists = vec!["Sales_A".into()];
        }
    });
    sim.in_progress(a, "K2", 3_600.0).await;
    let app = spawn_with_pom(pool, &sim, &[]).await;
    let crm = token(&app, &register(&app, "crm", "Sales", &["records"]).await).await;

    // A phone written nationally: both phone attributes, and K1's other record (all_chain).
    let body = json!({ "phone": "07700 900111" });
    let first = post_json(&app, &crm, "/records/cancel", Some("c-1"), &body).await;
    assert_eq!(first.status, 202, "{}", first.body);
    assert_eq!(first.body["state"], "accepted");
    assert_eq!(first.body["phone"], phone);
    let done = follow(&app, &crm, &first.body).await;
    assert_eq!(done["state"], "verified", "{done}");
    assert_eq!(
        reached(&done),
        [
            ("Sales_A".into(), "K1".into(), json!(false)),
            ("Sales_A".into(), "K2".into(), json!(true)),
            ("Sales_B".into(), "K1".into(), json!(false)),
        ]
    );
    assert_eq!(
        (&done["cancelled"], &done["in_progress"]),
        (&json!(2), &json!(1))
    );
    assert_eq!(
        done["message"],
        "Incomplete processing: record(s) on desktop"
    );
    assert!(!callable(&sim, a, "K1") && !callable(&sim, a, "K2") && !callable(&sim, b, "K1"));
    assert!(callable(&sim, a, "K3"), "another phone is untouched");
    assert!(
        callable(&sim, coll, "K9"),
        "another organization's contact is untouched"
    );
    let again = post_json(&app, &crm, "/records/cancel", Some("c-1"), &body).await;
    assert_eq!(again.body["request_id"], first.body["request_id"]);
    let sources: Vec<(String, String)> =
        sqlx::query_as("select source, action from dnc_entry order by dnc_entry_id")
            .fetch_all(&app.pool)
            .await
            .unwrap();
    assert_eq!(sources.len(), 3);
    assert!(sources
        .iter()
        .all(|s| s == &("record_cancel".to_string(), "mark_uncallable".to_string())));
    assert_eq!(app.audit_count("records.cancel").await, 1);

    // A campaign narrows it to its lists: K4 (Sales_B) keeps the same phone and stays callable.
    let narrowed = cancel(
        &app,
        &crm,
        json!({ "phone": "+447700900222", "campaign": "Sales_Evening" }),
    )
    .await;
    let narrowed = follow(&app, &crm, &narrowed.body).await;
    assert_eq!(
        reached(&narrowed),
        [("Sales_A".into(), "K3".into(), json!(false))]
    );
    assert!(callable(&sim, b, "K4"));
    assert_eq!(narrowed["message"], Value::Null);

    // record_only: the record holding the phone, not the customer's other records.
    let only = cancel(
        &app,
        &crm,
        json!({ "phone": "+447700900333", "scope": "record_only" }),
    )
    .await;
    let only = follow(&app, &crm, &only.body).await;
    assert_eq!(
        reached(&only),
        [("Sales_A".into(), "K5".into(), json!(false))]
    );
    assert!(callable(&sim, b, "K5"));

    // A customer id keeps only that customer's records with the phone.
    let other_customer = cancel(
        &app,
        &crm,
        json!({ "phone": "+447700900555", "customer_id": "K7" }),
    )
    .await;
    let none = follow(&app, &crm, &other_customer.body).await;
    assert_eq!(none["state"], "failed");
    assert_eq!(
        none["reason"],
        "No contact of customer K7 has phone +447700900555 in Sales's contact lists."
    );
    assert_eq!(none["contacts"], json!([]));

    // Bad input names the field; nothing is stored.
    let stored: i64 = sqlx::query_scalar("select count(*) from dnc_request")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    for (body, field) in [
        (json!({}), "phone"),
        (json!({ "phone": "call me" }), "phone"),
        (json!({ "phone": "a@example.com" }), "phone"),
        (json!({ "phone": 447700900111u64 }), "phone"),
        (json!({ "phone": phone, "chain": "all" }), "chain"),
        (json!({ "phone": phone, "scope": "everything" }), "scope"),
        (json!({ "phone": phone, "customer_id": "" }), "customer_id"),
    ] {
        let refused = cancel(&app, &crm, body.clone()).await;
        assert_eq!(
            (refused.status, problem_code(&refused)),
            (400, "invalid_parameter"),
            "{body}: {}",
            refused.body
        );
        assert_eq!(refused.body["field"], field, "{body}: {}", refused.body);
    }
    let unknown = cancel(&app, &crm, json!({ "phone": phone, "campaign": "Nope" })).await;
    assert_eq!(
        (unknown.status, problem_code(&unknown)),
        (404, "campaign_not_found")
    );
    let after: i64 = sqlx::query_scalar("select count(*) from dnc_request")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(after, stored);

    // Another organization's client, a client without the scope, and the DNC receipts' route
    // see nothing of it.
    let id = first.body["request_id"].as_str().unwrap();
    let collections = token(
        &app,
        &register(&app, "coll", "Collections", &["records"]).await,
    )
    .await;
    let hidden = get(&app, &collections, &format!("/records/cancel/{id}")).await;
    assert_eq!(
        (hidden.status, problem_code(&hidden)),
        (404, "record_cancel_not_found")
    );
    let dnc = token(&app, &register(&app, "dnc", "Sales", &["dnc"]).await).await;
    let denied = cancel(&app, &dnc, json!({ "phone": phone })).await;
    assert_eq!(
        (denied.status, problem_code(&denied)),
        (403, "insufficient_scope")
    );
    let as_dnc = get(&app, &dnc, &format!("/dnc/requests/{id}")).await;
    assert_eq!(
        (as_dnc.status, problem_code(&as_dnc)),
        (404, "dnc_request_not_found")
    );
}

#[sqlx::test]
async fn pom_refusing_fails_the_contacts_with_its_reason(pool: sqlx::PgPool) {
    let sim = PomSim::start().await;
    let a = sim
        .add_list("Sales_A", "Sales", &[contact("K1", "+447700900111", "")])
        .await;
    let app = spawn_with_pom(pool, &sim, &[]).await;
    let crm = token(&app, &register(&app, "crm", "Sales", &["records"]).await).await;
    sim.faults(
        json!([{ "endpoint": "contacts.markuncallable", "error_rate": 1.0,
                        "kind": { "status": 400 } }]),
    )
    .await;
    let refused = cancel(&app, &crm, json!({ "phone": "+447700900111" })).await;
    let refused = follow(&app, &crm, &refused.body).await;
    assert_eq!(refused["state"], "failed", "{refused}");
    assert_eq!(refused["cancelled"], 0);
    assert!(
        refused["contacts"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("Injected failure"),
        "{refused}"
    );
    assert!(callable(&sim, a, "K1"));

    // POM unreachable while the contacts are looked up: the cancel waits, then goes through.
    sim.faults(json!([{ "endpoint": "contacts.list", "error_rate": 1.0,
                        "kind": { "status": 503 } }]))
        .await;
    let waiting = cancel(&app, &crm, json!({ "phone": "+447700900111" })).await;
    let id = waiting.body["request_id"].as_str().unwrap().to_string();
    tokio::time::sleep(Duration::from_millis(500)).await;
    let still = get(&app, &crm, &format!("/records/cancel/{id}")).await;
    assert_eq!(still.body["state"], "accepted", "{}", still.body);
    sim.faults(json!([])).await;
    sqlx::query("update dnc_request set not_before = now()")
        .execute(&app.pool)
        .await
        .unwrap();
    let done = follow(&app, &crm, &waiting.body).await;
    assert_eq!(done["state"], "verified", "{done}");
    assert!(!callable(&sim, a, "K1"));
}
