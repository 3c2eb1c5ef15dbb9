//! The rules around scheduled exports: a run refused when its owner may no longer read the
//! report (moved, demoted, disabled), bad fields named and changes by the owner or an admin only,
//! an empty run skipped, a workbook run, and files erased after the retention.

use serde_json::{json, Value};
use sqlx::PgPool;

use super::export_schedules::{create, ended, exports_app, hourly, pause};
use super::purge_calls::call_json;

#[sqlx::test]
async fn a_run_is_refused_when_its_owner_may_no_longer_read_the_report(pool: PgPool) {
    let (app, _dir) = exports_app(&pool).await;
    app.start_workers();
    let supervisor = app.signed_in("sup.a").await;
    let admin = app.signed_in("admin").await;
    let schedule_id = create(&app, &supervisor, hourly("Sales")).await;
    pause(&app, &supervisor, schedule_id).await;
    let today = time::OffsetDateTime::now_utc().date().to_string();
    let days = json!({ "from": today, "to": today });
    let body = json!({ "schedule_id": schedule_id, "days": days });

    // Moved to another organization's team.
    sqlx::query(
        "update app_user set team_id = (select team_id from team where name = 'Collections Floor')
         where username = 'sup.a'",
    )
    .execute(&app.pool)
    .await
    .unwrap();
    let (status, id) = call_json(&app, &admin, "exports/run", body.clone()).await;
    assert_eq!(status, 200, "{id}");
    let row = ended(&app, id.as_i64().unwrap()).await;
    assert_eq!(row["state"], "refused");
    assert!(
        row["error"]
            .as_str()
            .unwrap()
            .contains("now belongs to organization Collections"),
        "{row:?}"
    );
    assert!(row["file_name"].is_null());

    // Back, but demoted to a role the audit log is closed to.
    sqlx::query(
        "update app_user set role = 'manager',
             team_id = (select team_id from team where name = 'Sales Floor')
         where username = 'sup.a'",
    )
    .execute(&app.pool)
    .await
    .unwrap();
    let (_, id) = call_json(&app, &admin, "exports/run", body.clone()).await;
    let row = ended(&app, id.as_i64().unwrap()).await;
    assert_eq!(row["state"], "refused");
    assert!(
        row["error"]
            .as_str()
            .unwrap()
            .contains("may no longer read this report"),
        "{row:?}"
    );

    // Disabled.
    sqlx::query(
        "update app_user set disabled_at = now(), role = 'supervisor' where username = 'sup.a'",
    )
    .execute(&app.pool)
    .await
    .unwrap();
    let (_, id) = call_json(&app, &admin, "exports/run", body.clone()).await;
    let row = ended(&app, id.as_i64().unwrap()).await;
    assert_eq!(row["state"], "refused");
    assert!(
        row["error"].as_str().unwrap().contains("is disabled"),
        "{row:?}"
    );
    let denied: i64 = sqlx::query_scalar(
        "select count(*) from audit_event where action = 'export_run.end' and outcome = 'denied'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(denied, 3);
    let files = std::fs::read_dir(&_dir).map(|d| d.count()).unwrap_or(0);
    assert_eq!(files, 0, "no file was written for a refused run");
}

#[sqlx::test]
async fn bad_schedules_name_their_field_and_only_owners_and_admins_change_them(pool: PgPool) {
    let (app, _dir) = exports_app(&pool).await;
    let supervisor = app.signed_in("sup.a").await;
    let cases: [(&str, &str, Value); 10] = [
        // Filters are read strictly: a schedule never quietly exports more than was asked.
        ("/schedule/filters", "colour", json!("colour=red")),
        ("/schedule/filters", "sort", json!("sort=sideways")),
        (
            "/schedule/recurrence/repeat",
            "weekdays",
            json!({ "every": "weekly", "weekdays": [] }),
        ),
        (
            "/schedule/recurrence/repeat",
            "day",
            json!({ "every": "monthly", "day": { "day": 32 } }),
        ),
        (
            "/schedule/recurrence/time_zone",
            "time_zone",
            json!("Mars/Olympus"),
        ),
        ("/schedule/recurrence/times", "times", json!(["25:00"])),
        ("/schedule/report", "report", json!("callbacks")),
        ("/schedule/file_name", "file_name", json!("{owner}.csv")),
        ("/schedule/name", "name", json!("  ")),
        (
            "/schedule/period",
            "period",
            json!({ "period": "last_days", "days": 0 }),
        ),
    ];
    for (pointer, field, value) in cases {
        let mut body = hourly("Sales");
        *body.pointer_mut(pointer).unwrap() = value;
        let (status, error) = call_json(&app, &supervisor, "exports/create", body).await;
        assert_eq!(status, 400, "{field}: {error}");
        assert!(error.to_string().contains(field), "{field}: {error}");
    }
    let schedule_id = create(&app, &supervisor, hourly("Sales")).await;
    let manager = app.signed_in("mgr.a").await;
    let (status, error) = call_json(
        &app,
        &manager,
        "exports/change",
        json!({ "schedule_id": schedule_id, "change": "pause" }),
    )
    .await;
    assert_eq!(status, 403, "{error}");
    let other = app.signed_in("sup.b").await;
    let (status, _) = call_json(
        &app,
        &other,
        "exports/change",
        json!({ "schedule_id": schedule_id, "change": "delete" }),
    )
    .await;
    assert_eq!(status, 404, "another organization's schedule is not found");
    for change in ["pause", "resume", "delete"] {
        let (status, error) = call_json(
            &app,
            &supervisor,
            "exports/change",
            json!({ "schedule_id": schedule_id, "change": change }),
        )
        .await;
        assert_eq!(status, 200, "{change}: {error}");
    }
    let (_, listed) = call_json(&app, &supervisor, "exports/schedules", json!({})).await;
    assert_eq!(
        listed["schedules"],
        json!([]),
        "a deleted schedule is gone from the page"
    );
    assert_eq!(app.audit_count("export_schedule.change").await, 3);
}

#[sqlx::test]
async fn an_empty_run_is_skipped_and_files_are_erased_after_the_retention(pool: PgPool) {
    let (app, dir) = exports_app(&pool).await;
    app.start_workers();
    let admin = app.signed_in("admin").await;
    let mut empty = hourly("Sales");
    empty["schedule"]["filters"] = json!("action=nothing.ever");
    empty["schedule"]["skip_empty"] = json!(true);
    let empty_id = create(&app, &admin, empty).await;
    let mut workbook = hourly("Sales");
    workbook["schedule"]["format"] = json!("xlsx");
    let workbook_id = create(&app, &admin, workbook).await;
    let mut ran = Vec::new();
    for schedule_id in [empty_id, workbook_id] {
        pause(&app, &admin, schedule_id).await;
        let (status, id) = call_json(
            &app,
            &admin,
            "exports/run",
            json!({ "schedule_id": schedule_id }),
        )
        .await;
        assert_eq!(status, 200, "{id}");
        ran.push(ended(&app, id.as_i64().unwrap()).await);
    }
    assert_eq!(ran[0]["state"], "empty");
    assert!(ran[0]["file_path"].is_null());
    assert_eq!(ran[1]["state"], "done");
    assert_eq!(ran[1]["trigger"], "run_now");
    let run_id = ran[1]["export_run_id"].as_i64().unwrap();
    let url = app.url(&format!("/reports/schedules/runs/{run_id}/file"));
    let bytes = admin.get(&url).send().await.unwrap().bytes().await.unwrap();
    let mut archive =
        zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).expect("a workbook");
    assert!(archive.by_name("xl/worksheets/sheet1.xml").is_ok());
    assert!(
        ran[1]["rows"].as_i64().unwrap() > 0,
        "the admin's schedule holds Sales' audit rows"
    );

    sqlx::query("update export_run set finished_at = now() - interval '31 days'")
        .execute(&app.pool)
        .await
        .unwrap();
    assert_eq!(
        domain::export_schedules::files::erase_expired(&app.state)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        std::fs::read_dir(&dir).unwrap().count(),
        0,
        "the file is gone"
    );
    assert_eq!(admin.get(&url).send().await.unwrap().status(), 404);
    assert_eq!(app.audit_count("export_file.erased").await, 1);
    let kept: Option<String> =
        sqlx::query_scalar("select sha256 from export_run where export_run_id = $1")
            .bind(run_id)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert!(kept.is_some(), "the record and its digest stay");
}
