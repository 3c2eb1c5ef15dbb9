//! Contact files larger than POM's file limit (issue 23), with a part limit of about 1 KB: the
//! converted file goes over the simulator's SFTP drop as three parts on row boundaries, each
//! imported before the next is sent, every row arrives once and POM's counters are added up;
//! OCM restarted mid-way goes on with the part it was on and sends no part twice; a replace data
//! source, which would keep only the last part, is refused.

use std::time::Duration;

use serde_json::{json, Value};
use tokio_util::sync::CancellationToken;

use super::campaign_calls::call_form;
use super::helpers::TestApp;
use super::pom_sim::{spawn_with_pom, PomSim};
use super::purge_calls::call_json;
use super::upload_calls::{
    contacts_csv, drop_settings, get_upload, list_with_source, map_source, send, start_drop,
    upload, wait_upload, DROP_PASSWORD,
};

/// Rows in the file: three parts of 40.
const ROWS: usize = 120;
/// The converted header (`userContactId,firstName,phoneNumber1,email,EXPIRY_DATE\n`) and rows
/// such as `P001,Ann,+447700900001,,\n`, all the same length.
const HEADER_BYTES: usize = 55;
const ROW_BYTES: usize = 25;
/// Room for the header and 40 rows (1,055 bytes), not 41 (1,080): "0.00106" MB is 1,060 bytes.
const PART_MB: &str = "0.00106";

fn ids() -> Vec<String> {
    (1..=ROWS).map(|i| format!("P{i:03}")).collect()
}

fn file() -> Vec<u8> {
    let phones: Vec<String> = (1..=ROWS).map(|i| format!("+447700900{i:03}")).collect();
    let ids = ids();
    let rows: Vec<(&str, &str, &str, &str, &str)> = ids
        .iter()
        .zip(&phones)
        .map(|(id, phone)| (id.as_str(), "Ann", phone.as_str(), "", ""))
        .collect();
    contacts_csv(&rows)
}

/// OCM with the small part limit over the simulator's drop; `start_delay` seconds before each
/// part's import starts.
async fn spawn(pool: sqlx::PgPool, sim: &PomSim, start_delay: &str) -> TestApp {
    let drop = start_drop(sim).await;
    let mut settings = drop_settings(&drop, DROP_PASSWORD, &drop.host_key_fingerprint.clone());
    settings.retain(|(k, _)| k != "OCM_UPLOAD_START_DELAY_SECONDS");
    settings.push(("OCM_UPLOAD_START_DELAY_SECONDS".into(), start_delay.into()));
    settings.push(("OCM_UPLOAD_POM_PART_MB".into(), PART_MB.into()));
    let borrowed: Vec<(&str, &str)> = settings
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    // The drop keeps serving after its handle goes: dropping a task's handle detaches it.
    spawn_with_pom(pool, sim, &borrowed).await
}

/// The upload's part and part count as stored.
async fn part(app: &TestApp, id: i64) -> (i32, i32, String) {
    sqlx::query_as(
        "select part, coalesce(array_length(part_ends, 1), 1), state from contact_upload
         where contact_upload_id = $1",
    )
    .bind(id)
    .fetch_one(&app.pool)
    .await
    .unwrap()
}

/// Rows per import the simulator ran, in order.
fn imported_rows(sim: &PomSim) -> Vec<usize> {
    sim.sim
        .with_world(|w, _| w.import_jobs.values().map(|j| j.total_rows).collect())
}

/// Checks what every split upload must end with: completed, all rows once, counters added up.
async fn assert_arrived_whole(app: &TestApp, sim: &PomSim, list_id: i64, done: &Value) {
    assert_eq!(done["state"], "completed", "{done}");
    assert_eq!(
        imported_rows(sim),
        [40, 40, 40],
        "three imports, none twice"
    );
    let mut present = sim.contact_ids(list_id).await;
    present.sort();
    assert_eq!(present, ids(), "every row arrived, once");
    let counters = &done["pom_counters"];
    assert_eq!(counters["success"], ROWS, "{done}");
    assert_eq!(counters["update"], 0, "no row was imported twice: {done}");
    assert_eq!(counters["processed"], ROWS, "{done}");
    assert_eq!(done["missing_count"], 0, "{done}");
    assert_eq!(done["job"]["done"], ROWS, "{done}");
    assert_eq!(app.audit_count("upload.transferred").await, 3);
    assert_eq!(app.audit_count("upload.scheduled").await, 3);
    assert_eq!(app.audit_count("upload.completed").await, 1);
}

