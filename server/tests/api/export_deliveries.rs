//! Scheduled exports delivered to real peers: e-mail through aiosmtpd (STARTTLS with a password,
//! and TLS from the first byte) with the file attached and read back from the message; a peer
//! that keeps refusing is retried, then the delivery fails for good, is audited and the owner is
//! told; SFTP to OpenSSH `sshd` with the host key pinned, and a destination whose key does not
//! match refused.

use std::collections::BTreeMap;
use std::time::Duration;

use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use sqlx::PgPool;

use super::helpers::{spawn_app_with, TestApp};
use super::purge_calls::call_json;
use super::smtp_peer::{PeerTls, SmtpPeer};
use super::uploads_sftp::support::{self as sftp_support, current_user, Sshd};

/// Run now of a new admin schedule (Sales' audit log today) delivering as `deliveries` says.
async fn run_with(app: &TestApp, deliveries: Value) -> i64 {
    let admin = app.signed_in("admin").await;
    let mut schedule = json!({
        "name": "Daily audit", "report": "audit", "filters": "", "format": "csv",
        "recurrence": { "repeat": { "every": "monthly", "day": { "day": 1 } }, "times": ["03:00"], "time_zone": "UTC" },
        "period": { "period": "today_so_far" },
        "file_name": "audit-{from}", "skip_empty": false, "organization": "Sales",
    });
    for (key, value) in deliveries.as_object().unwrap() {
        schedule[key] = value.clone();
    }
    let (status, id) = call_json(
        app,
        &admin,
        "exports/create",
        json!({ "schedule": schedule }),
    )
    .await;
    assert_eq!(status, 200, "{id}");
    let (status, run) = call_json(app, &admin, "exports/run", json!({ "schedule_id": id })).await;
    assert_eq!(status, 200, "{run}");
    run.as_i64().unwrap()
}

