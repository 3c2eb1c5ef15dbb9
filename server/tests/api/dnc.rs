//! DNC against the real POM simulator: a file upload with good, bad and duplicate rows is
//! checked, its reject file downloaded, sent as a job, and exactly the valid unique numbers reach
//! the organization's DNC list and the registry; contact ids are marked uncallable; oversize and
//! unreadable files are refused; single-address actions; dialer kill-list ingestion.

use serde_json::{json, Value};
use sqlx::PgPool;

use super::helpers::TestApp;
use super::pom_sim::{contacts, spawn_with_pom, PomSim};
use super::purge_calls::{call_json, wait_for};

/// Posts the upload form; returns the redirect target.
pub async fn upload(
    app: &TestApp,
    client: &reqwest::Client,
    name: &str,
    bytes: Vec<u8>,
    fields: &[(&str, String)],
) -> String {
    let mut form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(bytes).file_name(name.to_string()),
    );
    for (key, value) in fields {
        form = form.text(key.to_string(), value.clone());
    }
    let response = client
        .post(app.url("/dnc/upload"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303, "{:?}", response.text().await);
    super::helpers::location(&response)
}

pub fn upload_id(location: &str) -> i64 {
    location
        .rsplit('/')
        .next()
        .unwrap()
        .parse()
        .unwrap_or_else(|_| panic!("{location}"))
}

pub async fn report(app: &TestApp, client: &reqwest::Client, body: Value) -> Value {
    let (status, page) = call_json(app, client, "dnc/report", body).await;
    assert_eq!(status, 200, "{page}");
    page
}

