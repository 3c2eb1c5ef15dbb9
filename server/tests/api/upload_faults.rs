//! A contact upload while POM fails one call in ten with a 503 (issue 22, part 1): a file of 480
//! rows goes as twelve parts over the simulator's SFTP drop, each scheduled with a run-once
//! request POM sometimes leaves unanswered and followed through status reads that sometimes fail;
//! every part is imported exactly once, every row arrives once, and counters and audit are exact.

use std::time::Duration;

use serde_json::{json, Value};

use super::pom_sim::{spawn_with_pom, PomSim};
use super::upload_calls::{
    contacts_csv, drop_settings, get_upload, list_with_source, map_source, send, start_drop,
    upload, DROP_PASSWORD,
};

const ROWS: usize = 480;
/// Room for the converted header and 40 rows per part (as in `uploads_split`): twelve parts.
const PART_MB: &str = "0.00106";

fn ids() -> Vec<String> {
    (1..=ROWS).map(|i| format!("P{i:03}")).collect()
}

#[sqlx::test]
async fn every_part_is_imported_once_while_one_call_in_ten_fails(pool: sqlx::PgPool) {
    let sim = PomSim::start().await;
    let list_id = list_with_source(&sim, "Faulty_Target", &[]).await;
    let drop = start_drop(&sim).await;
    let mut settings = drop_settings(&drop, DROP_PASSWORD, &drop.host_key_fingerprint.clone());
    settings.push(("OCM_UPLOAD_POM_PART_MB".into(), PART_MB.into()));
    let borrowed: Vec<(&str, &str)> = settings
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let app = spawn_with_pom(pool, &sim, &borrowed).await;
    let admin = app.signed_in("admin").await;
    map_source(&app, &admin, "Faulty_Target", "/ocm/Faulty_Target.csv").await;
    let ids = ids();
    let phones: Vec<String> = (1..=ROWS).map(|i| format!("+447700900{i:03}")).collect();
    let rows: Vec<(&str, &str, &str, &str, &str)> = ids
        .iter()
        .zip(&phones)
        .map(|(id, phone)| (id.as_str(), "Ann", phone.as_str(), "", ""))
        .collect();
    let id = upload(
        &app,
        &admin,
        list_id,
        "Faulty_Target_DS",
        ("faulty.csv", contacts_csv(&rows)),
    )
    .await;

    let rules = json!([{ "endpoint": "*", "error_rate": 0.1, "kind": { "status": 503 } }]);
    sim.faults(rules.clone()).await;
    let (status, sent) = send(&app, &admin, id).await;
    assert_eq!(status, 200, "{sent}");
    let mut done = Value::Null;
    for _ in 0..3_000 {
        done = get_upload(&app, &admin, id).await;
        let state = done["state"].as_str().unwrap().to_string();
        if !["queued", "uploaded", "scheduled", "importing"].contains(&state.as_str()) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(done["state"], "completed", "{done}");

    let imports: Vec<usize> = sim
        .sim
        .with_world(|w, _| w.import_jobs.values().map(|j| j.total_rows).collect());
    assert_eq!(imports, [40; 12], "twelve imports, none twice");
    let scheduled = sim.carried_out(&rules, "datasources.runonce").await;
    assert_eq!(scheduled, 12, "one run-once carried out per part");
    let asked = sim.carried_out(&json!([]), "datasources.runonce").await;
    assert!(
        asked > scheduled,
        "the run met at least one unanswered run-once"
    );
    let mut present = sim.contact_ids(list_id).await;
    present.sort();
    assert_eq!(present, ids, "every row arrived, once");
    let counters = &done["pom_counters"];
    assert_eq!(counters["success"], ROWS, "{done}");
    assert_eq!(counters["update"], 0, "no row was imported twice: {done}");
    assert_eq!(done["missing_count"], 0, "{done}");
    assert_eq!(done["job"]["done"], ROWS, "{done}");
    assert_eq!(app.audit_count("upload.transferred").await, 12);
    assert_eq!(app.audit_count("upload.scheduled").await, 12);
    assert_eq!(app.audit_count("upload.completed").await, 1);
}