/// The run's deliveries once none is waiting or sending.
async fn settled(app: &TestApp, run_id: i64) -> Vec<BTreeMap<String, Value>> {
    for _ in 0..600 {
        let rows: Vec<Value> = sqlx::query_scalar(
            "select to_jsonb(d) from export_delivery d where export_run_id = $1
             order by export_delivery_id",
        )
        .bind(run_id)
        .fetch_all(&app.pool)
        .await
        .unwrap();
        let done = !rows.is_empty()
            && rows
                .iter()
                .all(|r| r["state"] == "delivered" || r["state"] == "failed");
        if done {
            return rows
                .into_iter()
                .map(|r| r.as_object().unwrap().clone().into_iter().collect())
                .collect();
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the deliveries of run {run_id} did not settle");
}

async fn run_sha256(app: &TestApp, run_id: i64) -> String {
    sqlx::query_scalar("select sha256 from export_run where export_run_id = $1")
        .bind(run_id)
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

fn mail_settings<'a>(ca: &'a str, port: &'a str, security: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("OCM_SMTP_HOST", "127.0.0.1"),
        ("OCM_SMTP_PORT", port),
        ("OCM_SMTP_SECURITY", security),
        ("OCM_SMTP_FROM", "OCM <ocm@example.com>"),
        ("OCM_SMTP_CA_FILE", ca),
        ("OCM_EXPORT_RETRY_SECONDS", "1"),
        ("OCM_EXPORT_DELIVERY_ATTEMPTS", "2"),
        ("OCM_PUBLIC_URL", "https://ocm.example.com"),
        (
            "OCM_EXPORT_EMAIL_DOMAINS",
            "example.com, partner.example, refused.example",
        ),
    ]
}

fn sha_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[sqlx::test]
async fn a_run_is_mailed_through_starttls_with_a_password_and_its_file_attached(pool: PgPool) {
    let peer = SmtpPeer::start(PeerTls::StartTls, Some(("ocm", "mail-secret")), None);
    let (ca, port) = (peer.ca().display().to_string(), peer.port.to_string());
    let mut settings = mail_settings(&ca, &port, "starttls");
    settings.extend([
        ("OCM_SMTP_USER", "ocm"),
        ("OCM_SMTP_PASSWORD", "mail-secret"),
    ]);
    let app = spawn_app_with(pool, &settings).await;
    app.start_workers();
    let run_id = run_with(
        &app,
        json!({ "recipients": ["Ann@Example.com", "bo@partner.example"] }),
    )
    .await;
    // Only to the domains admins allow.
    let admin = app.signed_in("admin").await;
    let mut outside = json!({ "schedule": {
        "name": "Leak", "report": "audit", "filters": "", "format": "csv",
        "recurrence": { "repeat": { "every": "daily" }, "times": ["03:00"], "time_zone": "UTC" },
        "period": { "period": "previous_day" }, "file_name": "x", "skip_empty": false,
        "organization": "Sales", "recipients": ["someone@elsewhere.example"],
    }});
    let (status, error) = call_json(&app, &admin, "exports/create", outside.take()).await;
    assert_eq!(status, 400, "{error}");
    assert!(error.to_string().contains("recipients"), "{error}");
    let deliveries = settled(&app, run_id).await;
    assert_eq!(deliveries.len(), 1, "{deliveries:?}");
    assert_eq!(deliveries[0]["state"], "delivered", "{deliveries:?}");
    assert_eq!(deliveries[0]["detail"]["how"], "attached");
    let messages = peer.messages();
    assert_eq!(messages.len(), 1);
    let message = mailparse::parse_mail(&messages[0]).unwrap();
    let header = |name: &str| {
        message
            .headers
            .iter()
            .find(|h| h.get_key().eq_ignore_ascii_case(name))
            .map(|h| h.get_value())
            .unwrap_or_default()
    };
    assert!(
        header("X-Envelope-To").contains("ann@example.com")
            && header("X-Envelope-To").contains("bo@partner.example")
    );
    assert!(
        header("Subject").starts_with("Daily audit: "),
        "{}",
        header("Subject")
    );
    let attachment = message
        .subparts
        .iter()
        .find(|p| p.get_content_disposition().params.contains_key("filename"))
        .expect("the file is attached");
    let name = attachment.get_content_disposition().params["filename"].clone();
    assert!(
        name.starts_with("audit-") && name.ends_with(".csv"),
        "{name}"
    );
    let body = attachment.get_body_raw().unwrap();
    assert_eq!(
        sha_hex(&body),
        run_sha256(&app, run_id).await,
        "the attachment is the run's file"
    );
    let text = String::from_utf8_lossy(&body);
    assert!(
        text.contains("export_schedule.create"),
        "Sales' audit rows are in it"
    );
    assert_eq!(app.audit_count("export_delivery.delivered").await, 1);
}

#[sqlx::test]
async fn tls_from_the_first_byte_works_and_a_file_over_the_limit_goes_as_a_link(pool: PgPool) {
    let peer = SmtpPeer::start(PeerTls::Wrapper, None, None);
    let (ca, port) = (peer.ca().display().to_string(), peer.port.to_string());
    let mut settings = mail_settings(&ca, &port, "tls");
    settings.push(("OCM_EXPORT_ATTACH_MAX_MB", "0"));
    let app = spawn_app_with(pool, &settings).await;
    app.start_workers();
    let run_id = run_with(&app, json!({ "recipients": ["ann@example.com"] })).await;
    let delivered = settled(&app, run_id).await;
    assert_eq!(delivered[0]["state"], "delivered");
    assert_eq!(delivered[0]["detail"]["how"], "as a link");
    let messages = peer.messages();
    assert_eq!(messages.len(), 1);
    let message = mailparse::parse_mail(&messages[0]).unwrap();
    assert!(message.subparts.is_empty(), "nothing attached");
    let text = message.get_body().unwrap();
    let link = format!("https://ocm.example.com/reports/schedules/runs/{run_id}/file");
    assert!(text.contains(&link), "{text}");
    let anonymous = super::helpers::client()
        .get(app.url(&format!("/reports/schedules/runs/{run_id}/file")))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), 401, "the link needs sign-in");
}