pub async fn view(app: &TestApp, client: &reqwest::Client, id: i64) -> Value {
    let response = app
        .call(client, "dnc/upload", &[("upload_id", &id.to_string())])
        .await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

#[sqlx::test]
async fn an_upload_is_checked_sent_and_registered_exactly(pool: PgPool) {
    let sim = PomSim::start().await;
    let sales_dnc = sim.add_dnc_list("Sales", Some("Sales"));
    let app = spawn_with_pom(pool.clone(), &sim, &[("OCM_PHONE_REGION", "GB")]).await;
    let client = app.signed_in("sup.a").await;
    let file = "phone;name\n+44 7700 900001;Ann\n07700900002;Bob\n(07700) 900-003;Cy\n+447700900001;Ann again\n12345;Short\nnot a number;Bad\n;Empty\nann@example.com;Mail\n";
    let location = upload(
        &app,
        &client,
        "dnc.csv",
        file.as_bytes().to_vec(),
        &[("mode", "dnc_list".into())],
    )
    .await;
    let id = upload_id(&location);
    let checked = view(&app, &client, id).await;
    assert_eq!(checked["state"], "preflight", "{checked}");
    assert_eq!(
        (
            checked["rows"].as_u64(),
            checked["valid"].as_u64(),
            checked["duplicates"].as_u64(),
            checked["empty"].as_u64()
        ),
        (Some(8), Some(4), Some(1), Some(1)),
        "{checked}"
    );
    assert!(
        sim.dnc_addresses(sales_dnc).is_empty(),
        "nothing is sent before confirming"
    );

    let rejects = client
        .get(app.url(&format!("/dnc/uploads/{id}/rejects.csv")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        rejects.contains("\"row_number\",\"original_value\",\"reason\""),
        "{rejects}"
    );
    assert!(
        rejects.contains("12345") && rejects.contains("not a number"),
        "{rejects}"
    );
    assert_eq!(
        rejects.lines().count(),
        1 + 4,
        "header + short, letters, duplicate, empty: {rejects}"
    );

    // Timed DNC: the whole upload comes off the organization's list on a chosen day.
    let off_on = (time::OffsetDateTime::now_utc() + time::Duration::days(30))
        .date()
        .to_string();
    let response = app
        .call(
            &client,
            "dnc/confirm",
            &[("upload_id", &id.to_string()), ("off_on", &off_on)],
        )
        .await;
    assert_eq!(response.status(), 200);
    let sent: Value = response.json().await.unwrap();
    let job_id = sent["job"]["job_id"].as_i64().unwrap();
    let (state, done, failed, _, _) = wait_for(&pool, job_id, &["completed"]).await;
    assert_eq!((state.as_str(), done, failed), ("completed", 4, 0));
    let timed: i64 = sqlx::query_scalar(
        "select count(*) from dnc_entry where source = 'upload' and expires_at is not null",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(timed, 4);
    let mut listed = sim.dnc_addresses(sales_dnc);
    listed.sort();
    assert_eq!(
        listed,
        [
            "+447700900001",
            "+447700900002",
            "+447700900003",
            "ann@example.com"
        ]
    );
    let again = app
        .call(&client, "dnc/confirm", &[("upload_id", &id.to_string())])
        .await;
    assert_eq!(again.status(), 400, "an upload is sent once");

    let response = report(
        &app,
        &client,
        json!({ "request": { "filters": { "source": "manual" } } }),
    )
    .await;
    assert_eq!(response["total"], 4);
    assert_eq!(response["rows"][0]["source"], "upload");
    assert_eq!(response["rows"][0]["state"], "confirmed");
    assert_eq!(response["rows"][0]["file_name"], "dnc.csv");
    assert_eq!(app.audit_count("dnc.upload").await, 1);
    assert_eq!(app.audit_count("dnc.send").await, 1);
    let export = client
        .get(app.url("/dnc/report/export.xlsx"))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert_eq!(&export[..2], b"PK");
}

#[sqlx::test]
async fn contact_ids_are_marked_uncallable_in_the_chosen_list(pool: PgPool) {
    let sim = PomSim::start().await;
    let list = sim.add_list("Sales_Stop", "Sales", &contacts(5)).await;
    let app = spawn_with_pom(pool.clone(), &sim, &[]).await;
    let client = app.signed_in("sup.a").await;
    let location = upload(
        &app,
        &client,
        "ids.txt",
        b"userContactId\nC0002\nC0004\n".to_vec(),
        &[
            ("mode", "uncallable".into()),
            ("contact_list_id", list.to_string()),
        ],
    )
    .await;
    let id = upload_id(&location);
    let timed = app
        .call(
            &client,
            "dnc/confirm",
            &[("upload_id", &id.to_string()), ("off_on", "2099-01-01")],
        )
        .await;
    let refused: Value = timed.json().await.unwrap();
    assert!(
        refused.to_string().contains("off_on"),
        "a contact cannot be made callable again: {refused}"
    );
    let sent: Value = app
        .call(&client, "dnc/confirm", &[("upload_id", &id.to_string())])
        .await
        .json()
        .await
        .unwrap();
    let (state, done, _, _, _) = wait_for(
        &pool,
        sent["job"]["job_id"].as_i64().unwrap(),
        &["completed"],
    )
    .await;
    assert_eq!((state.as_str(), done), ("completed", 2));
    let uncallable = sim.sim.with_world(|w, _| {
        w.lists[&list]
            .contacts
            .iter()
            .filter(|(_, c)| !c.callable)
            .map(|(id, _)| id.clone())
            .collect::<Vec<_>>()
    });
    assert_eq!(uncallable, ["C0002", "C0004"]);
    let collections = app.signed_in("sup.b").await;
    let other = upload(
        &app,
        &collections,
        "ids.txt",
        b"C0001\n".to_vec(),
        &[
            ("mode", "uncallable".into()),
            ("contact_list_id", list.to_string()),
        ],
    )
    .await;
    assert_eq!(
        other, "/dnc?error=contact_list_id",
        "another organization's list is refused"
    );
}

#[sqlx::test]
async fn oversize_and_unreadable_files_are_refused_with_the_reason(pool: PgPool) {
    let sim = PomSim::start().await;
    sim.add_dnc_list("Sales", Some("Sales"));
    let app = spawn_with_pom(pool.clone(), &sim, &[("OCM_DNC_MAX_FILE_MB", "1")]).await;
    let client = app.signed_in("sup.a").await;
    let big = vec![b'1'; 2 * 1024 * 1024];
    let form = reqwest::multipart::Form::new()
        .text("mode", "dnc_list")
        .part(
            "file",
            reqwest::multipart::Part::bytes(big).file_name("big.csv"),
        );
    let response = client
        .post(app.url("/dnc/upload"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 413, "refused from its declared length");
    assert!(
        response.text().await.unwrap().contains("1 MB limit"),
        "the limit is named"
    );
    assert_eq!(
        app.audit_count("dnc.upload").await,
        1,
        "the refusal is audited"
    );
    let binary = vec![0u8, 159, 146, 150, 0, 0, 1, 2, 3, 255, 0, 7];
    let location = upload(
        &app,
        &client,
        "numbers.csv",
        binary,
        &[("mode", "dnc_list".into())],
    )
    .await;
    let refused = view(&app, &client, upload_id(&location)).await;
    assert_eq!(refused["state"], "refused");
    assert!(
        refused["problem"].as_str().is_some_and(|p| !p.is_empty()),
        "{refused}"
    );
    let confirm = app
        .call(
            &client,
            "dnc/confirm",
            &[("upload_id", &upload_id(&location).to_string())],
        )
        .await;
    assert_eq!(confirm.status(), 400);
}
