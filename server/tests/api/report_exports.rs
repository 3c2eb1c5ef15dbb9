//! Exports under hostile input: a supervisor's 40,000-character filter is answered and audited
//! cut short; an audit log holding a cell past Excel's limit (an older record, a long user agent)
//! still downloads as a workbook, the cell cut and digit-only targets kept as text; a workbook's
//! audit record carries its row count.

use std::io::{Cursor, Read};

use serde_json::Value;
use sqlx::PgPool;

use super::helpers::{spawn_app, TestApp};

async fn export_parameters(app: &TestApp) -> Vec<Value> {
    sqlx::query_scalar(
        "select parameters from audit_event where action = 'audit.export' order by audit_event_id",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap()
}

fn part(archive: &mut zip::ZipArchive<Cursor<Vec<u8>>>, name: &str) -> String {
    let mut text = String::new();
    archive
        .by_name(name)
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    text
}

#[sqlx::test(migrations = "../migrations")]
async fn a_long_filter_is_audited_short_and_the_audit_workbook_still_downloads(pool: PgPool) {
    let app = spawn_app(pool).await;
    let supervisor = app.signed_in("sup.a").await;
    let long = "a".repeat(40_000);
    for file in ["export.csv", "export.xlsx"] {
        let url = app.url(&format!("/audit/{file}?user={long}"));
        let response = supervisor.get(url).send().await.unwrap();
        assert_eq!(response.status(), 200, "{file}");
        response.bytes().await.unwrap();
    }
    let parameters = export_parameters(&app).await;
    assert_eq!(parameters.len(), 2);
    for recorded in &parameters {
        assert!(recorded.to_string().len() < 1_000, "{recorded}");
        let user = recorded["filters"]["user"].as_str().unwrap();
        assert_eq!(user.chars().count(), 200, "{user}");
        assert!(user.starts_with("aaa") && user.ends_with('…'), "{user}");
    }

    // Records written before filters were bounded, and a digit-only target.
    sqlx::query(
        "insert into audit_event (action, outcome, organization, target)
         values ('test.long', 'success', 'Sales', repeat('x', 40000)),
                ('test.long', 'success', 'Sales', '447700900111')",
    )
    .execute(&app.pool)
    .await
    .unwrap();
    let admin = app.signed_in("admin").await;
    let response = admin
        .get(app.url("/audit/export.xlsx"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let bytes = response.bytes().await.unwrap().to_vec();
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).expect("a valid zip");
    // Report workbooks hold their strings inline in the sheet (constant-memory mode).
    let sheet = part(&mut archive, "xl/worksheets/sheet1.xml");
    assert!(sheet.contains("xxx…[cut: "), "the long cell is cut");
    assert!(
        sheet.contains(">447700900111<"),
        "the target is text, not a number"
    );
    assert!(!sheet.contains("<v>447700900111</v>"));
}

#[sqlx::test(migrations = "../migrations")]
async fn a_workbook_is_audited_with_its_row_count_once_built(pool: PgPool) {
    let app = spawn_app(pool).await;
    sqlx::query(
        "insert into audit_event (action, outcome, organization, target)
         select 'test.count', 'success', 'Sales', 'row ' || g from generate_series(1, 3) g",
    )
    .execute(&app.pool)
    .await
    .unwrap();
    let admin = app.signed_in("admin").await;
    let response = admin
        .get(app.url("/audit/export.xlsx?action=test.count"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let counts: Vec<Option<Value>> = sqlx::query_scalar(
        "select counts from audit_event where action = 'audit.export' order by audit_event_id",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert_eq!(counts.len(), 1);
    assert_eq!(counts[0].as_ref().unwrap()["rows"], 3);

    let refused = admin
        .get(app.url("/audit/export.xlsx?from=not-a-date"))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 400);
    assert_eq!(
        export_parameters(&app).await.len(),
        1,
        "a refused workbook is not recorded as an export"
    );
}
