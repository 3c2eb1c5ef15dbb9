//! Scheduled exports end to end on the real router, job runner and Postgres: a schedule made
//! from a report's filters, a run of a past period written to the exports folder and
//! downloaded (the same rows as the report's own export, its SHA-256 as recorded); firing
//! exactly once from two instances with the missed instants caught up late. The rules around
//! them are in `export_rules.rs`, deliveries in `export_deliveries.rs`.

use std::collections::BTreeMap;
use std::time::Duration;

use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use sqlx::PgPool;

use super::agent_reports::{simulated_day_with, span, text};
use super::call_reports::csv_rows;
use super::helpers::{spawn_app_with, TestApp};
use super::purge_calls::call_json;

fn schedule(report: &str, filters: &str, format: &str) -> Value {
    json!({ "schedule": {
        "name": "Weekly attempts", "report": report, "filters": filters, "format": format,
        "recurrence": { "repeat": { "every": "weekly", "weekdays": [1] }, "times": ["07:00"],
                        "time_zone": "Europe/London" },
        "period": { "period": "previous_week" },
        "file_name": "{report}-{from}-{to}", "skip_empty": false, "organization": "Sales",
    }})
}

pub async fn create(app: &TestApp, client: &reqwest::Client, body: Value) -> i64 {
    let (status, id) = call_json(app, client, "exports/create", body).await;
    assert_eq!(status, 200, "{id}");
    id.as_i64().unwrap()
}

/// The run's row once it has ended (the job runner is running).
pub async fn ended(app: &TestApp, run_id: i64) -> BTreeMap<String, Value> {
    for _ in 0..300 {
        let row: Option<Value> = sqlx::query_scalar(
            "select to_jsonb(r) from export_run r
             where export_run_id = $1 and state not in ('queued', 'running')",
        )
        .bind(run_id)
        .fetch_optional(&app.pool)
        .await
        .unwrap();
        if let Some(Value::Object(row)) = row {
            return row.into_iter().collect();
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    panic!("run {run_id} did not end");
}

/// A folder of the test's own for the exports.
fn exports_dir() -> std::path::PathBuf {
    static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    std::env::temp_dir().join(format!("ocm-exports-{}-{n}", std::process::id()))
}

pub async fn exports_app(pool: &PgPool) -> (TestApp, std::path::PathBuf) {
    let dir = exports_dir();
    let app = spawn_app_with(pool.clone(), &[("OCM_EXPORT_DIR", dir.to_str().unwrap())]).await;
    (app, dir)
}

#[sqlx::test]
async fn a_rerun_writes_the_filtered_report_and_downloads_as_recorded(pool: PgPool) {
    let dir = exports_dir();
    let exports = dir.to_str().unwrap();
    let (app, records) = simulated_day_with(&pool, &[("OCM_EXPORT_DIR", exports)]).await;
    app.start_workers();
    let (first, last) = span(&records);
    let campaign = records
        .iter()
        .find(|r| r["kind"] == "attempt" && r["organization"] == "Sales")
        .map(|r| text(&r["campaign"]).to_string())
        .unwrap();
    let manager = app.signed_in("mgr.a").await;
    let filters = format!(
        "campaign={}&from=2020-01-01&organization=Collections",
        urlencode(&campaign)
    );
    let schedule_id = create(&app, &manager, schedule("call-attempts", &filters, "csv")).await;
    let (status, run) = call_json(
        &app,
        &manager,
        "exports/run",
        json!({ "schedule_id": schedule_id, "days": { "from": first, "to": last } }),
    )
    .await;
    assert_eq!(status, 200, "{run}");
    let run_id = run.as_i64().unwrap();
    let row = ended(&app, run_id).await;
    assert_eq!(row["state"], "done", "{row:?}");
    assert_eq!(row["trigger"], "rerun");
    assert_eq!(
        row["file_name"],
        format!("call-attempts-{first}-{last}.csv")
    );

    let response = manager
        .get(app.url(&format!("/reports/schedules/runs/{run_id}/file")))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let disposition = response.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        disposition.contains(&format!("call-attempts-{first}-{last}.csv")),
        "{disposition}"
    );
    let bytes = response.bytes().await.unwrap();
    let digest: String = Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(Value::String(digest), row["sha256"]);
    assert_eq!(row["bytes"], json!(bytes.len()));

    // The same rows as the report's own export with the same filters and days, for Sales only
    // (the saved organization filter was dropped: a run is about the schedule's organization).
    let expected = csv_rows(
        &app,
        &manager,
        &format!(
            "/reports/call-attempts/export.csv?campaign={}&from={first}&to={last}",
            urlencode(&campaign)
        ),
    )
    .await;
    assert!(!expected.is_empty());
    let body = String::from_utf8(bytes.to_vec()).unwrap();
    let mut reader = csv::Reader::from_reader(body.trim_start_matches('\u{feff}').as_bytes());
    let headers = reader.headers().unwrap().clone();
    let written: Vec<BTreeMap<String, String>> = reader
        .records()
        .map(|r| {
            headers
                .iter()
                .map(str::to_string)
                .zip(r.unwrap().iter().map(str::to_string))
                .collect()
        })
        .collect();
    assert_eq!(written, expected);
    assert_eq!(row["rows"], json!(expected.len()));
    assert!(written
        .iter()
        .all(|r| r["campaign"] == campaign && r["organization"] == "Sales"));

    // Another organization's supervisor cannot have it, nor see the schedule.
    let other = app.signed_in("sup.b").await;
    let refused = other
        .get(app.url(&format!("/reports/schedules/runs/{run_id}/file")))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 404);
    let (status, _) = call_json(
        &app,
        &other,
        "exports/runs",
        json!({ "schedule_id": schedule_id }),
    )
    .await;
    assert_eq!(status, 404);
    assert_eq!(app.audit_count("export_schedule.create").await, 1);
    assert_eq!(app.audit_count("export_run.requested").await, 1);
    assert_eq!(app.audit_count("export_run.end").await, 1);
    assert_eq!(app.audit_count("export_file.download").await, 1);
}

