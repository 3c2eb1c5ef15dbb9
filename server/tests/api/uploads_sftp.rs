//! The upload's transfer against a real OpenSSH `sshd` (key sign-in, the pinned host key), with
//! the simulator importing from the folder sshd writes to; and the transfer's failures (host key
//! mismatch, wrong password), which pause the job with the reason and leave POM untouched.

#[path = "../../../pom-sim/tests/sftp/support.rs"]
#[allow(dead_code)]
pub mod support;

use super::pom_sim::{spawn_with_pom, PomSim};
use super::upload_calls::{
    contacts_csv, drop_settings, get_upload, list_with_source, map_source, send, start_drop,
    upload, wait_upload,
};
use support::{current_user, Sshd};

fn owned(settings: &[(&str, String)]) -> Vec<(String, String)> {
    settings
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect()
}

fn borrowed(settings: &[(String, String)]) -> Vec<(&str, &str)> {
    settings
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect()
}

/// OCM's settings for `sshd` (key sign-in as the current user) with `fingerprint` pinned.
fn sshd_settings(sshd: &Sshd, fingerprint: &str) -> Vec<(String, String)> {
    owned(&[
        ("OCM_SFTP_HOST", "127.0.0.1".into()),
        ("OCM_SFTP_PORT", sshd.port.to_string()),
        ("OCM_SFTP_USER", current_user()),
        ("OCM_SFTP_KEY_FILE", sshd.client_key.display().to_string()),
        ("OCM_SFTP_HOST_KEY", fingerprint.to_string()),
        ("OCM_UPLOAD_START_DELAY_SECONDS", "0".into()),
        ("OCM_UPLOAD_FOLLOW_MS", "200".into()),
    ])
}

#[sqlx::test]
async fn the_file_travels_through_openssh_and_is_imported(pool: sqlx::PgPool) {
    let sshd = Sshd::start();
    let drop = sshd.dir.join("drop");
    std::fs::create_dir_all(drop.join("ocm")).unwrap();
    let sim = PomSim::start_in(Some(drop.clone())).await;
    let list_id = list_with_source(&sim, "Sshd_Target", &[]).await;
    let settings = sshd_settings(&sshd, &sshd.host_fingerprint);
    let app = spawn_with_pom(pool, &sim, &borrowed(&settings)).await;
    let admin = app.signed_in("admin").await;
    let remote = format!("{}/ocm/Sshd_Target.csv", drop.display());
    map_source(&app, &admin, "Sshd_Target", &remote).await;
    let file = contacts_csv(&[
        ("S1", "Ann", "+447700900001", "", ""),
        ("S2", "Bob", "+447700900002", "bob@example.com", ""),
    ]);
    let id = upload(&app, &admin, list_id, "Sshd_Target_DS", ("s.csv", file)).await;
    assert_eq!(send(&app, &admin, id).await.0, 200);
    let done = wait_upload(&app, &admin, id, &["completed", "failed", "error"]).await;
    assert_eq!(done["state"], "completed", "{done}");
    let mut ids = sim.contact_ids(list_id).await;
    ids.sort();
    assert_eq!(ids, ["S1", "S2"]);
    let written = std::fs::read_to_string(drop.join("ocm/Sshd_Target.csv")).unwrap();
    assert!(written.starts_with("userContactId,"), "{written}");
    assert_eq!(
        support::names_in(&drop.join("ocm")),
        ["Sshd_Target.csv"],
        "no temporary file left"
    );
}

#[sqlx::test]
async fn a_changed_host_key_is_refused_and_nothing_reaches_pom(pool: sqlx::PgPool) {
    let sshd = Sshd::start();
    let drop = sshd.dir.join("drop");
    std::fs::create_dir_all(drop.join("ocm")).unwrap();
    let sim = PomSim::start_in(Some(drop.clone())).await;
    let list_id = list_with_source(&sim, "Pinned_Target", &[]).await;
    // The client key's fingerprint stands in for "some other server's key".
    let other = support::openssh_fingerprint(&sshd.dir.join("client_key.pub"));
    let settings = sshd_settings(&sshd, &other);
    let app = spawn_with_pom(pool, &sim, &borrowed(&settings)).await;
    let admin = app.signed_in("admin").await;
    let remote = format!("{}/ocm/Pinned_Target.csv", drop.display());
    map_source(&app, &admin, "Pinned_Target", &remote).await;
    let id = upload(
        &app,
        &admin,
        list_id,
        "Pinned_Target_DS",
        (
            "p.csv",
            contacts_csv(&[("P1", "Ann", "+447700900001", "", "")]),
        ),
    )
    .await;
    assert_eq!(send(&app, &admin, id).await.0, 200);
    let paused = wait_paused(&app, &admin, id).await;
    let problem = paused["problem"].as_str().unwrap();
    assert!(
        problem.contains("host key") && problem.contains("Nothing reached POM"),
        "{problem}"
    );
    assert_eq!(paused["state"], "queued");
    assert!(support::names_in(&drop.join("ocm")).is_empty());
    let imports = sim.sim.with_world(|w, _| w.import_jobs.len());
    assert_eq!(imports, 0, "POM was never asked to import");
}

#[sqlx::test]
async fn a_wrong_password_pauses_the_job_with_the_reason(pool: sqlx::PgPool) {
    let sim = PomSim::start().await;
    let list_id = list_with_source(&sim, "Password_Target", &[]).await;
    let drop = start_drop(&sim).await;
    let settings = drop_settings(
        &drop,
        "not-the-password",
        &drop.host_key_fingerprint.clone(),
    );
    let app = spawn_with_pom(pool, &sim, &borrowed(&settings)).await;
    let admin = app.signed_in("admin").await;
    map_source(&app, &admin, "Password_Target", "/ocm/Password_Target.csv").await;
    let id = upload(
        &app,
        &admin,
        list_id,
        "Password_Target_DS",
        (
            "w.csv",
            contacts_csv(&[("W1", "Ann", "+447700900001", "", "")]),
        ),
    )
    .await;
    assert_eq!(send(&app, &admin, id).await.0, 200);
    let paused = wait_paused(&app, &admin, id).await;
    assert!(
        paused["problem"]
            .as_str()
            .unwrap()
            .contains("refused the sign-in"),
        "{paused}"
    );
    assert_eq!(app.audit_count("upload.transfer_failed").await, 1);
}

/// Waits until the upload's job is paused; returns the upload.
async fn wait_paused(
    app: &super::helpers::TestApp,
    client: &reqwest::Client,
    id: i64,
) -> serde_json::Value {
    for _ in 0..300 {
        let view = get_upload(app, client, id).await;
        if view["job"]["state"] == "paused" {
            return view;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!(
        "upload {id} never paused: {}",
        get_upload(app, client, id).await
    );
}
