//! Purge access rules: another organization's lists, runs and jobs are out of reach; managers do
//! not purge (they read and export the history); admins see every organization.

use serde_json::json;
use sqlx::PgPool;

use super::pom_sim::{contacts, spawn_with_pom, PomSim};
use super::purge_calls::{app_call, call_json, purge, request, wait_for};

#[sqlx::test]
async fn another_organization_s_lists_runs_and_jobs_are_out_of_reach(pool: PgPool) {
    let sim = PomSim::start().await;
    let list = sim.add_list("Sales_Private", "Sales", &contacts(10)).await;
    let app = spawn_with_pom(pool.clone(), &sim, &[]).await;
    let sales = app.signed_in("sup.a").await;
    let (run_id, job_id) = purge(&app, &sales, &request(list, "CAMP_ID", "equals", &["S01"])).await;
    wait_for(&pool, job_id, &["completed"]).await;

    let collections = app.signed_in("sup.b").await;
    let (status, _) = call_json(
        &app,
        &collections,
        "purge/dry_run",
        json!({ "request": request(list, "CAMP_ID", "equals", &["S02"]) }),
    )
    .await;
    assert_eq!(status, 404, "another organization's list is not found");
    let (status, _) = call_json(
        &app,
        &collections,
        "purge/restore",
        json!({ "purge_run_id": run_id, "user_contact_ids": [] }),
    )
    .await;
    assert_eq!(status, 404);
    let response = app
        .call(
            &collections,
            "purge/run",
            &[("purge_run_id", &run_id.to_string())],
        )
        .await;
    assert_eq!(response.status(), 404);
    assert_eq!(
        app_call(&app, &collections, "jobs/get", job_id).await.0,
        404
    );
    assert_eq!(
        app_call(&app, &collections, "jobs/cancel", job_id).await.0,
        404
    );
    let (_, history) = call_json(
        &app,
        &collections,
        "purge/history",
        json!({ "request": {} }),
    )
    .await;
    assert_eq!(history["total"], 0);
    let response = app
        .call(&collections, "lists/list", &[("manual_only", "false")])
        .await;
    assert_eq!(response.status(), 200);
    let lists = response.text().await.unwrap();
    assert!(!lists.contains("Sales_Private"));

    let manager = app.signed_in("mgr.a").await;
    let (status, _) = call_json(
        &app,
        &manager,
        "purge/dry_run",
        json!({ "request": request(list, "CAMP_ID", "equals", &["S02"]) }),
    )
    .await;
    assert_eq!(status, 403, "managers do not purge");
    let admin = app.signed_in("admin").await;
    assert_eq!(
        app_call(&app, &admin, "jobs/get", job_id).await.0,
        200,
        "admins see every organization"
    );
    assert_eq!(sim.contact_ids(list).await.len(), 5);

    let export = |client: reqwest::Client, file: &'static str| {
        let url = app.url(&format!("/purge/history/{file}"));
        async move { client.get(url).send().await.unwrap() }
    };
    let csv = export(sales.clone(), "export.csv").await;
    assert_eq!(csv.status(), 200);
    let text = csv.text().await.unwrap();
    assert!(text.starts_with('\u{feff}'), "a BOM for Excel");
    assert!(
        text.contains("Sales_Private") && text.contains("contract ended"),
        "{text}"
    );
    let xlsx = export(sales, "export.xlsx").await.bytes().await.unwrap();
    assert_eq!(&xlsx[..2], b"PK", "a workbook");
    let theirs = export(collections, "export.csv")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        !theirs.contains("Sales_Private"),
        "another organization's runs are not exported"
    );
    let read = export(manager, "export.csv").await;
    assert_eq!(
        read.status(),
        200,
        "managers read their organization's history"
    );
    assert!(read.text().await.unwrap().contains("Sales_Private"));
    assert_eq!(app.audit_count("purge.export").await, 4);
}
