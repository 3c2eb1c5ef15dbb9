//! Regression tests for defects found by trying OCM as an attacker would (issue 14): formula
//! injection through the audit export, downloads and refused streams that left no trace, and DNC
//! lists handed to the wrong organization.

use serde_json::json;
use sqlx::PgPool;

use super::dnc::{upload, upload_id};
use super::helpers::{client, spawn_app};
use super::pom_sim::{spawn_with_pom, PomSim};

/// Cells a spreadsheet would run: after spaces or a stray quote, a formula sign.
fn live_formula(cell: &str) -> bool {
    let cell = cell.trim_start_matches([' ', '"']);
    let signed_number = cell.starts_with(['+', '-'])
        && cell.len() > 1
        && cell[1..].bytes().all(|b| b.is_ascii_digit());
    cell.starts_with(['=', '+', '-', '@']) && !signed_number
}

/// Reads `csv` as Excel does in a locale whose list separator is `;`, and in one where it is `,`:
/// no cell may be a live formula.
fn assert_no_live_formula(csv_text: &str) {
    for separator in [b';', b','] {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(separator)
            .from_reader(csv_text.trim_start_matches('\u{feff}').as_bytes());
        for record in reader.records() {
            for cell in record.unwrap().iter() {
                assert!(!live_formula(cell), "live cell {cell:?} with {separator}");
            }
        }
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn a_hostile_user_agent_never_becomes_a_formula_in_the_audit_export(pool: PgPool) {
    let app = spawn_app(pool).await;
    let payload = "x;=cmd|' /C calc'!A0";
    let response = client()
        .post(app.url("/auth/login"))
        .header("user-agent", payload)
        .form(&[("username", "sup.a"), ("password", "wrong password!")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    let admin = app.signed_in("admin").await;
    let export = admin
        .get(app.url("/audit/export.csv"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        export.contains("cmd|"),
        "the failed sign-in is exported: {export}"
    );
    assert_no_live_formula(&export);
}

#[sqlx::test]
async fn reject_and_failure_downloads_are_audited(pool: PgPool) {
    let sim = PomSim::start().await;
    sim.add_dnc_list("Sales", Some("Sales"));
    let app = spawn_with_pom(pool, &sim, &[("OCM_PHONE_REGION", "GB")]).await;
    let client = app.signed_in("sup.a").await;
    let file = "phone\n+447700900001\nnot a number\n";
    let location = upload(
        &app,
        &client,
        "dnc.csv",
        file.as_bytes().to_vec(),
        &[("mode", "dnc_list".into())],
    )
    .await;
    let id = upload_id(&location);
    for file in ["rejects.csv", "failures.csv"] {
        let response = client
            .get(app.url(&format!("/dnc/uploads/{id}/{file}")))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{file}");
    }
    let files: Vec<serde_json::Value> = sqlx::query_scalar(
        "select parameters from audit_event where action = 'dnc.download' order by audit_event_id",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert_eq!(
        files,
        [
            json!({ "upload_id": id, "file": "rejects.csv" }),
            json!({ "upload_id": id, "file": "failures.csv" })
        ]
    );
}

#[sqlx::test]
async fn a_refused_campaign_stream_is_audited(pool: PgPool) {
    let sim = PomSim::start().await;
    let app = spawn_with_pom(pool, &sim, &[("OCM_PHONE_REGION", "GB")]).await;
    let collections = app.signed_in("sup.b").await;
    let stream = collections
        .get(app.url("/campaigns/events?organization=Sales"))
        .send()
        .await
        .unwrap();
    assert_eq!(stream.status(), 404);
    let refusals: Vec<(String, serde_json::Value)> =
        sqlx::query_as("select target, parameters from audit_event where action = 'access.denied'")
            .fetch_all(&app.pool)
            .await
            .unwrap();
    assert_eq!(
        refusals,
        [(
            "campaigns.events".to_string(),
            json!({ "organization": "Sales" })
        )]
    );
}

#[sqlx::test]
async fn an_organization_never_gets_a_longer_named_organization_s_dnc_list(pool: PgPool) {
    let sim = PomSim::start().await;
    sim.add_dnc_list("SalesEU DNC", Some("SalesEU"));
    let app = spawn_with_pom(
        pool,
        &sim,
        &[("OCM_DNC_LIST_MATCH", "prefix"), ("OCM_PHONE_REGION", "GB")],
    )
    .await;
    let mut conn = app.pool.acquire().await.unwrap();
    domain::users::ensure_organization(&mut conn, "SalesEU")
        .await
        .unwrap();
    drop(conn);
    let client = app.signed_in("sup.a").await;
    let response = client
        .post(app.url("/dnc/upload"))
        .multipart(
            reqwest::multipart::Form::new()
                .part(
                    "file",
                    reqwest::multipart::Part::bytes(b"phone\n+447700900001\n".to_vec())
                        .file_name("dnc.csv"),
                )
                .text("mode", "dnc_list"),
        )
        .send()
        .await
        .unwrap();
    let refused_to = super::helpers::location(&response);
    assert!(
        refused_to.starts_with("/dnc?error="),
        "Sales' upload must not go to SalesEU's list: {refused_to}"
    );
    let targets: i64 = sqlx::query_scalar("select count(*) from dnc_upload")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(targets, 0, "nothing is filed against SalesEU DNC");
}

#[sqlx::test]
async fn a_send_reads_exactly_the_confirmed_numbers_or_sends_nothing(pool: PgPool) {
    let sim = PomSim::start().await;
    let list = sim.add_dnc_list("Sales", Some("Sales"));
    let app = spawn_with_pom(pool.clone(), &sim, &[("OCM_PHONE_REGION", "GB")]).await;
    let client = app.signed_in("sup.a").await;
    let location = upload(
        &app,
        &client,
        "dnc.csv",
        b"phone\n+447700900001\n020 7946 0959\n".to_vec(),
        &[("mode", "dnc_list".into())],
    )
    .await;
    let id = upload_id(&location);
    // What another region, format or reader would make of the file since the check.
    sqlx::query(
        "update dnc_upload set preflight = jsonb_set(preflight, '{valid_sha256}', '\"0\"') where dnc_upload_id = $1",
    )
    .bind(id)
    .execute(&pool)
    .await
    .unwrap();
    let response = app
        .call(&client, "dnc/confirm", &[("upload_id", &id.to_string())])
        .await;
    assert_eq!(response.status(), 200);
    let sent: serde_json::Value = response.json().await.unwrap();
    let job_id = sent["job"]["job_id"].as_i64().unwrap();
    let (state, done, _, _, message) =
        super::purge_calls::wait_for(&pool, job_id, &["failed", "paused", "completed"]).await;
    assert_ne!(state, "completed");
    assert_eq!(done, 0);
    assert!(
        message
            .as_deref()
            .unwrap_or_default()
            .contains("other numbers"),
        "{message:?}"
    );
    assert!(sim.dnc_addresses(list).is_empty(), "nothing reached POM");
    let registered: i64 = sqlx::query_scalar("select count(*) from dnc_entry")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(registered, 0, "nothing was registered as suppressed");
}

#[sqlx::test]
async fn the_converted_file_a_person_downloads_runs_no_formula(pool: PgPool) {
    use super::upload_calls::{
        contacts_csv, drop_settings, list_with_source, map_source, send, start_drop,
        upload as upload_contacts, wait_upload, DROP_PASSWORD,
    };
    let sim = PomSim::start().await;
    let list_id = list_with_source(&sim, "Formula_Target", &[]).await;
    let drop = start_drop(&sim).await;
    let mut settings = drop_settings(&drop, DROP_PASSWORD, &drop.host_key_fingerprint.clone());
    settings.push(("OCM_PHONE_REGION".into(), "GB".into()));
    let borrowed: Vec<(&str, &str)> = settings
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let app = spawn_with_pom(pool, &sim, &borrowed).await;
    let admin = app.signed_in("admin").await;
    map_source(&app, &admin, "Formula_Target", "/ocm/Formula_Target.csv").await;
    let file = contacts_csv(&[(
        "F001",
        "=cmd|' /C calc'!A0",
        "+447700900001",
        "",
        "2027-03-31",
    )]);
    let id = upload_contacts(
        &app,
        &admin,
        list_id,
        "Formula_Target_DS",
        ("evil.csv", file),
    )
    .await;
    let (status, sent) = send(&app, &admin, id).await;
    assert_eq!(status, 200, "{sent}");
    wait_upload(&app, &admin, id, &["completed", "error", "failed"]).await;
    let converted = admin
        .get(app.url(&format!("/uploads/{id}/converted.csv")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(converted.contains("'=cmd|"), "{converted}");
    assert!(converted.contains("\"+447700900001\""), "{converted}");
    assert_no_live_formula(&converted);
}