#[sqlx::test]
async fn a_refusing_mail_server_is_retried_then_the_owner_is_told(pool: PgPool) {
    let peer = SmtpPeer::start(PeerTls::StartTls, None, Some("refused.example"));
    let (ca, port) = (peer.ca().display().to_string(), peer.port.to_string());
    let app = spawn_app_with(pool, &mail_settings(&ca, &port, "starttls")).await;
    app.start_workers();
    let run_id = run_with(
        &app,
        json!({ "recipients": ["x@refused.example"], "notify_email": "owner@example.com" }),
    )
    .await;
    let deliveries = settled(&app, run_id).await;
    assert_eq!(
        deliveries.len(),
        2,
        "the delivery and the notice: {deliveries:?}"
    );
    let failed = &deliveries[0];
    assert_eq!(
        (failed["kind"].as_str(), failed["state"].as_str()),
        (Some("email"), Some("failed"))
    );
    assert_eq!(failed["attempts"], 2, "tried again before giving up");
    let error = failed["last_error"].as_str().unwrap();
    assert!(
        error.contains("could not take the message now") && error.contains("451"),
        "{error}"
    );
    assert_eq!(deliveries[1]["kind"], "notice");
    assert_eq!(deliveries[1]["state"], "delivered");
    let messages = peer.messages();
    assert_eq!(messages.len(), 1, "only the notice got through");
    let notice = mailparse::parse_mail(&messages[0]).unwrap();
    let text = notice.get_body().unwrap();
    assert!(
        text.contains("x@refused.example") && text.contains("451"),
        "{text}"
    );
    assert_eq!(app.audit_count("export_delivery.failed").await, 1);
}

#[sqlx::test]
async fn a_run_goes_to_sshd_with_its_host_key_pinned_and_a_wrong_key_is_refused(pool: PgPool) {
    let sshd = Sshd::start();
    let outbox = sshd.dir.join("outbox");
    std::fs::create_dir_all(&outbox).unwrap();
    let (port, key, dir) = (
        sshd.port.to_string(),
        sshd.client_key.display().to_string(),
        outbox.display().to_string(),
    );
    let user = current_user();
    let wrong = "SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s";
    let mut settings = vec![
        ("OCM_EXPORT_SFTP_DESTINATIONS", "archive,spoofed"),
        ("OCM_EXPORT_DELIVERY_ATTEMPTS", "1"),
    ];
    for (name, fingerprint) in [
        ("ARCHIVE", sshd.host_fingerprint.as_str()),
        ("SPOOFED", wrong),
    ] {
        for (suffix, value) in [
            ("HOST", "127.0.0.1"),
            ("PORT", port.as_str()),
            ("USER", user.as_str()),
            ("KEY_FILE", key.as_str()),
            ("HOST_KEY", fingerprint),
            ("DIR", dir.as_str()),
        ] {
            let var: &'static str =
                Box::leak(format!("OCM_EXPORT_SFTP_{name}_{suffix}").into_boxed_str());
            settings.push((var, value));
        }
    }
    let app = spawn_app_with(pool, &settings).await;
    app.start_workers();
    let good = run_with(&app, json!({ "sftp_destination": "archive" })).await;
    let delivered = settled(&app, good).await;
    assert_eq!(delivered[0]["state"], "delivered", "{delivered:?}");
    let names = sftp_support::names_in(&outbox);
    assert_eq!(names.len(), 1, "one file, no temporary left: {names:?}");
    let sent = std::fs::read(outbox.join(&names[0])).unwrap();
    assert_eq!(sha_hex(&sent), run_sha256(&app, good).await);
    assert_eq!(
        delivered[0]["detail"]["how"],
        json!(outbox.join(&names[0]).display().to_string())
    );

    let spoofed = run_with(&app, json!({ "sftp_destination": "spoofed" })).await;
    let refused = settled(&app, spoofed).await;
    assert_eq!(refused[0]["state"], "failed");
    let error = refused[0]["last_error"].as_str().unwrap();
    assert!(error.to_lowercase().contains("host key"), "{error}");
    assert_eq!(
        sftp_support::names_in(&outbox).len(),
        1,
        "nothing reached the spoofed server"
    );
}
