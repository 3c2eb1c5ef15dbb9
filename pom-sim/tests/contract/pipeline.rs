//! The whole path a contact file takes: uploaded through OCM's SFTP client into the simulator's
//! drop, imported by a scheduled data-source run (counters checked), then dialled by a campaign
//! job whose attempts, agent intervals and callbacks appear in the feed until the job completes.

use std::collections::BTreeMap;
use std::time::Duration;

use pom::sftp::{SftpAuth, SftpClient, SftpConfig};
use pom_sim::sftp::{spawn_sftp, SftpServerConfig};
use serde_json::json;

use super::dialing::{follow_job, NOON};
use super::helpers::start;

#[tokio::test]
async fn an_uploaded_file_is_imported_and_dialled_to_completion() {
    let h = start().await;
    h.control("clock", json!({ "at_ms": NOON })).await;
    let sftp = spawn_sftp(
        tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap(),
        SftpServerConfig {
            drop_dir: h.drop_dir.clone(),
            users: BTreeMap::from([("ocm".to_string(), "ocm-secret".to_string())]),
            authorized_keys: Vec::new(),
            host_key: h.drop_dir.join(".host_key"),
            quota_bytes: None,
        },
    )
    .unwrap();
    let created = h
        .control(
            "lists",
            json!({ "name": "Pipeline_List", "organization": "Sales" }),
        )
        .await;
    assert!(created.status().is_success());
    let source = json!({
        "name": "Pipeline_DS", "list_name": "Pipeline_List", "organization": "Sales",
        "kind": "append", "file_path": "ocm/pipeline.csv"
    });
    let defined = h
        .http()
        .put(format!("{}/__sim/datasources", h.origin))
        .json(&source)
        .send()
        .await
        .unwrap();
    assert_eq!(defined.status(), 204);
    let campaign = json!({
        "id": 0, "name": "Pipeline_Progressive", "organization": "Sales", "kind": "progressive",
        "finite": true, "lists": ["Pipeline_List"], "schedules": [],
        "completion_codes": ["SALE", "NO_SALE", "CALLBACK", "DNCREQ"]
    });
    assert!(h.control("campaigns", campaign).await.status().is_success());

    let mut csv = String::from("userContactId,firstName,phoneNumber1,phoneNumber1TimeZone\n");
    for i in 0..300 {
        csv.push_str(&format!(
            "PL{i:04},Name {i},+44 7700 9{i:05},Europe/London\n"
        ));
    }
    csv.push_str(
        "PL0000,Duplicate,+447700900000,Europe/London\nPL9999,Bad phone,12,Europe/London\n",
    );
    let client = SftpClient::new(SftpConfig {
        host: "127.0.0.1".into(),
        port: sftp.address.port(),
        user: "ocm".into(),
        auth: SftpAuth::Password("ocm-secret".into()),
        host_key_fingerprint: sftp.host_key_fingerprint.clone(),
        remote_dir: ".".into(),
        timeout: Duration::from_secs(10),
    });
    let report = client.upload(csv.as_bytes(), "pipeline.csv").await.unwrap();
    assert_eq!(report.bytes, csv.len() as u64);

    let pom = h.global();
    pom.schedule_run_once("Pipeline_DS", "2026/11/23 12:00:00", "Europe/London")
        .await
        .unwrap();
    h.fast_clock().await;
    let import = pom
        .get_import_job_status("Pipeline_DS", &["COMPLETED"])
        .await
        .unwrap();
    assert_eq!(import.len(), 1, "the import completed");
    let import = &import[0];
    assert_eq!(
        (
            import.success,
            import.duplicates_ignored,
            import.phone_format_failed,
            import.processed
        ),
        (300, 1, 1, 302)
    );

    h.control("dialer", json!({ "agents_per_org": 20, "seed": 5 }))
        .await;
    assert!(pom.run_campaign("Pipeline_Progressive").await.unwrap());
    let job = pom
        .get_campaign_jobs("Pipeline_Progressive", &[])
        .await
        .unwrap()[0]
        .0;
    h.control("clock", json!({ "speed": 1000 })).await;
    let (records, seen_while_running) = follow_job(&h, job).await;
    assert!(
        seen_while_running.contains("attempt"),
        "{seen_while_running:?}"
    );
    let of_job = |kind: &str| {
        records
            .iter()
            .filter(|r| r["kind"] == kind && (r["job_id"] == job || kind == "agent_interval"))
            .count()
    };
    assert!(
        of_job("attempt") >= 300,
        "every contact dialled at least once"
    );
    assert!(of_job("agent_interval") > 0 && of_job("callback") > 0);
    let first_attempts = records
        .iter()
        .filter(|r| r["kind"] == "attempt" && r["job_id"] == job && r["attempt_number"] == 1)
        .count();
    assert_eq!(first_attempts, 300);
}
