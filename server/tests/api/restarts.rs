//! OCM killed with SIGKILL in the middle of a job, then started again (issue 22, part 1): the
//! real `ocm serve` runs the workers, the job is left claimed by the dead process, the new one
//! takes it over once its heartbeat is stale, and the job ends with exact counts. A DNC upload's
//! send, a contact upload in parts and the automation API's DNC requests here; a purge in
//! `purge_resume`, the call-data ingestion in `call_data` (the binary aborts mid-page).

use serde_json::{json, Value};
use sqlx::PgPool;

use super::api_dnc::{follow, request};
use super::api_v1_calls::{register, token};
use super::dnc::{upload, upload_id};
use super::ocm_process::{wait_until, OcmProcess};
use super::pom_sim::{spawn_web_only, PomSim};
use super::purge_calls::wait_for;
use super::upload_calls::{
    contacts_csv, drop_settings, get_upload, list_with_source, map_source, send, start_drop,
    DROP_PASSWORD,
};

async fn job_row(pool: &PgPool, job_id: i64) -> (String, i32) {
    sqlx::query_as("select state, claims from job where job_id = $1")
        .bind(job_id)
        .fetch_one(pool)
        .await
        .unwrap()
}

#[sqlx::test]
async fn a_dnc_send_killed_mid_way_is_taken_over_and_lists_every_number_once(pool: PgPool) {
    let sim = PomSim::start().await;
    let sales_dnc = sim.add_dnc_list("Sales", Some("Sales"));
    let app = spawn_web_only(pool.clone(), &sim, &[]).await;
    let client = app.signed_in("sup.a").await;
    let mut numbers: Vec<String> = (0..6_000).map(|i| format!("+447914{i:06}")).collect();
    let file = format!("phone\n{}\n", numbers.join("\n"));
    let location = upload(
        &app,
        &client,
        "kill.csv",
        file.into_bytes(),
        &[("mode", "dnc_list".into())],
    )
    .await;
    let id = upload_id(&location);
    // Slow sends, so the process is surely killed with batches still to go.
    let rules = json!([{ "endpoint": "dnclists.addresses", "latency_ms": 300 }]);
    sim.faults(rules.clone()).await;
    let response = app
        .call(&client, "dnc/confirm", &[("upload_id", &id.to_string())])
        .await;
    assert_eq!(response.status(), 200);
    let sent: Value = response.json().await.unwrap();
    let job_id = sent["job"]["job_id"].as_i64().unwrap();

    let first = OcmProcess::start(&pool, &sim, &[]).await;
    let done = wait_until(
        &pool,
        "select done from job where job_id = $1",
        job_id,
        1_000,
    )
    .await;
    first.kill9();
    assert!(done < 6_000, "killed mid-way ({done})");
    assert_eq!(
        job_row(&pool, job_id).await.0,
        "running",
        "the dead process holds it"
    );

    let _second = OcmProcess::start(&pool, &sim, &[]).await;
    let (state, done, failed, skipped, message) =
        wait_for(&pool, job_id, &["completed", "paused", "failed"]).await;
    assert_eq!(
        (state.as_str(), done, failed, skipped),
        ("completed", 6_000, 0, 0),
        "{message:?}"
    );
    assert!(job_row(&pool, job_id).await.1 >= 2, "taken over");
    let mut listed = sim.dnc_addresses(sales_dnc);
    listed.sort();
    numbers.sort();
    assert_eq!(listed, numbers, "every number on POM's list");
    // A batch POM was carrying out at the kill may go again: adding to a DNC list twice changes
    // nothing, and no other batch goes twice.
    let calls = sim.carried_out(&rules, "dnclists.addresses").await;
    assert!((12..=13).contains(&calls), "{calls} sends for 12 batches");
    let confirmed: i64 = sqlx::query_scalar(
        "select count(*) from dnc_entry where source = 'upload' and state = 'confirmed'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(confirmed, 6_000);
    assert_eq!(app.audit_count("dnc.send").await, 1);
    assert_eq!(app.audit_count("dnc.send.completed").await, 1);
}

#[sqlx::test]
async fn a_contact_upload_killed_mid_way_imports_every_part_once(pool: PgPool) {
    let sim = PomSim::start().await;
    let list_id = list_with_source(&sim, "Kill_Target", &[]).await;
    let drop = start_drop(&sim).await;
    let mut settings = drop_settings(&drop, DROP_PASSWORD, &drop.host_key_fingerprint.clone());
    // Forty rows a part: twelve parts, each imported before the next is sent.
    settings.push(("OCM_UPLOAD_POM_PART_MB".into(), "0.00106".into()));
    let borrowed: Vec<(&str, &str)> = settings
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let app = spawn_web_only(pool.clone(), &sim, &borrowed).await;
    let admin = app.signed_in("admin").await;
    map_source(&app, &admin, "Kill_Target", "/ocm/Kill_Target.csv").await;
    let ids: Vec<String> = (1..=480).map(|i| format!("P{i:03}")).collect();
    let phones: Vec<String> = (1..=480).map(|i| format!("+447700900{i:03}")).collect();
    let rows: Vec<(&str, &str, &str, &str, &str)> = ids
        .iter()
        .zip(&phones)
        .map(|(id, phone)| (id.as_str(), "Ann", phone.as_str(), "", ""))
        .collect();
    let id = super::upload_calls::upload(
        &app,
        &admin,
        list_id,
        "Kill_Target_DS",
        ("kill.csv", contacts_csv(&rows)),
    )
    .await;
    let (status, sent) = send(&app, &admin, id).await;
    assert_eq!(status, 200, "{sent}");
    let job_id: i64 =
        sqlx::query_scalar("select job_id from contact_upload where contact_upload_id = $1")
            .bind(id)
            .fetch_one(&pool)
            .await
            .unwrap();

    let first = OcmProcess::start(&pool, &sim, &borrowed).await;
    let part = wait_until(
        &pool,
        "select part::bigint from contact_upload where job_id = $1",
        job_id,
        4,
    )
    .await;
    first.kill9();
    assert!(part < 12, "killed mid-way (part {part})");

    let _second = OcmProcess::start(&pool, &sim, &borrowed).await;
    let (state, _, _, _, message) =
        wait_for(&pool, job_id, &["completed", "paused", "failed"]).await;
    assert_eq!(state, "completed", "{message:?}");
    let done = get_upload(&app, &admin, id).await;
    assert_eq!(done["state"], "completed", "{done}");
    assert!(job_row(&pool, job_id).await.1 >= 2, "taken over");
    let imports: Vec<usize> = sim
        .sim
        .with_world(|w, _| w.import_jobs.values().map(|j| j.total_rows).collect());
    assert_eq!(imports, [40; 12], "twelve imports, none twice");
    let mut present = sim.contact_ids(list_id).await;
    present.sort();
    assert_eq!(present, ids, "every row arrived, once");
    assert_eq!(done["pom_counters"]["success"], 480, "{done}");
    assert_eq!(
        done["pom_counters"]["update"], 0,
        "no row imported twice: {done}"
    );
    assert_eq!(app.audit_count("upload.completed").await, 1);
}

#[sqlx::test]
async fn api_dnc_requests_killed_mid_send_are_sent_again_and_verified(pool: PgPool) {
    let sim = PomSim::start().await;
    let sales_dnc = sim.add_dnc_list("Sales", Some("Sales"));
    let app = spawn_web_only(pool.clone(), &sim, &[]).await;
    let crm = token(&app, &register(&app, "crm", "Sales", &["dnc"]).await).await;
    // A send that takes 1.5 s, well within the 5 s timeout, so only the kill makes it go again;
    // the killed instance's claim runs out after 5 s + 2 s.
    let rules = json!([{ "endpoint": "dnclists.addresses", "latency_ms": 1_500 }]);
    sim.faults(rules.clone()).await;
    let settings = [("OCM_POM_TIMEOUT_SECONDS", "5")];
    let first = OcmProcess::start(&pool, &sim, &settings).await;
    let mut numbers: Vec<String> = (0..30).map(|i| format!("+447915{i:06}")).collect();
    let receipts = futures::future::join_all(
        numbers
            .iter()
            .map(|phone| request(&app, &crm, json!({ "phone": phone }))),
    )
    .await;
    let sending = "select count(*) from dnc_request_item where state = 'sending' and $1 = $1";
    wait_until(&pool, sending, 0, 1).await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    first.kill9();

    let _second = OcmProcess::start(&pool, &sim, &settings).await;
    for receipt in &receipts {
        assert_eq!(receipt.status, 202, "{}", receipt.body);
        let done = follow(&app, &crm, &receipt.body, &["verified", "failed"]).await;
        assert_eq!(done["state"], "verified", "{done}");
    }
    let mut listed = sim.dnc_addresses(sales_dnc);
    listed.sort();
    numbers.sort();
    assert_eq!(listed, numbers, "every number on POM's list");
    let attempts: Vec<i32> =
        sqlx::query_scalar("select distinct attempts from dnc_request_item order by 1")
            .fetch_all(&pool)
            .await
            .unwrap();
    assert!(
        attempts.iter().any(|a| *a >= 2),
        "sent again after the kill: {attempts:?}"
    );
    let confirmed: i64 = sqlx::query_scalar(
        "select count(*) from dnc_entry where source = 'api' and state = 'confirmed'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(confirmed, 30);
    assert_eq!(app.audit_count("dnc.request").await, 30);
}

#[sqlx::test]
async fn a_contact_upload_killed_after_pom_took_its_run_once_is_not_scheduled_again(pool: PgPool) {
    let sim = PomSim::start().await;
    let list_id = list_with_source(&sim, "Lost_Target", &[]).await;
    let drop = start_drop(&sim).await;
    let settings = drop_settings(&drop, DROP_PASSWORD, &drop.host_key_fingerprint.clone());
    let borrowed: Vec<(&str, &str)> = settings
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let app = spawn_web_only(pool.clone(), &sim, &borrowed).await;
    let admin = app.signed_in("admin").await;
    map_source(&app, &admin, "Lost_Target", "/ocm/Lost_Target.csv").await;
    let rows = [
        ("L001", "Ann", "+447700900001", "", ""),
        ("L002", "Bob", "+447700900002", "", ""),
    ];
    let id = super::upload_calls::upload(
        &app,
        &admin,
        list_id,
        "Lost_Target_DS",
        ("lost.csv", contacts_csv(&rows)),
    )
    .await;
    // POM carries the run-once request out and its answer never arrives.
    let lost = json!([{ "endpoint": "datasources.runonce", "error_rate": 1.0, "kind": "lost" }]);
    sim.faults(lost).await;
    let (status, sent) = send(&app, &admin, id).await;
    assert_eq!(status, 200, "{sent}");
    let first = OcmProcess::start(&pool, &sim, &borrowed).await;
    for _ in 0..300 {
        if sim.sim.with_world(|w, _| !w.import_jobs.is_empty()) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(
        sim.sim.with_world(|w, _| !w.import_jobs.is_empty()),
        "POM took the request"
    );
    first.kill9();
    sim.faults(json!([])).await;

    let _second = OcmProcess::start(&pool, &sim, &borrowed).await;
    let done =
        super::upload_calls::wait_upload(&app, &admin, id, &["completed", "error", "failed"]).await;
    assert_eq!(done["state"], "completed", "{done}");
    let requests = sim.carried_out(&json!([]), "datasources.runonce").await;
    assert_eq!(requests, 1, "the part was not scheduled again");
    let imports: Vec<usize> = sim
        .sim
        .with_world(|w, _| w.import_jobs.values().map(|j| j.total_rows).collect());
    assert_eq!(imports, [2], "one import");
    assert_eq!(done["pom_counters"]["success"], 2, "{done}");
    assert_eq!(app.audit_count("upload.scheduled").await, 1);
    // Recorded as scheduled for the start the first process asked for, not when the second
    // resumed (POM's wall times have whole seconds).
    let scheduled_at: time::OffsetDateTime =
        sqlx::query_scalar("select scheduled_at from contact_upload where contact_upload_id = $1")
            .bind(id)
            .fetch_one(&pool)
            .await
            .unwrap();
    let asked_ms = sim
        .sim
        .with_world(|w, _| w.import_jobs.values().map(|j| j.start_ms).next());
    assert_eq!(Some(scheduled_at.unix_timestamp() * 1000), asked_ms);
}
