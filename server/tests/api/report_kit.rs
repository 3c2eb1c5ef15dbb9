//! The report kit on a real database: keyset pages visit every row exactly once forwards and
//! backwards (with ties in the sort key) and the total agrees; a crafted position (an instant
//! Postgres cannot hold, a huge or negative count) reads as a page that can exist, never a 500;
//! the one export handler writes CSV
//! and XLSX with formulas neutralised and audits the filters; it refuses the wrong role and pins
//! the caller's organization.

use std::io::{Cursor, Read};

use serde_json::{json, Value};
use sqlx::PgPool;

use super::helpers::{spawn_app, TestApp};
use super::purge_calls::call_json;

async fn page(app: &TestApp, client: &reqwest::Client, filters: &Value, position: Value) -> Value {
    let request = json!({ "request": { "filters": filters, "position": position } });
    let (status, page) = call_json(app, client, "audit/list", request).await;
    assert_eq!(status, 200, "{page}");
    page
}

fn ids(page: &Value) -> Vec<i64> {
    let rows = page["rows"].as_array().unwrap();
    rows.iter().map(|r| r["id"].as_i64().unwrap()).collect()
}

#[sqlx::test(migrations = "../migrations")]
async fn keyset_pages_visit_every_row_once_forwards_and_backwards(pool: PgPool) {
    let app = spawn_app(pool).await;
    let admin = app.signed_in("admin").await;
    // 137 events on three instants: most rows tie on the time of the sort key.
    sqlx::query(
        "insert into audit_event (action, outcome, organization, occurred_at)
         select 'test.tie', 'success', 'Sales',
                timestamptz '2026-11-01 10:00:00+00' + (g % 3) * interval '1 second'
         from generate_series(1, 137) g",
    )
    .execute(&app.pool)
    .await
    .unwrap();
    let newest: Vec<i64> = sqlx::query_scalar(
        "select audit_event_id from audit_event where action = 'test.tie'
         order by occurred_at desc, audit_event_id desc",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    for sort in ["desc", "asc"] {
        let filters = json!({ "action": "test.tie", "sort": sort });
        let mut expected = newest.clone();
        if sort == "asc" {
            expected.reverse();
        }
        let mut current = page(&app, &admin, &filters, json!({})).await;
        let mut forwards = Vec::new();
        loop {
            assert_eq!(current["total"], 137, "{sort}");
            assert_eq!(current["first"], forwards.len() + 1, "{sort}");
            forwards.extend(ids(&current));
            if current["next"].is_null() {
                break;
            }
            let position = json!({ "after": current["next"], "skipped": forwards.len() });
            current = page(&app, &admin, &filters, position).await;
        }
        assert_eq!(forwards, expected, "{sort}: every row once, in order");
        let mut backwards = ids(&current);
        while !current["previous"].is_null() {
            let skipped = (current["first"].as_i64().unwrap() - 1 - 50).max(0);
            let position = json!({ "before": current["previous"], "skipped": skipped });
            current = page(&app, &admin, &filters, position).await;
            assert_eq!(current["total"], 137, "{sort}");
            assert_eq!(current["first"], skipped + 1, "{sort}");
            let mut earlier = ids(&current);
            earlier.append(&mut backwards);
            backwards = earlier;
        }
        assert_eq!(backwards, expected, "{sort}: back to the first page");
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn crafted_positions_read_as_pages_that_can_exist(pool: PgPool) {
    let app = spawn_app(pool).await;
    let admin = app.signed_in("admin").await;
    sqlx::query(
        "insert into audit_event (action, outcome, organization)
         select 'test.crafted', 'success', 'Sales' from generate_series(1, 60)",
    )
    .execute(&app.pool)
    .await
    .unwrap();
    let filters = json!({ "action": "test.crafted" });
    let first = page(&app, &admin, &filters, json!({})).await;
    // The reviewer's token: year -9999, which reached SQL as "timestamp out of range".
    let year_minus_9999 = json!({ "after": "LTM3NzcwNTExNjgwMDAwMDAwMDAwMC4x", "skipped": 50 });
    let read = page(&app, &admin, &filters, year_minus_9999).await;
    assert_eq!((&read["first"], ids(&read)), (&json!(1), ids(&first)));
    for (skipped, expected) in [(i64::MAX, 51), (i64::MIN, 1)] {
        let position = json!({ "after": first["next"], "skipped": skipped });
        let second = page(&app, &admin, &filters, position).await;
        assert_eq!(second["first"], expected, "skipped {skipped}");
        assert_eq!(ids(&second).len(), 10);
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
async fn one_export_handler_writes_csv_and_xlsx_with_formulas_neutralised(pool: PgPool) {
    let app = spawn_app(pool).await;
    let admin = app.signed_in("admin").await;
    sqlx::query(
        "insert into audit_event (action, outcome, organization, target)
         values ('test.export', 'success', 'Sales', '=HYPERLINK(\"http://x\",\"y\")')",
    )
    .execute(&app.pool)
    .await
    .unwrap();
    let csv = admin
        .get(app.url("/audit/export.csv?action=test.export"))
        .send()
        .await
        .unwrap();
    assert_eq!(csv.status(), 200);
    assert!(csv.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    let text = csv.text().await.unwrap();
    let lines: Vec<&str> = text.trim_end().split("\r\n").collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert!(lines[0].starts_with("\u{feff}\"id\",\"occurred_at_utc\",\"username\""));
    assert!(lines[1].contains(",\"'=HYPERLINK("), "{text}");

    let xlsx = admin
        .get(app.url("/audit/export.xlsx?action=test.export"))
        .send()
        .await
        .unwrap();
    assert_eq!(xlsx.status(), 200);
    let disposition = xlsx.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(disposition.contains("ocm-audit-") && disposition.contains(".xlsx\""));
    let bytes = xlsx.bytes().await.unwrap().to_vec();
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let sheet = part(&mut archive, "xl/worksheets/sheet1.xml");
    let strings = part(&mut archive, "xl/sharedStrings.xml");
    assert!(sheet.contains("<sheetData>"), "{sheet}");
    assert!(!sheet.contains("<f>"), "no cell is a formula: {sheet}");
    assert!(
        (sheet.clone() + &strings).contains("=HYPERLINK("),
        "the text is kept"
    );
    assert!(part(&mut archive, "xl/styles.xml").contains("quotePrefix=\"1\""));

    let parameters: Vec<Value> = sqlx::query_scalar(
        "select parameters from audit_event where action = 'audit.export' order by audit_event_id",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    let formats: Vec<&Value> = parameters.iter().map(|p| &p["format"]).collect();
    assert_eq!(formats, [&json!("csv"), &json!("xlsx")]);
    assert!(parameters
        .iter()
        .all(|p| p["filters"]["action"] == "test.export"));
}

#[sqlx::test(migrations = "../migrations")]
async fn exports_refuse_the_wrong_role_and_pin_the_organization(pool: PgPool) {
    let app = spawn_app(pool).await;
    sqlx::query(
        "insert into dnc_entry (organization, address, action, source, list_name,
                                requested_by_name, state)
         values ('Sales', '+447700900123', 'add', 'single', 'Sales DNC', 'sup.a', 'confirmed'),
                ('Collections', '+447700900456', 'add', 'api', 'Collections DNC', 'sup.b', 'pending')",
    )
    .execute(&app.pool)
    .await
    .unwrap();
    // Managers read every report but the audit log (`manager_reports.rs`).
    let manager = app.signed_in("mgr.a").await;
    let status = manager
        .get(app.url("/audit/export.csv"))
        .send()
        .await
        .unwrap()
        .status();
    assert_eq!(status, 403);
    assert_eq!(app.audit_count("access.denied").await, 1);

    let collections = app.signed_in("sup.b").await;
    let get = |client: &reqwest::Client, url: &str| client.get(app.url(url)).send();
    let uploads = get(
        &collections,
        "/uploads/history/export.csv?organization=Sales",
    )
    .await
    .unwrap();
    assert_eq!(
        uploads.status(),
        200,
        "another organization's uploads read as none"
    );
    let other = get(&collections, "/audit/export.csv?organization=Sales")
        .await
        .unwrap();
    assert_eq!(other.status(), 403, "another organization's log is refused");
    let unknown = get(&collections, "/dnc/report/export.pdf").await.unwrap();
    assert_eq!(unknown.status(), 404);
    let theirs = get(&collections, "/dnc/report/export.csv")
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(theirs.contains("+447700900456"), "{theirs}");
    assert!(
        !theirs.contains("+447700900123"),
        "pinned to Collections: {theirs}"
    );
    let admin = app.signed_in("admin").await;
    let all = get(&admin, "/dnc/report/export.csv")
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        all.contains("+447700900456") && all.contains("+447700900123"),
        "{all}"
    );
    assert!(
        all.contains("\"Manual (single entry)\""),
        "sources in words: {all}"
    );
}