#[sqlx::test]
async fn a_file_over_the_part_limit_goes_as_parts_and_arrives_whole(pool: sqlx::PgPool) {
    let sim = PomSim::start().await;
    let list_id = list_with_source(&sim, "Split_Target", &[]).await;
    let app = spawn(pool, &sim, "0").await;
    let admin = app.signed_in("admin").await;
    map_source(&app, &admin, "Split_Target", "/ocm/Split_Target.csv").await;
    let id = upload(
        &app,
        &admin,
        list_id,
        "Split_Target_DS",
        ("big.csv", file()),
    )
    .await;
    let (status, sent) = send(&app, &admin, id).await;
    assert_eq!(status, 200, "{sent}");
    let converted: Vec<u8> =
        sqlx::query_scalar("select converted from contact_upload where contact_upload_id = $1")
            .bind(id)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(
        converted.len(),
        HEADER_BYTES + ROWS * ROW_BYTES,
        "{}",
        String::from_utf8_lossy(&converted)
    );
    // The page can say which part is on its way while the upload runs.
    let mut seen_parts = Vec::new();
    let done = loop {
        let view = get_upload(&app, &admin, id).await;
        if let Some(number) = view["part"]["number"].as_i64() {
            assert_eq!(view["part"]["count"], 3, "{view}");
            if seen_parts.last() != Some(&number) {
                seen_parts.push(number);
            }
        }
        if !["queued", "uploaded", "scheduled", "importing"]
            .contains(&view["state"].as_str().unwrap())
        {
            break view;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!(seen_parts.last(), Some(&3), "{seen_parts:?}");
    assert_eq!(part(&app, id).await, (3, 3, "completed".into()));
    assert_arrived_whole(&app, &sim, list_id, &done).await;
    // The drop holds the last part: the header and its 40 rows.
    let last = std::fs::read_to_string(sim.sim.drop_dir().join("ocm/Split_Target.csv")).unwrap();
    assert!(last.starts_with("userContactId,"), "{last}");
    assert_eq!(last.lines().count(), 41);
    assert!(last.lines().nth(1).unwrap().starts_with("P081,"), "{last}");
    // Audited as one upload with its parts; each transfer within the limit.
    let parts: Vec<Value> =
        sqlx::query_scalar("select parameters from audit_event where action = 'upload.send'")
            .fetch_all(&app.pool)
            .await
            .unwrap();
    assert_eq!(parts.len(), 1);
    assert_eq!(parts[0]["parts"], 3, "{}", parts[0]);
    let transfers: Vec<Value> = sqlx::query_scalar(
        "select parameters from audit_event where action = 'upload.transferred' order by audit_event_id",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    for (n, transfer) in transfers.iter().enumerate() {
        assert_eq!(transfer["part"], n + 1, "{transfer}");
        assert_eq!(
            transfer["detail"]["bytes"],
            HEADER_BYTES + 40 * ROW_BYTES,
            "{transfer}"
        );
    }
}

#[sqlx::test]
async fn a_restart_between_parts_goes_on_with_the_part_and_sends_none_twice(pool: sqlx::PgPool) {
    let sim = PomSim::start().await;
    let list_id = list_with_source(&sim, "Resume_Target", &[]).await;
    // Each part waits 2 s on POM's schedule: time to act while a part is scheduled.
    let app = spawn(pool, &sim, "2").await;
    let admin = app.signed_in("admin").await;
    map_source(&app, &admin, "Resume_Target", "/ocm/Resume_Target.csv").await;
    let id = upload(
        &app,
        &admin,
        list_id,
        "Resume_Target_DS",
        ("big.csv", file()),
    )
    .await;
    assert_eq!(send(&app, &admin, id).await.0, 200);

    // POM completes part 1 while OCM cannot read import statuses, and OCM stops (as at
    // shutdown) before it has seen the end: what a crash between POM's end and OCM's next step
    // leaves behind…
    wait_part(&app, id, 1, "scheduled").await;
    sim.faults(
        json!([{ "endpoint": "GetImportJobStatus", "error_rate": 1.0,
        "kind": { "status": 503 } }]),
    )
    .await;
    wait_completed_imports(&sim, 1).await;
    assert_eq!(part(&app, id).await.0, 1, "OCM has not seen part 1 end");
    app.workers.cancel();
    wait_job_handed_back(&app).await;
    sim.faults(json!([])).await;
    // …new workers find part 1 completed and send part 2, once; stopped again while part 3 is
    // scheduled…
    let second = restart(&app);
    wait_part(&app, id, 3, "scheduled").await;
    second.cancel();
    wait_job_handed_back(&app).await;
    assert_eq!(imported_rows(&sim).len(), 3, "each part scheduled once");
    // …and the workers after that follow part 3 to the end without scheduling it again.
    let third = restart(&app);
    let _guard = third.drop_guard();
    let done = wait_upload(&app, &admin, id, &["completed", "failed", "error"]).await;
    assert_arrived_whole(&app, &sim, list_id, &done).await;
}

#[sqlx::test]
async fn a_replace_data_source_takes_no_file_in_parts(pool: sqlx::PgPool) {
    let sim = PomSim::start().await;
    let list_id = list_with_source(&sim, "Replace_Target", &[]).await;
    let app = spawn(pool, &sim, "0").await;
    let admin = app.signed_in("admin").await;
    let input = json!({ "input": { "data_source_id": null, "name": "Replace_Target_DS",
        "organization": "Sales", "list_name": "Replace_Target", "kind": "replace",
        "remote_path": "/ocm/Replace_Target.csv", "delimiter": ",", "header_row": true,
        "columns": "" } });
    let (status, body) = call_json(&app, &admin, "uploads/sources/save", input).await;
    assert_eq!(status, 200, "{body}");
    let id = upload(
        &app,
        &admin,
        list_id,
        "Replace_Target_DS",
        ("big.csv", file()),
    )
    .await;
    let (status, refused) = call_form(
        &app,
        &admin,
        "uploads/send",
        json!({ "upload_id": id, "confirm_replace": true }),
    )
    .await;
    assert_eq!(status, 400, "{refused}");
    let message = refused.to_string();
    assert!(
        message.contains("3 parts") && message.contains("only the last part would stay"),
        "{message}"
    );
    assert_eq!(get_upload(&app, &admin, id).await["state"], "preflight");
    assert!(imported_rows(&sim).is_empty());
}

/// New workers, as a restarted OCM has; cancelled through the returned token.
fn restart(app: &TestApp) -> CancellationToken {
    let token = CancellationToken::new();
    server::workers::spawn_all(&app.state, app.config.session_idle, &token);
    token
}

/// Waits (up to 30 s) until the upload is at `part` in `state`.
async fn wait_part(app: &TestApp, id: i64, number: i32, state: &str) {
    for _ in 0..600 {
        let (at, _, now) = part(app, id).await;
        if at == number && now == state {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!(
        "upload {id} never reached part {number} {state}: {:?}",
        part(app, id).await
    );
}

/// Waits (up to 30 s) until the simulator has completed `count` imports.
async fn wait_completed_imports(sim: &PomSim, count: usize) {
    for _ in 0..600 {
        let completed = sim.sim.with_world(|w, _| {
            w.import_jobs
                .values()
                .filter(|j| j.state == "COMPLETED")
                .count()
        });
        if completed >= count {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("POM never completed {count} imports");
}

/// Waits until the stopped workers have handed the upload job back.
async fn wait_job_handed_back(app: &TestApp) {
    for _ in 0..100 {
        let state: String =
            sqlx::query_scalar("select state from job where kind = 'contact_upload'")
                .fetch_one(&app.pool)
                .await
                .unwrap();
        if state == "queued" {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the upload job was not handed back");
}
