//! Audit log reading: scope by role and organization, filters, paging, CSV export.

use serde_json::{json, Map, Value};

use super::helpers::spawn_app;
use super::purge_calls::call_json;

/// The audit page's server function with these filters (first page).
async fn list(
    app: &super::helpers::TestApp,
    client: &reqwest::Client,
    filters: &[(&str, &str)],
) -> (u16, Value) {
    let filters: Map<String, Value> = filters
        .iter()
        .map(|(k, v)| (k.to_string(), json!(v)))
        .collect();
    call_json(
        app,
        client,
        "audit/list",
        json!({ "request": { "filters": filters } }),
    )
    .await
}

fn organizations(page: &serde_json::Value) -> Vec<String> {
    page["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| row["organization"].as_str().unwrap_or("").to_string())
        .collect()
}

#[sqlx::test(migrations = "../migrations")]
async fn a_supervisor_reads_only_their_organizations_events(pool: sqlx::PgPool) {
    let app = spawn_app(pool).await;
    let _b = app.signed_in("sup.b").await;
    let a = app.signed_in("sup.a").await;
    let (status, page) = list(&app, &a, &[]).await;
    assert_eq!(status, 200);
    let orgs = organizations(&page);
    assert!(!orgs.is_empty());
    assert!(orgs.iter().all(|o| o == "Sales"), "{orgs:?}");
    assert_eq!(page["total"], 1, "only sup.a's own sign-in");
    let (status, _) = list(&app, &a, &[("organization", "Collections")]).await;
    assert_eq!(status, 403, "asking for another organization is refused");
}

#[sqlx::test(migrations = "../migrations")]
async fn admin_activity_is_not_filed_under_the_admins_team(pool: sqlx::PgPool) {
    let app = spawn_app(pool).await;
    let _admin = app.signed_in("admin").await;
    let a = app.signed_in("sup.a").await;
    let (_, page) = list(&app, &a, &[("user", "admin")]).await;
    assert_eq!(
        page["total"], 0,
        "the Sales supervisor does not see the admin's sign-in"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn an_admin_reads_every_organization_and_can_narrow_it(pool: sqlx::PgPool) {
    let app = spawn_app(pool).await;
    let _b = app.signed_in("sup.b").await;
    let _a = app.signed_in("sup.a").await;
    let admin = app.signed_in("admin").await;
    let (_, page) = list(&app, &admin, &[]).await;
    let orgs = organizations(&page);
    assert!(
        orgs.contains(&"Sales".to_string()) && orgs.contains(&"Collections".to_string()),
        "{orgs:?}"
    );
    let (_, page) = list(&app, &admin, &[("organization", "Collections")]).await;
    assert_eq!(organizations(&page), vec!["Collections"]);
}

#[sqlx::test(migrations = "../migrations")]
async fn filters_by_user_action_and_period_and_sorts_both_ways(pool: sqlx::PgPool) {
    let app = spawn_app(pool).await;
    let admin = app.signed_in("admin").await;
    let _a = app.signed_in("sup.a").await;
    let (_, page) = list(
        &app,
        &admin,
        &[("user", "SUP.A"), ("action", "login.success")],
    )
    .await;
    assert_eq!(page["total"], 1);
    assert_eq!(page["rows"][0]["username"], "sup.a");
    assert!(page["actions"]
        .as_array()
        .unwrap()
        .contains(&serde_json::json!("login.success")));
    let (_, page) = list(
        &app,
        &admin,
        &[("from", "2000-01-01"), ("to", "2000-01-31")],
    )
    .await;
    assert_eq!(page["total"], 0);
    let (_, newest) = list(&app, &admin, &[("sort", "desc")]).await;
    let (_, oldest) = list(&app, &admin, &[("sort", "asc")]).await;
    assert_eq!(newest["rows"][0]["username"], "sup.a");
    assert_eq!(oldest["rows"][0]["username"], "admin");
}

#[sqlx::test(migrations = "../migrations")]
async fn a_bad_date_is_a_400_naming_the_field(pool: sqlx::PgPool) {
    let app = spawn_app(pool).await;
    let admin = app.signed_in("admin").await;
    let (status, body) = list(&app, &admin, &[("from", "31/12/2026")]).await;
    assert_eq!(status, 400);
    assert_eq!(body["Validation"]["field"], "from");
}

#[sqlx::test(migrations = "../migrations")]
async fn pages_hold_fifty_rows(pool: sqlx::PgPool) {
    let app = spawn_app(pool).await;
    let admin = app.signed_in("admin").await;
    sqlx::query("insert into audit_event (action, outcome, organization) select 'test.bulk', 'success', 'Sales' from generate_series(1, 120)")
        .execute(&app.pool)
        .await
        .unwrap();
    let (_, first) = list(&app, &admin, &[("action", "test.bulk")]).await;
    let mut page = first.clone();
    for _ in 0..2 {
        let request = json!({ "request": { "filters": { "action": "test.bulk" },
            "position": { "after": page["next"], "skipped": page["first"].as_i64().unwrap() - 1 + 50 } } });
        page = call_json(&app, &admin, "audit/list", request).await.1;
    }
    assert_eq!(first["total"], 120);
    assert_eq!(first["rows"].as_array().unwrap().len(), 50);
    assert_eq!(page["rows"].as_array().unwrap().len(), 20);
    assert_eq!(
        (page["first"].as_i64(), &page["next"]),
        (Some(101), &Value::Null)
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn the_csv_export_is_scoped_complete_and_formula_safe(pool: sqlx::PgPool) {
    let app = spawn_app(pool).await;
    let _b = app.signed_in("sup.b").await;
    let a = app.signed_in("sup.a").await;
    sqlx::query("insert into audit_event (action, outcome, organization, target) select 'test.bulk', 'success', 'Sales', '=HYPERLINK(\"http://x\")' from generate_series(1, 4500)")
        .execute(&app.pool)
        .await
        .unwrap();
    let response = a.get(app.url("/audit/export.csv")).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .contains("ocm-audit-"));
    let text = response.text().await.unwrap();
    assert!(text.starts_with('\u{feff}'), "BOM for Excel");
    let lines: Vec<&str> = text.trim_end().split("\r\n").collect();
    assert!(lines[0].contains("occurred_at_utc"));
    // Header, the bulk rows, sup.a's sign-in and the export's own audit record, across batches.
    assert_eq!(lines.len(), 1 + 4500 + 1 + 1);
    assert!(
        !text.contains("Collections"),
        "no other organization's rows"
    );
    assert!(text.contains("'=HYPERLINK"), "formulas neutralised");
    assert!(!text.contains(",=HYPERLINK"));
    assert_eq!(app.audit_count("audit.export").await, 1);
}

#[sqlx::test(migrations = "../migrations")]
async fn audit_rows_cannot_be_changed_or_deleted(pool: sqlx::PgPool) {
    let app = spawn_app(pool).await;
    let _a = app.signed_in("sup.a").await;
    let update = sqlx::query("update audit_event set outcome = 'failure'")
        .execute(&app.pool)
        .await;
    assert!(update.is_err());
    let delete = sqlx::query("delete from audit_event")
        .execute(&app.pool)
        .await;
    assert!(delete.is_err());
    assert_eq!(app.audit_count("login.success").await, 1);
}
