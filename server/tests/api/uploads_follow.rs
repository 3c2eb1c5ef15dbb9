//! One upload at a time per data source (a second would replace the first's file), upload jobs
//! for admins only, and following an upload's import through trouble: OCM restarted while the import is scheduled
//! picks the job up again and follows it to the end; an import that ends in `ERROR`, and a data
//! source POM does not have, end the upload with the reason.

use std::time::Duration;

use serde_json::json;

use super::campaign_calls::call_form;
use super::pom_sim::{spawn_with_pom, PomSim};
use super::upload_calls::{
    contacts_csv, drop_settings, list_with_source, map_source, send, start_drop, upload,
    wait_upload, DROP_PASSWORD,
};

fn borrowed(settings: &[(String, String)]) -> Vec<(&str, &str)> {
    settings
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect()
}

#[sqlx::test]
async fn a_restart_while_following_picks_the_import_up_again(pool: sqlx::PgPool) {
    let sim = PomSim::start().await;
    let list_id = list_with_source(&sim, "Restart_Target", &[]).await;
    let drop = start_drop(&sim).await;
    let mut settings = drop_settings(&drop, DROP_PASSWORD, &drop.host_key_fingerprint.clone());
    settings.retain(|(k, _)| k != "OCM_UPLOAD_START_DELAY_SECONDS");
    settings.push(("OCM_UPLOAD_START_DELAY_SECONDS".into(), "3".into()));
    let app = spawn_with_pom(pool, &sim, &borrowed(&settings)).await;
    let admin = app.signed_in("admin").await;
    map_source(&app, &admin, "Restart_Target", "/ocm/Restart_Target.csv").await;
    let file = contacts_csv(&[
        ("T1", "Ann", "+447700900001", "", ""),
        ("T2", "Bob", "+447700900002", "", ""),
    ]);
    let id = upload(&app, &admin, list_id, "Restart_Target_DS", ("t.csv", file)).await;
    assert_eq!(send(&app, &admin, id).await.0, 200);
    wait_upload(&app, &admin, id, &["scheduled"]).await;

    // OCM's workers stop (as at shutdown) while POM has not started the import yet…
    app.workers.cancel();
    tokio::time::sleep(Duration::from_millis(500)).await;
    let (state,): (String,) = sqlx::query_as("select state from job where kind = 'contact_upload'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(state, "queued", "the job was handed back");
    // …and new ones pick the job up and follow the import to its end.
    let restarted = tokio_util::sync::CancellationToken::new();
    let _guard = restarted.clone().drop_guard();
    server::workers::spawn_all(&app.state, app.config.session_idle, &restarted);
    let done = wait_upload(&app, &admin, id, &["completed", "failed", "error"]).await;
    assert_eq!(done["state"], "completed", "{done}");
    assert_eq!(done["pom_counters"]["success"], 2);
    let imports = sim.sim.with_world(|w, _| w.import_jobs.len());
    assert_eq!(imports, 1, "the data source was scheduled once");
}

#[sqlx::test]
async fn an_import_error_and_a_missing_data_source_end_the_upload_with_the_reason(
    pool: sqlx::PgPool,
) {
    let sim = PomSim::start().await;
    // POM's data source reads another file than the one OCM's mapping writes: its import fails.
    let list_id = list_with_source(&sim, "Error_Target", &[]).await;
    let drop = start_drop(&sim).await;
    let settings = drop_settings(&drop, DROP_PASSWORD, &drop.host_key_fingerprint.clone());
    let app = spawn_with_pom(pool, &sim, &borrowed(&settings)).await;
    let admin = app.signed_in("admin").await;
    map_source(&app, &admin, "Error_Target", "/ocm/Somewhere_Else.csv").await;
    let file = || {
        (
            "e.csv",
            contacts_csv(&[("E1", "Ann", "+447700900001", "", "")]),
        )
    };
    let id = upload(&app, &admin, list_id, "Error_Target_DS", file()).await;
    assert_eq!(send(&app, &admin, id).await.0, 200);
    let done = wait_upload(&app, &admin, id, &["error", "completed", "failed"]).await;
    assert_eq!(done["state"], "error", "{done}");
    assert_eq!(done["pom_state"], "ERROR");
    assert!(
        done["problem"].as_str().unwrap().contains("ended in ERROR"),
        "{done}"
    );
    assert_eq!(app.audit_count("upload.import_error").await, 1);

    // A mapping naming a data source POM does not have: POM refuses the schedule (-12).
    let other = sim.add_list("Ghost_List", "Sales", &[]).await;
    let input = serde_json::json!({ "input": { "data_source_id": null, "name": "Ghost_DS",
        "organization": "Sales", "list_name": "Ghost_List", "kind": "append",
        "remote_path": "/ocm/Ghost.csv", "delimiter": ",", "header_row": true, "columns": "" } });
    let (status, body) =
        super::purge_calls::call_json(&app, &admin, "uploads/sources/save", input).await;
    assert_eq!(status, 200, "{body}");
    let id = upload(&app, &admin, other, "Ghost_DS", file()).await;
    assert_eq!(send(&app, &admin, id).await.0, 200);
    let done = wait_upload(&app, &admin, id, &["failed", "completed", "error"]).await;
    assert_eq!(done["state"], "failed", "{done}");
    let problem = done["problem"].as_str().unwrap();
    assert!(
        problem.contains("Ghost_DS") && problem.contains("taken back"),
        "{problem}"
    );
    assert!(!sim.sim.drop_dir().join("ocm/Ghost.csv").exists());
}

#[sqlx::test]
async fn one_upload_at_a_time_per_data_source_and_its_job_is_for_admins(pool: sqlx::PgPool) {
    let sim = PomSim::start().await;
    let list_id = list_with_source(&sim, "Busy_Target", &[]).await;
    let drop = start_drop(&sim).await;
    let mut settings = drop_settings(&drop, DROP_PASSWORD, &drop.host_key_fingerprint.clone());
    settings.retain(|(k, _)| k != "OCM_UPLOAD_START_DELAY_SECONDS");
    settings.push(("OCM_UPLOAD_START_DELAY_SECONDS".into(), "2".into()));
    let app = spawn_with_pom(pool, &sim, &borrowed(&settings)).await;
    let admin = app.signed_in("admin").await;
    map_source(&app, &admin, "Busy_Target", "/ocm/Busy_Target.csv").await;
    let first = upload(
        &app,
        &admin,
        list_id,
        "Busy_Target_DS",
        (
            "a.csv",
            contacts_csv(&[("A1", "Ann", "+447700900001", "", "")]),
        ),
    )
    .await;
    let second = upload(
        &app,
        &admin,
        list_id,
        "Busy_Target_DS",
        (
            "b.csv",
            contacts_csv(&[("B1", "Bob", "+447700900002", "", "")]),
        ),
    )
    .await;
    let (status, sent) = send(&app, &admin, first).await;
    assert_eq!(status, 200, "{sent}");
    let (status, again) = send(&app, &admin, first).await;
    assert_eq!(status, 400);
    assert!(again.to_string().contains("already been sent"), "{again}");
    // The second file would replace the first on the drop before POM reads it: refused for now.
    let (status, refused) = send(&app, &admin, second).await;
    assert_eq!(status, 400);
    assert!(
        refused.to_string().contains("still being handed over"),
        "{refused}"
    );
    let job_id = sent["job"]["job_id"].as_i64().unwrap();
    let supervisor = app.signed_in("sup.a").await;
    let (status, _) = call_form(&app, &supervisor, "jobs/get", json!({ "job_id": job_id })).await;
    assert_eq!(
        status, 404,
        "a supervisor does not see an admin's upload job"
    );
    let (status, _) = call_form(
        &app,
        &supervisor,
        "jobs/cancel",
        json!({ "job_id": job_id }),
    )
    .await;
    assert_eq!(status, 404);
    assert_eq!(
        wait_upload(&app, &admin, first, &["completed", "failed", "error"]).await["state"],
        "completed"
    );
    assert_eq!(send(&app, &admin, second).await.0, 200);
    assert_eq!(
        wait_upload(&app, &admin, second, &["completed", "failed", "error"]).await["state"],
        "completed"
    );
    let mut ids = sim.contact_ids(list_id).await;
    ids.sort();
    assert_eq!(ids, ["A1", "B1"]);
}
