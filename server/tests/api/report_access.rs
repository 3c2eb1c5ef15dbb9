//! An admin restricts a report to chosen roles: the server then refuses the others its page, its
//! export and its figures (audited), lets admins and the chosen roles in, and says so on the
//! report access page; an unknown report is named as the field in error.

use serde_json::json;
use sqlx::PgPool;

use super::call_data_expected::TZ;
use super::helpers::spawn_app_with;
use super::purge_calls::call_json;

#[sqlx::test]
async fn a_report_closed_to_managers_is_refused_them_everywhere(pool: PgPool) {
    let app = spawn_app_with(pool, &[("OCM_REPORT_TIME_ZONE", TZ)]).await;
    let (admin, supervisor, manager) = (
        app.signed_in("admin").await,
        app.signed_in("sup.a").await,
        app.signed_in("mgr.a").await,
    );
    let page = json!({ "request": {} });
    for client in [&admin, &supervisor, &manager] {
        let (status, _) = call_json(&app, client, "reports/compliance", page.clone()).await;
        assert_eq!(status, 200, "everybody reads it by default");
    }
    let response = app
        .call(
            &admin,
            "admin/report-access/save",
            &[
                ("report", "compliance"),
                ("supervisor", "true"),
                ("manager", "false"),
            ],
        )
        .await;
    assert_eq!(response.status(), 200);
    let denied_before = app.audit_count("access.denied").await;

    let (status, _) = call_json(&app, &manager, "reports/compliance", page.clone()).await;
    assert_eq!(status, 403, "the page");
    let (status, _) = call_json(
        &app,
        &manager,
        "reports/compliance-figures",
        json!({ "filters": {} }),
    )
    .await;
    assert_eq!(status, 403, "the figures beside it");
    let export = manager
        .get(app.url("/reports/compliance/export.csv"))
        .send()
        .await
        .unwrap();
    assert_eq!(export.status(), 403, "the export");
    assert_eq!(
        app.audit_count("access.denied").await,
        denied_before + 3,
        "each refusal audited"
    );
    for client in [&admin, &supervisor] {
        let (status, _) = call_json(&app, client, "reports/compliance", page.clone()).await;
        assert_eq!(status, 200);
    }
    let (status, _) = call_json(&app, &manager, "reports/nuisance", page.clone()).await;
    assert_eq!(status, 200, "other reports stay open");

    let (_, rows) = call_json(&app, &admin, "admin/report-access", json!({})).await;
    let compliance = rows
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["report"] == "compliance")
        .unwrap();
    assert_eq!(
        (
            compliance["supervisor"].clone(),
            compliance["manager"].clone()
        ),
        (json!(true), json!(false))
    );
    assert_eq!(compliance["changed_by"], "admin");
    assert_eq!(app.audit_count("report_access.change").await, 1);

    let response = app
        .call(
            &admin,
            "admin/report-access/save",
            &[
                ("report", "payroll"),
                ("supervisor", "true"),
                ("manager", "true"),
            ],
        )
        .await;
    assert_eq!(response.status(), 400);
    assert!(response.text().await.unwrap().contains("report"));
    let response = app
        .call(
            &supervisor,
            "admin/report-access/save",
            &[
                ("report", "compliance"),
                ("supervisor", "true"),
                ("manager", "true"),
            ],
        )
        .await;
    assert_eq!(response.status(), 403, "only admins choose");
}
