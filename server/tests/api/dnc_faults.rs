//! DNC sends while POM fails one call in ten (issue 22, part 1): an uploaded file of 6,000
//! numbers (12 batches, with timeouts on the sends and 503s on everything else) and 40 requests
//! through the automation API each reach POM's list exactly once, with exact registry entries,
//! counters and audit records. The simulator injects a failure before the call takes effect, so
//! the calls it carried out are the sends that counted.

use serde_json::json;
use sqlx::PgPool;

use super::api_dnc::{follow, request};
use super::api_v1_calls::{register, token};
use super::dnc::{upload, upload_id, view};
use super::pom_sim::{spawn_with_pom, PomSim};
use super::purge_calls::wait_for;

/// Valid British mobile numbers, none alike.
fn phones(count: usize, block: u32) -> Vec<String> {
    (0..count).map(|i| format!("+44791{block}{i:06}")).collect()
}

async fn entries(pool: &PgPool, source: &str) -> Vec<(String, i64)> {
    sqlx::query_as(
        "select state, count(*) from dnc_entry where source = $1 group by state order by state",
    )
    .bind(source)
    .fetch_all(pool)
    .await
    .unwrap()
}

#[sqlx::test]
async fn an_uploaded_file_reaches_pom_once_while_one_call_in_ten_fails(pool: PgPool) {
    let sim = PomSim::start().await;
    let sales_dnc = sim.add_dnc_list("Sales", Some("Sales"));
    let app = spawn_with_pom(pool.clone(), &sim, &[("OCM_POM_TIMEOUT_SECONDS", "1")]).await;
    let client = app.signed_in("sup.a").await;
    let numbers = phones(6_000, 2);
    let file = format!("phone\n{}\n", numbers.join("\n"));
    let location = upload(
        &app,
        &client,
        "many.csv",
        file.into_bytes(),
        &[("mode", "dnc_list".into())],
    )
    .await;
    let id = upload_id(&location);
    assert_eq!(view(&app, &client, id).await["valid"], 6_000);

    let rules = json!([
        { "endpoint": "dnclists.addresses", "error_rate": 0.1, "kind": "timeout" },
        { "endpoint": "*", "error_rate": 0.1, "kind": { "status": 503 } },
    ]);
    sim.faults(rules.clone()).await;
    let response = app
        .call(&client, "dnc/confirm", &[("upload_id", &id.to_string())])
        .await;
    assert_eq!(response.status(), 200);
    let sent: serde_json::Value = response.json().await.unwrap();
    let job_id = sent["job"]["job_id"].as_i64().unwrap();
    let (state, done, failed, skipped, message) =
        wait_for(&pool, job_id, &["completed", "paused", "failed"]).await;
    assert_eq!(
        (state.as_str(), done, failed, skipped),
        ("completed", 6_000, 0, 0),
        "{message:?}"
    );
    let calls = sim.carried_out(&rules, "dnclists.addresses").await;
    assert_eq!(calls, 12, "each batch of 500 carried out once");
    let injected = sim.carried_out(&json!([]), "dnclists.addresses").await - calls;
    assert!(injected > 0, "the run met at least one timed-out send");
    let mut listed = sim.dnc_addresses(sales_dnc);
    listed.sort();
    let mut expected = numbers.clone();
    expected.sort();
    assert_eq!(listed, expected, "every number on POM's list, none missing");
    assert_eq!(
        entries(&pool, "upload").await,
        [("confirmed".into(), 6_000)]
    );
    assert_eq!(app.audit_count("dnc.send").await, 1);
    assert_eq!(app.audit_count("dnc.send.completed").await, 1);
    assert_eq!(app.audit_count("dnc.send.paused").await, 0);
}

#[sqlx::test]
async fn api_requests_reach_pom_once_while_one_call_in_ten_fails(pool: PgPool) {
    let sim = PomSim::start().await;
    let sales_dnc = sim.add_dnc_list("Sales", Some("Sales"));
    let app = spawn_with_pom(pool.clone(), &sim, &[]).await;
    let crm = token(&app, &register(&app, "crm", "Sales", &["dnc"]).await).await;
    let rules = json!([{ "endpoint": "*", "error_rate": 0.1, "kind": { "status": 503 } }]);
    sim.faults(rules.clone()).await;

    // One at a time, so that each request is a send of its own and the failures fall on some.
    let numbers = phones(40, 3);
    for phone in &numbers {
        let receipt = request(&app, &crm, json!({ "phone": phone })).await;
        assert_eq!(receipt.status, 202, "{}", receipt.body);
        let done = follow(&app, &crm, &receipt.body, &["verified", "failed"]).await;
        assert_eq!(done["state"], "verified", "{phone}: {done}");
    }
    let calls = sim.carried_out(&rules, "dnclists.addresses").await;
    assert_eq!(calls, 40, "each request's send carried out once");
    let injected = sim.carried_out(&json!([]), "dnclists.addresses").await - calls;
    assert!(injected > 0, "the run met at least one failed send");
    let mut listed = sim.dnc_addresses(sales_dnc);
    listed.sort();
    assert_eq!(listed, numbers);
    assert_eq!(entries(&pool, "api").await, [("confirmed".into(), 40)]);
    assert_eq!(app.audit_count("dnc.request").await, 40);
}
