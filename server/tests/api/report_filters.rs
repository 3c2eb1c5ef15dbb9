//! The report kit's shared filters and exports on a real database: every report reads dates the
//! same way and refuses an end before the start, "contains" filters take `_` and `%` literally,
//! the workbook has headings and the CSV stable keys, both with the words shown on screen, a
//! refused export answers a page linking back to the report, and an upload refused while it
//! streams is audited.

use std::io::{Cursor, Read};

use serde_json::{json, Value};
use sqlx::PgPool;

use super::helpers::{location, spawn_app, spawn_app_with};
use super::purge_calls::call_json;

#[sqlx::test(migrations = "../migrations")]
async fn every_report_refuses_an_end_before_the_start_naming_to(pool: PgPool) {
    let app = spawn_app(pool).await;
    let admin = app.signed_in("admin").await;
    for endpoint in [
        "audit/list",
        "purge/history",
        "dnc/report",
        "uploads/history",
    ] {
        for (from, to, field) in [
            ("2026-11-02", "2026-11-01", "to"),
            ("31/12/2026", "", "from"),
        ] {
            let filters = json!({ "from": from, "to": to });
            let body = json!({ "request": { "filters": filters } });
            let (status, answer) = call_json(&app, &admin, endpoint, body).await;
            assert_eq!(status, 400, "{endpoint}: {answer}");
            assert_eq!(answer["Validation"]["field"], field, "{endpoint}: {answer}");
        }
        let whole_day =
            json!({ "request": { "filters": { "from": "2026-11-01", "to": "2026-11-01" } } });
        let (status, answer) = call_json(&app, &admin, endpoint, whole_day).await;
        assert_eq!(status, 200, "{endpoint}: one day is a range: {answer}");
    }
}

async fn insert_entries(pool: &PgPool) {
    sqlx::query(
        "insert into dnc_entry (organization, address, action, source, list_name,
                                requested_by_name, state)
         values ('Sales', '+447700900001', 'add', 'single', 'Sales_DNC', 'sup.a', 'confirmed'),
                ('Sales', '+447700900002', 'add', 'single', 'SalesXDNC', 'sup.a', 'confirmed'),
                ('Sales', '+447700900003', 'add', 'single', '100% DNC', 'sup.a', 'pending')",
    )
    .execute(pool)
    .await
    .unwrap();
}

#[sqlx::test(migrations = "../migrations")]
async fn contains_filters_take_wildcards_literally(pool: PgPool) {
    let app = spawn_app(pool).await;
    insert_entries(&app.pool).await;
    let admin = app.signed_in("admin").await;
    for (list, expected) in [
        ("s_d", "Sales_DNC"),
        ("0%", "100% DNC"),
        ("salesx", "SalesXDNC"),
    ] {
        let body = json!({ "request": { "filters": { "list": list } } });
        let (status, page) = call_json(&app, &admin, "dnc/report", body).await;
        assert_eq!(status, 200, "{page}");
        assert_eq!(page["total"], 1, "{list}: {page}");
        assert_eq!(page["rows"][0]["list"], expected);
    }
}

fn part(archive: &mut zip::ZipArchive<Cursor<Vec<u8>>>, name: &str) -> String {
    let mut text = String::new();
    if let Ok(mut file) = archive.by_name(name) {
        file.read_to_string(&mut text).unwrap();
    }
    text
}

#[sqlx::test(migrations = "../migrations")]
async fn workbooks_are_for_people_and_csv_for_systems(pool: PgPool) {
    let app = spawn_app(pool).await;
    insert_entries(&app.pool).await;
    let admin = app.signed_in("admin").await;
    let get = |url: &str| admin.get(app.url(url)).send();
    let csv = get("/dnc/report/export.csv?list=Sales_DNC").await.unwrap();
    let csv = csv.text().await.unwrap();
    assert!(
        csv.starts_with("\u{feff}\"requested_at_utc\",\"address\",\"action\""),
        "{csv}"
    );
    assert!(
        csv.contains(",\"Add\",") && csv.contains(",\"Confirmed\","),
        "{csv}"
    );
    let xlsx = get("/dnc/report/export.xlsx?list=Sales_DNC").await.unwrap();
    let bytes = xlsx.bytes().await.unwrap().to_vec();
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let text = part(&mut archive, "xl/worksheets/sheet1.xml")
        + &part(&mut archive, "xl/sharedStrings.xml");
    for words in [
        "Requested (UTC)",
        "POM&apos;s outcome",
        ">Add<",
        ">Confirmed<",
    ] {
        assert!(
            text.contains(words) || text.contains(&words.replace("&apos;", "'")),
            "{words}: {text}"
        );
    }
    assert!(!text.contains("requested_at_utc"), "{text}");
}

#[sqlx::test(migrations = "../migrations")]
async fn refused_exports_answer_a_page_linking_back_to_the_report(pool: PgPool) {
    let app = spawn_app(pool).await;
    let admin = app.signed_in("admin").await;
    let supervisor = app.signed_in("sup.b").await;
    for (client, url, status, back) in [
        (
            &admin,
            "/dnc/report/export.csv?from=nope&list=a",
            400,
            "/dnc/report?from=nope&amp;list=a",
        ),
        (
            &supervisor,
            "/audit/export.xlsx?organization=Sales",
            403,
            "/audit?organization=Sales",
        ),
    ] {
        let response = client.get(app.url(url)).send().await.unwrap();
        assert_eq!(response.status(), status, "{url}");
        let kind = response.headers()["content-type"]
            .to_str()
            .unwrap()
            .to_string();
        assert!(kind.starts_with("text/html"), "{url}: {kind}");
        let page = response.text().await.unwrap();
        assert!(page.contains(&format!("href=\"{back}\"")), "{url}: {page}");
    }
}

#[sqlx::test]
async fn a_contact_upload_that_grows_too_large_while_read_is_audited(pool: PgPool) {
    let app = spawn_app_with(pool, &[("OCM_UPLOAD_MAX_FILE_MB", "1")]).await;
    let admin = app.signed_in("admin").await;
    let file = reqwest::multipart::Part::bytes(vec![b'1'; 1024 * 1024 + 1024]).file_name("big.csv");
    let form = reqwest::multipart::Form::new()
        .part("file", file)
        .text("list_id", "1");
    let response = admin
        .post(app.url("/uploads/file"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(location(&response), "/uploads?error=too_large");
    let parameters: Vec<Value> = sqlx::query_scalar(
        "select parameters from audit_event where action = 'upload.received' and outcome = 'failure'",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert_eq!(parameters.len(), 1, "{parameters:?}");
    assert_eq!(parameters[0]["problem"], "file too large");
    assert_eq!(parameters[0]["declared_bytes"], Value::Null);
}
