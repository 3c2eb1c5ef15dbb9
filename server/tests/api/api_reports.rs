//! Reports through the automation API: JSON pages keyed like the export, cursor paging, strict
//! filters naming the parameter, the whole report as CSV (Accept or `export.csv`) and as a
//! workbook, organizations kept apart, scopes checked.

use std::time::Duration;

use serde_json::{json, Value};

use super::api_v1_calls::{answer, get, post_json, problem_code, register, token};
use super::helpers::TestApp;
use super::pom_sim::{spawn_with_pom, PomSim};

async fn wait_applied(app: &TestApp) {
    for _ in 0..200 {
        let waiting: i64 =
            sqlx::query_scalar("select count(*) from dnc_request where state = 'accepted'")
                .fetch_one(&app.pool)
                .await
                .unwrap();
        if waiting == 0 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("DNC requests never left accepted");
}

#[sqlx::test]
async fn reports_read_as_pages_and_whole_exports_with_strict_filters(pool: sqlx::PgPool) {
    let sim = PomSim::start().await;
    sim.add_dnc_list("Sales", Some("Sales"));
    let app = spawn_with_pom(pool, &sim, &[]).await;
    let crm = token(
        &app,
        &register(&app, "crm", "Sales", &["dnc", "reports"]).await,
    )
    .await;
    for i in 0..3 {
        let body = json!({ "phone": format!("+44770090050{i}") });
        assert_eq!(post_json(&app, &crm, "/dnc", None, &body).await.status, 202);
    }
    wait_applied(&app).await;

    // A page keyed by the export's columns.
    let page = get(&app, &crm, "/reports/dnc?source=api").await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert_eq!(
        (page.body["report"].as_str(), page.body["total"].as_i64()),
        (Some("dnc"), Some(3))
    );
    let first = &page.body["items"][0];
    assert_eq!(first["source"], "API");
    assert!(
        first["address"]
            .as_str()
            .unwrap()
            .starts_with("+44770090050"),
        "{first}"
    );
    assert!(page.body["next_cursor"].is_null());

    // Paging: the audit report has more than a page of this client's calls.
    for _ in 0..50 {
        get(&app, &crm, "/reports/dnc").await;
    }
    // Reads are audited in batches a moment later.
    let mut audit = get(&app, &crm, "/reports/audit?action=api.read").await;
    for _ in 0..50 {
        if audit.body["next_cursor"].is_string() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
        audit = get(&app, &crm, "/reports/audit?action=api.read").await;
    }
    assert_eq!(audit.status, 200, "{}", audit.body);
    let cursor = audit.body["next_cursor"]
        .as_str()
        .unwrap_or_else(|| panic!("a second page: {}", audit.body["total"]))
        .to_string();
    let second = get(
        &app,
        &crm,
        &format!("/reports/audit?action=api.read&cursor={cursor}"),
    )
    .await;
    assert_eq!(second.status, 200);
    let ids = |page: &Value| -> Vec<String> {
        page["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["id"].to_string())
            .collect()
    };
    assert!(
        ids(&second.body)
            .iter()
            .all(|id| !ids(&audit.body).contains(id)),
        "pages do not overlap"
    );

    // Strict filters: unknown parameters and values the report cannot read are named.
    let unknown = get(&app, &crm, "/reports/dnc?colour=red").await;
    assert_eq!(
        (unknown.status, unknown.body["field"].as_str()),
        (400, Some("colour"))
    );
    let bad_day = get(&app, &crm, "/reports/dnc?from=yesterday").await;
    assert_eq!(
        (bad_day.status, bad_day.body["field"].as_str()),
        (400, Some("from")),
        "{}",
        bad_day.body
    );
    // A filter left out at its default is still known: the audit report's sort.
    let sorted = get(&app, &crm, "/reports/audit?sort=asc").await;
    assert_eq!(sorted.status, 200, "{}", sorted.body);
    let lost = get(&app, &crm, "/reports/dnc?cursor=not-a-cursor").await;
    assert_eq!(
        (lost.status, lost.body["field"].as_str()),
        (400, Some("cursor"))
    );
    let nope = get(&app, &crm, "/reports/nope").await;
    assert_eq!(
        (nope.status, problem_code(&nope)),
        (404, "report_not_found")
    );

    // The whole report: CSV by Accept or file name, a workbook by file name.
    let csv = reqwest::Client::new()
        .get(app.url("/api/v1/reports/dnc?source=api"))
        .bearer_auth(&crm)
        .header("Accept", "text/csv")
        .send()
        .await
        .unwrap();
    assert_eq!(csv.status(), 200);
    assert!(csv.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    let text = csv.text().await.unwrap();
    assert_eq!(text.lines().count(), 4, "header and three rows: {text}");
    assert!(
        text.trim_start_matches('\u{feff}')
            .starts_with("\"requested_at_utc\""),
        "{text}"
    );
    let file = reqwest::Client::new()
        .get(app.url("/api/v1/reports/dnc/export.xlsx"))
        .bearer_auth(&crm)
        .send()
        .await
        .unwrap();
    assert_eq!(file.status(), 200);
    assert_eq!(&file.bytes().await.unwrap()[..2], b"PK");
    let wrong = answer(
        reqwest::Client::new()
            .get(app.url("/api/v1/reports/dnc/export.pdf"))
            .bearer_auth(&crm)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(wrong.status, 404);
    assert!(
        app.audit_count("dnc.report.export").await >= 2,
        "exports are audited"
    );

    // Another organization sees none of it; no scope, no report.
    let other = token(
        &app,
        &register(&app, "coll", "Collections", &["reports"]).await,
    )
    .await;
    let theirs = get(&app, &other, "/reports/dnc?source=api").await;
    assert_eq!(theirs.body["total"], 0, "{}", theirs.body);
    // A client of every organization reads the one it names, not every one.
    let hq = token(&app, &register(&app, "hq", "", &["reports"]).await).await;
    let named = get(
        &app,
        &hq,
        "/reports/dnc?source=api&organization=Collections",
    )
    .await;
    assert_eq!(named.body["total"], 0, "{}", named.body);
    let reader = token(&app, &register(&app, "reader", "Sales", &["dnc"]).await).await;
    let denied = get(&app, &reader, "/reports/dnc").await;
    assert_eq!(
        (denied.status, problem_code(&denied)),
        (403, "insufficient_scope")
    );
}
