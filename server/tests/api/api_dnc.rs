//! DNC through the automation API against the simulator: receipts from accepted to verified,
//! requests batched into few POM calls, customers by `all_chain` and `record_only`, bad input
//! named, other organizations' receipts hidden, POM's faults on the receipt, number status and
//! removal, and timed DNC taken off the list when it expires.

use std::time::Duration;

use serde_json::{json, Value};

use super::api_v1_calls::{get, post_json, problem_code, register, token, Answer};
use super::campaign_calls::add_campaign;
use super::helpers::TestApp;
use super::pom_sim::{spawn_with_pom, PomSim};

/// Follows a receipt until it leaves `accepted` (and `applied`, unless `applied` is enough).
pub async fn follow(app: &TestApp, token: &str, receipt: &Value, until: &[&str]) -> Value {
    let id = receipt["request_id"].as_str().unwrap();
    for _ in 0..300 {
        let now = get(app, token, &format!("/dnc/requests/{id}")).await;
        assert_eq!(now.status, 200, "{}", now.body);
        if until.contains(&now.body["state"].as_str().unwrap()) {
            return now.body;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("receipt {id} never reached {until:?}");
}

fn callable(sim: &PomSim, list: i64, contact: &str) -> bool {
    sim.sim
        .with_world(|w, _| w.lists[&list].contacts[contact].callable)
}

fn contact(id: &str) -> Value {
    json!({ "userContactId": id, "phoneNumber1": "+447700900999" })
}

async fn dnc_calls(sim: &PomSim) -> u64 {
    let counts: Value = sim
        .http
        .get(format!("{}/__sim/requests", sim.origin))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    counts["dnclists.addresses"].as_u64().unwrap_or(0)
}

pub async fn request(app: &TestApp, token: &str, body: Value) -> Answer {
    post_json(app, token, "/dnc", None, &body).await
}

#[sqlx::test]
async fn receipts_follow_requests_to_pom_in_batches_and_customers_by_scope(pool: sqlx::PgPool) {
    let sim = PomSim::start().await;
    sim.add_dnc_list("Common", None);
    let sales_dnc = sim.add_dnc_list("Sales", Some("Sales"));
    let a = sim
        .add_list("Sales_A", "Sales", &[contact("K1"), contact("K2")])
        .await;
    let b = sim.add_list("Sales_B", "Sales", &[contact("K1")]).await;
    let coll = sim
        .add_list("Coll_A", "Collections", &[contact("K1")])
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
    let app = spawn_with_pom(pool, &sim, &[]).await;
    let crm = token(&app, &register(&app, "crm", "Sales", &["dnc"]).await).await;

    // A phone: 202 with a receipt, then applied and verified by reading POM back.
    let body = json!({ "phone": "+44 7700 900123" });
    let first = post_json(&app, &crm, "/dnc", Some("k-1"), &body).await;
    assert_eq!(first.status, 202, "{}", first.body);
    assert_eq!(first.body["items"][0]["kind"], "address");
    let done = follow(&app, &crm, &first.body, &["verified", "failed"]).await;
    assert_eq!(done["state"], "verified", "{done}");
    assert_eq!(done["items"][0]["list"], "Sales");
    assert!(sim
        .dnc_addresses(sales_dnc)
        .contains(&"+447700900123".to_string()));
    let source: (String, String) = sqlx::query_as(
        "select source, requested_by_name from dnc_entry where address = '+447700900123'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(source, ("api".into(), "api:crm".into()));
    // The same key and body: the first receipt again; another body: 422.
    let again = post_json(&app, &crm, "/dnc", Some("k-1"), &body).await;
    assert_eq!(again.body["request_id"], first.body["request_id"]);
    let other = post_json(
        &app,
        &crm,
        "/dnc",
        Some("k-1"),
        &json!({ "phone": "+447700900124" }),
    )
    .await;
    assert_eq!(
        (other.status, problem_code(&other)),
        (422, "idempotency_key_reused")
    );

    // Thirty requests at once reach POM in a few calls, each number once.
    let before = dnc_calls(&sim).await;
    let phones: Vec<String> = (0..30).map(|i| format!("+4477009002{i:02}")).collect();
    let answers = futures::future::join_all(
        phones
            .iter()
            .map(|p| request(&app, &crm, json!({ "phone": p }))),
    )
    .await;
    for answer in &answers {
        assert_eq!(answer.status, 202, "{}", answer.body);
        follow(&app, &crm, &answer.body, &["applied", "verified"]).await;
    }
    let calls = dnc_calls(&sim).await - before;
    assert!(calls < 30, "{calls} POM calls for 30 requests: not batched");
    let sent_twice: i64 =
        sqlx::query_scalar("select count(*) from dnc_request_item where attempts <> 1")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(sent_twice, 0);
    assert_eq!(sim.dnc_addresses(sales_dnc).len(), 31);

    // A customer, all_chain: every Sales list holding it, not another organization's.
    let all = request(&app, &crm, json!({ "customer_id": "K1" })).await;
    let all = follow(&app, &crm, &all.body, &["verified", "failed"]).await;
    assert_eq!(all["state"], "verified", "{all}");
    let lists: Vec<&str> = all["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["list"].as_str().unwrap())
        .collect();
    assert_eq!(lists, ["Sales_A", "Sales_B"]);
    assert!(!callable(&sim, a, "K1") && !callable(&sim, b, "K1"));
    assert!(
        callable(&sim, coll, "K1"),
        "another organization's contact is untouched"
    );
    // record_only: the campaign's lists only.
    let only = request(
        &app,
        &crm,
        json!({ "customer_id": "K2", "campaign": "Sales_Evening", "scope": "record_only" }),
    )
    .await;
    let only = follow(&app, &crm, &only.body, &["verified", "failed"]).await;
    assert_eq!(
        (
            only["state"].as_str(),
            only["items"].as_array().unwrap().len()
        ),
        (Some("verified"), 1)
    );
    assert!(!callable(&sim, a, "K2"));
    // A customer nobody has: the receipt fails and says why.
    let none = request(&app, &crm, json!({ "customer_id": "NOBODY" })).await;
    let none = follow(&app, &crm, &none.body, &["verified", "failed"]).await;
    assert_eq!(none["state"], "failed");
    assert!(
        none["reason"]
            .as_str()
            .unwrap()
            .contains("No contact has customer id NOBODY"),
        "{none}"
    );

    // Bad input names the field; nothing is stored.
    for (body, field) in [
        (json!({ "phone": "call me" }), "phone"),
        (json!({ "fone": "+447700900123" }), "fone"),
        (json!({}), "phone"),
        (
            json!({ "customer_id": "K1", "scope": "record_only" }),
            "campaign",
        ),
        (
            json!({ "customer_id": "K1", "campaign": "Sales_Evening" }),
            "campaign",
        ),
        (
            json!({ "phone": "+447700900123", "expires_at": "tomorrow" }),
            "expires_at",
        ),
        (
            json!({ "phone": "+447700900123", "expires_at": "2020-01-01T00:00:00Z" }),
            "expires_at",
        ),
        (
            json!({ "customer_id": "K1", "expires_at": "2099-01-01T00:00:00Z" }),
            "expires_at",
        ),
        (json!({ "phone": 447700900123u64 }), "phone"),
    ] {
        let refused = request(&app, &crm, body.clone()).await;
        assert_eq!(
            (refused.status, problem_code(&refused)),
            (400, "invalid_parameter"),
            "{body}"
        );
        assert_eq!(refused.body["field"], field, "{body}: {}", refused.body);
    }
    let unknown = request(
        &app,
        &crm,
        json!({ "customer_id": "K1", "campaign": "Nope", "scope": "record_only" }),
    )
    .await;
    assert_eq!(
        (unknown.status, problem_code(&unknown)),
        (404, "campaign_not_found")
    );
    let text = reqwest::Client::new()
        .post(app.url("/api/v1/dnc"))
        .bearer_auth(&crm)
        .body("phone=1")
        .send()
        .await
        .unwrap();
    assert_eq!(text.status(), 415);

    // Another organization's client, or one without the scope, sees nothing.
    let id = first.body["request_id"].as_str().unwrap();
    let collections = token(&app, &register(&app, "coll", "Collections", &["dnc"]).await).await;
    let hidden = get(&app, &collections, &format!("/dnc/requests/{id}")).await;
    assert_eq!(
        (hidden.status, problem_code(&hidden)),
        (404, "dnc_request_not_found")
    );
    let reader = token(
        &app,
        &register(&app, "reader", "Sales", &["campaigns:read"]).await,
    )
    .await;
    let denied = request(&app, &reader, json!({ "phone": "+447700900123" })).await;
    assert_eq!(
        (denied.status, problem_code(&denied)),
        (403, "insufficient_scope")
    );

    // A number's status, and taking it off the list.
    let status = get(&app, &crm, "/dnc/+447700900123").await;
    assert_eq!(
        (status.status, &status.body["on_organization_list"]),
        (200, &json!(true)),
        "{}",
        status.body
    );
    let delete = |token: String| {
        let app = &app;
        async move {
            let response = reqwest::Client::new()
                .delete(app.url("/api/v1/dnc/+447700900123"))
                .bearer_auth(token)
                .send()
                .await
                .unwrap();
            super::api_v1_calls::answer(response).await
        }
    };
    let removed = delete(crm.clone()).await;
    assert_eq!(removed.status, 200, "{}", removed.body);
    assert!(!sim
        .dnc_addresses(sales_dnc)
        .contains(&"+447700900123".to_string()));
    let twice = delete(crm.clone()).await;
    assert_eq!((twice.status, problem_code(&twice)), (409, "pom_refused"));
}

#[sqlx::test]
async fn pom_faults_show_on_receipts_and_timed_entries_come_off_the_list(pool: sqlx::PgPool) {
    let sim = PomSim::start().await;
    let sales_dnc = sim.add_dnc_list("Sales", Some("Sales"));
    let app = spawn_with_pom(pool, &sim, &[]).await;
    let crm = token(&app, &register(&app, "crm", "Sales", &["dnc"]).await).await;

    // POM unavailable: the receipt waits and the item is sent again once POM is back.
    sim.faults(
        json!([{ "endpoint": "dnclists.addresses", "error_rate": 1.0, "kind": { "status": 503 } }]),
    )
    .await;
    let waiting = request(&app, &crm, json!({ "phone": "+447700900301" })).await;
    let id = waiting.body["request_id"].as_str().unwrap().to_string();
    let mut tried = 0;
    for _ in 0..100 {
        tried = sqlx::query_scalar("select attempts from dnc_request_item")
            .fetch_one(&app.pool)
            .await
            .unwrap();
        if tried > 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(tried > 0);
    let still = get(&app, &crm, &format!("/dnc/requests/{id}")).await;
    assert_eq!(still.body["state"], "accepted", "{}", still.body);
    sim.faults(json!([])).await;
    let done = follow(&app, &crm, &waiting.body, &["verified", "failed"]).await;
    assert_eq!(done["state"], "verified", "{done}");

    // POM refusing: the receipt fails with POM's words.
    sim.faults(
        json!([{ "endpoint": "dnclists.addresses", "error_rate": 1.0, "kind": { "status": 400 } }]),
    )
    .await;
    let refused = request(&app, &crm, json!({ "phone": "+447700900302" })).await;
    let refused = follow(&app, &crm, &refused.body, &["verified", "failed"]).await;
    assert_eq!(refused["state"], "failed");
    assert!(
        refused["items"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("Injected failure"),
        "{refused}"
    );
    sim.faults(json!([])).await;

    // An organization without a DNC list in POM.
    let other = token(&app, &register(&app, "coll", "Collections", &["dnc"]).await).await;
    let nowhere = request(&app, &other, json!({ "phone": "+447700900303" })).await;
    let nowhere = follow(&app, &other, &nowhere.body, &["verified", "failed"]).await;
    assert_eq!(
        nowhere["items"][0]["reason"],
        "POM has no DNC list for Collections."
    );

    // Timed DNC: off the list once expired, unless added again without an expiry.
    let soon = (time::OffsetDateTime::now_utc() + time::Duration::seconds(2))
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap();
    // Listed in POM before (outside OCM): its timed entry must not take it off.
    sim.sim.with_world(|w, _| {
        let list = w.dnc_lists.get_mut(&sales_dnc).unwrap();
        list.addresses.insert("+447700900306".into());
    });
    for phone in ["+447700900304", "+447700900305", "+447700900306"] {
        let timed = request(&app, &crm, json!({ "phone": phone, "expires_at": soon })).await;
        assert!(timed.body["expires_at"].is_string(), "{}", timed.body);
        follow(&app, &crm, &timed.body, &["verified"]).await;
    }
    let permanent = request(&app, &crm, json!({ "phone": "+447700900305" })).await;
    follow(&app, &crm, &permanent.body, &["verified"]).await;
    tokio::time::sleep(Duration::from_millis(2500)).await;
    domain::dnc::timed::expire_due(&app.state).await.unwrap();
    let listed = sim.dnc_addresses(sales_dnc);
    assert!(
        !listed.contains(&"+447700900304".to_string()),
        "expired: {listed:?}"
    );
    assert!(
        listed.contains(&"+447700900305".to_string()),
        "added again: {listed:?}"
    );
    assert!(
        listed.contains(&"+447700900306".to_string()),
        "listed before: {listed:?}"
    );
    let states: Vec<(String, Option<String>)> = sqlx::query_as(
        "select address, expiry_state from dnc_entry where expires_at is not null order by address",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert_eq!(
        states,
        [
            ("+447700900304".into(), Some("removed".into())),
            ("+447700900305".into(), Some("kept".into())),
            ("+447700900306".into(), Some("kept".into()))
        ]
    );
    let removal: (String, String) = sqlx::query_as(
        "select source, state from dnc_entry where action = 'remove' and address = '+447700900304'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(removal, ("expiry".into(), "confirmed".into()));
    assert_eq!(
        app.audit_count("dnc.expired").await,
        3,
        "requested and answered; kept once added again (the one listed before never came due)"
    );
}