fn urlencode(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

/// Paused, so that the clock cannot fire it while a test asks for runs of its own.
pub async fn pause(app: &TestApp, client: &reqwest::Client, schedule_id: i64) {
    let body = json!({ "schedule_id": schedule_id, "change": "pause" });
    let (status, error) = call_json(app, client, "exports/change", body).await;
    assert_eq!(status, 200, "{error}");
}

/// Every hour on the hour, UTC, today's audit log so far as CSV.
pub fn hourly(organization: &str) -> Value {
    let times: Vec<String> = (0..24).map(|h| format!("{h:02}:00")).collect();
    json!({ "schedule": {
        "name": "Hourly audit", "report": "audit", "filters": "", "format": "csv",
        "recurrence": { "repeat": { "every": "daily" }, "times": times, "time_zone": "UTC" },
        "period": { "period": "today_so_far" },
        "file_name": "{schedule} {run}", "skip_empty": false, "organization": organization,
    }})
}

#[sqlx::test]
async fn two_instances_fire_each_instant_once_and_catch_up_what_was_missed(pool: PgPool) {
    let (app, _dir) = exports_app(&pool).await;
    let supervisor = app.signed_in("sup.a").await;
    let schedule_id = create(&app, &supervisor, hourly("Sales")).await;
    // OCM was down for three hours and ten minutes: the instants missed are T0 … T0 + 3 h.
    let t0: time::OffsetDateTime = sqlx::query_scalar(
        "update export_schedule set next_run_at = date_trunc('hour', now()) - interval '3 hours'
         where export_schedule_id = $1 returning next_run_at",
    )
    .bind(schedule_id)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    let now = jiff::Timestamp::from_second(t0.unix_timestamp() + 3 * 3600 + 600).unwrap();
    // A second instance: its own state and connections on the same database.
    let other_pool = PgPool::connect_with(app.pool.connect_options().as_ref().clone())
        .await
        .unwrap();
    let other = server::startup::build_state(&app.config, other_pool, None).unwrap();
    let fire = domain::export_schedules::fire::fire_due;
    let (a, b) = tokio::join!(fire(&app.state, now), fire(&other, now));
    assert_eq!(
        a.unwrap() + b.unwrap(),
        4,
        "each missed instant once, across both"
    );
    assert_eq!(fire(&other, now).await.unwrap(), 0, "and never again");
    let runs: Vec<(String, time::OffsetDateTime, Option<i64>)> = sqlx::query_as(
        "select trigger, due_at, job_id from export_run where export_schedule_id = $1 order by due_at",
    )
    .bind(schedule_id)
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert_eq!(runs.len(), 4);
    for (hour, (trigger, due_at, job_id)) in runs.iter().enumerate() {
        assert_eq!(trigger, "catch_up", "run late, and flagged so");
        assert_eq!(*due_at, t0 + time::Duration::hours(hour as i64));
        assert!(job_id.is_some());
    }
    let next: time::OffsetDateTime =
        sqlx::query_scalar("select next_run_at from export_schedule where export_schedule_id = $1")
            .bind(schedule_id)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(next, t0 + time::Duration::hours(4));
    let jobs: i64 = sqlx::query_scalar("select count(*) from job where kind = 'export_run'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(jobs, 4);

    // On time: the next instant fired within the grace is not late; the runs then end.
    let on_time = jiff::Timestamp::from_second(next.unix_timestamp() + 5).unwrap();
    assert_eq!(fire(&app.state, on_time).await.unwrap(), 1);
    let trigger: String = sqlx::query_scalar(
        "select trigger from export_run where export_schedule_id = $1 order by due_at desc limit 1",
    )
    .bind(schedule_id)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(trigger, "schedule");
    app.start_workers();
    let ids: Vec<i64> = sqlx::query_scalar("select export_run_id from export_run order by 1")
        .fetch_all(&app.pool)
        .await
        .unwrap();
    for id in ids {
        let row = ended(&app, id).await;
        assert_eq!(row["state"], "done", "{row:?}");
        assert!(
            row["file_name"]
                .as_str()
                .unwrap()
                .starts_with("Hourly audit "),
            "{row:?}"
        );
    }
}
