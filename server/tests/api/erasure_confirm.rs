//! Confirming an erasure: only the admin who ran the dry run, only once, and the erasures list
//! shows it when done. A person found nowhere still gets a completed erasure (and tombstones).

use serde_json::json;
use sqlx::PgPool;

use super::erasure::{dry_run, request};
use super::pom_sim::{contacts, spawn_with_pom, PomSim};
use super::purge_calls::{app_call, call_json, wait_for};

#[sqlx::test]
async fn a_dry_run_is_confirmed_only_by_its_admin_and_only_once(pool: PgPool) {
    let sim = PomSim::start().await;
    sim.add_list("Sales_A", "Sales", &contacts(3)).await;
    let app = spawn_with_pom(pool.clone(), &sim, &[]).await;
    let admin = app.signed_in("admin").await;
    let (status, plan) = dry_run(&app, &admin, request("", "nobody@example.com")).await;
    assert_eq!(
        (status, plan["contacts_found"].as_i64()),
        (200, Some(0)),
        "{plan}"
    );
    let body = json!({ "erasure_id": plan["erasure_id"], "typed_count": "0" });
    sqlx::query("update app_user set role = 'admin' where username = 'sup.b'")
        .execute(&pool)
        .await
        .unwrap();
    let other = app.signed_in("sup.b").await;
    let (status, refused) = call_json(&app, &other, "admin/erasure/start", body.clone()).await;
    assert_eq!(status, 400, "{refused}");
    let (status, job) = call_json(&app, &admin, "admin/erasure/start", body.clone()).await;
    assert_eq!(status, 200, "{job}");
    let (status, _) = call_json(&app, &admin, "admin/erasure/start", body).await;
    assert_eq!(status, 400, "a second confirmation starts nothing");
    let (state, ..) = wait_for(&pool, job.as_i64().unwrap(), &["completed"]).await;
    assert_eq!(state, "completed");
    let tombstones: i64 = sqlx::query_scalar("select count(*) from erasure_tombstone")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(
        tombstones, 1,
        "the address is kept out even though no contact held it"
    );
    let (status, page) = call_json(
        &app,
        &admin,
        "admin/erasures",
        json!({ "request": { "filters": { "reference": "DSR" } } }),
    )
    .await;
    assert_eq!(status, 200, "{page}");
    assert_eq!(page["rows"][0]["state"], "completed", "{page}");
}

#[sqlx::test]
async fn a_cancelled_erasure_lifts_its_tombstones_and_erases_nothing_in_ocm(pool: PgPool) {
    let sim = PomSim::start().await;
    let list = sim.add_list("Sales_A", "Sales", &contacts(3)).await;
    // C0001 stays "being dialled": its delete is tried again and again, time enough to cancel.
    sim.in_progress(list, "C0001", 3_600.0).await;
    let app = spawn_with_pom(pool.clone(), &sim, &[]).await;
    let admin = app.signed_in("admin").await;
    let (status, plan) = dry_run(&app, &admin, request("+44 7700 900001", "")).await;
    assert_eq!(
        (status, plan["contacts_found"].as_i64()),
        (200, Some(1)),
        "{plan}"
    );
    let body = json!({ "erasure_id": plan["erasure_id"], "typed_count": "1" });
    let (status, job) = call_json(&app, &admin, "admin/erasure/start", body).await;
    assert_eq!(status, 200, "{job}");
    let job_id = job.as_i64().unwrap();
    let tombstones = || async {
        sqlx::query_scalar::<_, i64>("select count(*) from erasure_tombstone")
            .fetch_one(&pool)
            .await
            .unwrap()
    };
    assert_eq!(tombstones().await, 1, "kept from the confirmation on");
    let (status, _) = app_call(&app, &admin, "jobs/cancel", job_id).await;
    assert_eq!(status, 200);
    let (state, ..) = wait_for(&pool, job_id, &["cancelled"]).await;
    assert_eq!(state, "cancelled");
    assert_eq!(
        tombstones().await,
        0,
        "a cancelled erasure suppresses nothing"
    );
    let (erasure_state, identifiers): (String, Option<serde_json::Value>) =
        sqlx::query_as("select state, identifiers from erasure")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!((erasure_state.as_str(), identifiers), ("cancelled", None));
    let certificate = admin
        .get(app.url(&format!(
            "/admin/erasures/{}/certificate.txt",
            plan["erasure_id"]
        )))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        certificate.contains("cancelled: nothing in OCM was erased"),
        "{certificate}"
    );
}

#[sqlx::test]
async fn a_reference_holding_the_person_and_too_many_contacts_are_refused(pool: PgPool) {
    let sim = PomSim::start().await;
    // One number on more contacts than a person has: a switchboard, not a person.
    let shared: Vec<serde_json::Value> = contacts(domain::erasure::plan::MAX_CONTACTS + 1)
        .into_iter()
        .map(|mut c| {
            c["phoneNumber1"] = json!("+447700900999");
            c
        })
        .collect();
    sim.add_list("Sales_A", "Sales", &shared).await;
    let app = spawn_with_pom(pool.clone(), &sim, &[]).await;
    let admin = app.signed_in("admin").await;
    let body = json!({ "request": { "organization": "Sales", "reference": "call 07700 900999",
        "phones": "07700900999", "emails": "", "customer_ids": "" } });
    let (status, refused) = dry_run(&app, &admin, body).await;
    assert_eq!(
        (status, refused["Validation"]["field"].as_str()),
        (400, Some("reference")),
        "the reference goes into the audit log: {refused}"
    );
    let (status, refused) = dry_run(&app, &admin, request("07700900999", "")).await;
    assert_eq!(
        (status, refused["Validation"]["field"].as_str()),
        (400, Some("person")),
        "{refused}"
    );
    assert!(refused.to_string().contains("not one person"), "{refused}");
    let plans: i64 = sqlx::query_scalar("select count(*) from erasure")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(plans, 0, "a refused dry run stores nothing");
}
