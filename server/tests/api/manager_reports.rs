//! Telesales managers read the reports of their own organization without acting: the DNC List
//! report, the purge history and the upload history, as pages and as CSV and Excel exports, never
//! with another organization's rows (asking for one reads as none); the audit log and the
//! upload pages stay closed to them. Also: an upload's page says when POM starts it and how long
//! is left, from the server's clock.

use std::io::{Cursor, Read};

use serde_json::json;
use sqlx::PgPool;

use super::helpers::{spawn_app, TestApp};
use super::purge_calls::call_json;

/// One DNC entry, one purge run and one upload in each organization, each named after it.
async fn seed_both_organizations(app: &TestApp) {
    for (organization, marker, address) in [
        ("Sales", "sales", "+447700900111"),
        ("Collections", "collections", "+447700900999"),
    ] {
        sqlx::query(
            "insert into dnc_entry (organization, address, action, source, list_name,
                                    requested_by_name, state)
             values ($1, $2, 'add', 'single', $3 || '_dnc', 'someone', 'confirmed')",
        )
        .bind(organization)
        .bind(address)
        .bind(marker)
        .execute(&app.pool)
        .await
        .unwrap();
        sqlx::query(
            "with j as (insert into job (kind, organization, created_by_name, state)
                        values ('purge', $1, 'someone', 'completed') returning job_id)
             insert into purge_run (job_id, organization, contact_list_id, contact_list_name, mode,
                                    attribute, operator, filter_values, filter_text, reason,
                                    requested_by_name, list_total_before, matched,
                                    snapshot_expires_at)
             select job_id, $1, 7, $2 || '_purged_list', 'normal', 'CAMP_ID', 'equals', '[\"S01\"]',
                    'CAMP_ID equals S01', 'contract ended', 'someone', 10, 2,
                    now() + interval '30 days'
             from j",
        )
        .bind(organization)
        .bind(marker)
        .execute(&app.pool)
        .await
        .unwrap();
        sqlx::query(
            "insert into contact_upload (organization, list_id, list_name, data_source,
                 data_source_kind, remote_path, file_name, file_sha256, file_bytes, state,
                 created_by_name, files_expire_at)
             values ($1, 7, $2 || '_upload_list', $2 || '_DS', 'append', '/ocm/x.csv',
                     $2 || '-leads.csv', 'ab', 10, 'completed', 'admin', now() + interval '30 days')",
        )
        .bind(organization)
        .bind(marker)
        .execute(&app.pool)
        .await
        .unwrap();
    }
}

/// The workbook's text: report workbooks hold their strings inline in the sheet (constant-memory
/// mode), other workbooks in the shared string table.
fn shared_strings(bytes: Vec<u8>) -> String {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).expect("a workbook");
    let mut text = String::new();
    for part in ["xl/worksheets/sheet1.xml", "xl/sharedStrings.xml"] {
        if let Ok(mut file) = archive.by_name(part) {
            file.read_to_string(&mut text).unwrap();
        }
    }
    text
}

#[sqlx::test(migrations = "../migrations")]
async fn a_manager_reads_and_exports_the_three_reports_of_their_own_organization(pool: PgPool) {
    let app = spawn_app(pool).await;
    seed_both_organizations(&app).await;
    let manager = app.signed_in("mgr.a").await;

    for endpoint in ["dnc/report", "purge/history", "uploads/history"] {
        let (status, page) = call_json(&app, &manager, endpoint, json!({ "request": {} })).await;
        assert_eq!(status, 200, "{endpoint}: {page}");
        assert_eq!(page["total"], 1, "{endpoint}: only Sales: {page}");
        assert_eq!(page["rows"][0]["organization"], "Sales", "{endpoint}");
    }
    let asked = json!({ "request": { "filters": { "organization": "Collections" } } });
    let (status, page) = call_json(&app, &manager, "uploads/history", asked).await;
    assert_eq!(status, 200, "{page}");
    assert_eq!(
        page["total"], 0,
        "another organization reads as none: {page}"
    );

    for (report, ours, theirs) in [
        ("/dnc/report", "+447700900111", "+447700900999"),
        (
            "/purge/history",
            "sales_purged_list",
            "collections_purged_list",
        ),
        (
            "/uploads/history",
            "sales-leads.csv",
            "collections-leads.csv",
        ),
    ] {
        let csv = manager
            .get(app.url(&format!("{report}/export.csv?organization=Collections")))
            .send()
            .await
            .unwrap();
        assert_eq!(csv.status(), 200, "{report}");
        let text = csv.text().await.unwrap();
        assert!(!text.contains(theirs), "{report}: {text}");
        let csv = manager
            .get(app.url(&format!("{report}/export.csv")))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            csv.contains(ours) && !csv.contains(theirs),
            "{report}: {csv}"
        );
        let xlsx = manager
            .get(app.url(&format!("{report}/export.xlsx")))
            .send()
            .await
            .unwrap();
        assert_eq!(xlsx.status(), 200, "{report}");
        let strings = shared_strings(xlsx.bytes().await.unwrap().to_vec());
        assert!(
            strings.contains(ours) && !strings.contains(theirs),
            "{report}: {strings}"
        );
    }
    assert_eq!(app.audit_count("access.denied").await, 0);
    for action in ["dnc.report.export", "purge.export", "upload.history.export"] {
        assert_eq!(app.audit_count(action).await, 3, "{action}");
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn a_manager_still_cannot_open_the_audit_log_or_the_upload_pages(pool: PgPool) {
    let app = spawn_app(pool).await;
    seed_both_organizations(&app).await;
    let manager = app.signed_in("mgr.a").await;
    let (status, answer) = call_json(&app, &manager, "audit/list", json!({ "request": {} })).await;
    assert_eq!(status, 403, "{answer}");
    for (endpoint, form) in [
        ("uploads/sources", &[][..]),
        ("uploads/get", &[("upload_id", "1")][..]),
    ] {
        let status = app.call(&manager, endpoint, form).await.status();
        assert_eq!(status, 403, "{endpoint}");
    }
    let export = manager
        .get(app.url("/audit/export.csv"))
        .send()
        .await
        .unwrap();
    assert_eq!(export.status(), 403);
    assert_eq!(app.audit_count("access.denied").await, 4);
}

#[sqlx::test(migrations = "../migrations")]
async fn an_upload_says_when_pom_starts_it_and_how_long_is_left(pool: PgPool) {
    let app = spawn_app(pool).await;
    let upload_id: i64 = sqlx::query_scalar(
        "insert into contact_upload (organization, list_id, list_name, data_source,
             data_source_kind, remote_path, file_name, file_sha256, file_bytes, state,
             scheduled_for, scheduled_at, time_zone, created_by_name, files_expire_at)
         values ('Sales', 7, 'L', 'L_DS', 'append', '/ocm/L.csv', 'l.csv', 'ab', 10, 'scheduled',
                 '2026/12/05 10:05:00', now() + interval '240 seconds', 'UTC', 'admin',
                 now() + interval '30 days')
         returning contact_upload_id",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    let admin = app.signed_in("admin").await;
    let id = upload_id.to_string();
    let response = app.call(&admin, "uploads/get", &[("upload_id", &id)]).await;
    assert_eq!(response.status(), 200);
    let view: serde_json::Value = response.json().await.unwrap();
    let left = view["starts_in_seconds"].as_i64().unwrap();
    assert!((230..=240).contains(&left), "{view}");
    assert!(
        view["scheduled_at"].as_str().unwrap().ends_with('Z'),
        "{view}"
    );
    assert_eq!(view["start_delay_seconds"], 300);
}
