//! The HTTP edge every plain route goes through: `Caller` refuses a signed-out caller (401) and a
//! wrong role (403, audited), the multipart reader refuses an oversize file (naming the limit when
//! refused from its declared length), and a download is an attachment the browser does not store.

use sqlx::PgPool;

use super::dnc::{upload, upload_id};
use super::helpers::{client_without_cookies, location, spawn_app, spawn_app_with};
use super::pom_sim::{spawn_with_pom, PomSim};

#[sqlx::test]
async fn a_signed_out_caller_gets_401_on_downloads_and_streams(pool: PgPool) {
    let app = spawn_app(pool).await;
    let client = client_without_cookies();
    for path in [
        "/dnc/uploads/1/rejects.csv",
        "/uploads/1/original",
        "/reports/schedules/runs/1/file",
        "/events",
        "/campaigns/events",
    ] {
        let response = client.get(app.url(path)).send().await.unwrap();
        assert_eq!(response.status(), 401, "{path}");
        let body: serde_json::Value = response.json().await.unwrap();
        assert!(body["message"].is_string(), "{path}: {body}");
    }
}

#[sqlx::test]
async fn a_wrong_role_gets_403_and_the_refusal_is_audited(pool: PgPool) {
    let app = spawn_app(pool).await;
    let manager = app.signed_in("mgr.a").await;
    for path in ["/dnc/uploads/1/rejects.csv", "/uploads/1/original"] {
        let response = manager.get(app.url(path)).send().await.unwrap();
        assert_eq!(response.status(), 403, "{path}");
    }
    let refused: Vec<(String, String)> = sqlx::query_as(
        "select username, target from audit_event where action = 'access.denied'
         order by audit_event_id",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert_eq!(
        refused,
        [
            ("mgr.a".to_string(), "dnc.download".to_string()),
            ("mgr.a".to_string(), "uploads.download".to_string())
        ]
    );
}

#[sqlx::test]
async fn an_oversize_contact_file_is_refused_naming_the_limit(pool: PgPool) {
    let app = spawn_app_with(pool, &[("OCM_UPLOAD_MAX_FILE_MB", "1")]).await;
    let admin = app.signed_in("admin").await;
    let form = reqwest::multipart::Form::new()
        .text("list_id", "1")
        .text("data_source", "Contacts")
        .part(
            "file",
            reqwest::multipart::Part::bytes(vec![b'1'; 2 * 1024 * 1024]).file_name("big.csv"),
        );
    let response = admin
        .post(app.url("/uploads/file"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 413, "refused from its declared length");
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("larger than the 1 MB upload limit"),
        "the limit is named"
    );
    assert_eq!(app.audit_count("upload.received").await, 1, "audited");
}

/// A file just over the limit fits the declared-length margin, so it is refused while it is read.
#[sqlx::test]
async fn a_file_just_over_the_limit_is_refused_while_it_is_read(pool: PgPool) {
    let app = spawn_app_with(
        pool,
        &[
            ("OCM_UPLOAD_MAX_FILE_MB", "1"),
            ("OCM_DNC_MAX_FILE_MB", "1"),
        ],
    )
    .await;
    let admin = app.signed_in("admin").await;
    for (path, field, refused_to) in [
        ("/dnc/upload", "mode", "/dnc?error=too_large"),
        ("/uploads/file", "list_id", "/uploads?error=too_large"),
    ] {
        let form = reqwest::multipart::Form::new()
            .part(
                "file",
                reqwest::multipart::Part::bytes(vec![b'1'; 1024 * 1024 + 1024])
                    .file_name("big.csv"),
            )
            .text(field, "1");
        let response = admin
            .post(app.url(path))
            .multipart(form)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 303, "{path}");
        assert_eq!(location(&response), refused_to);
    }
    let declared: Vec<serde_json::Value> = sqlx::query_scalar(
        "select parameters -> 'declared_bytes' from audit_event where action = 'dnc.upload'",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert_eq!(
        declared,
        [serde_json::Value::Null],
        "the DNC refusal is audited"
    );
}

#[sqlx::test]
async fn a_download_is_an_attachment_never_stored(pool: PgPool) {
    let sim = PomSim::start().await;
    sim.add_dnc_list("Sales", Some("Sales"));
    let app = spawn_with_pom(pool, &sim, &[("OCM_PHONE_REGION", "GB")]).await;
    let client = app.signed_in("sup.a").await;
    let file = b"phone\n+447700900001\nnot a number\n".to_vec();
    let location = upload(
        &app,
        &client,
        "dnc.csv",
        file,
        &[("mode", "dnc_list".into())],
    )
    .await;
    let id = upload_id(&location);
    let response = client
        .get(app.url(&format!("/dnc/uploads/{id}/rejects.csv")))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let headers = response.headers();
    assert_eq!(headers["cache-control"], "no-store");
    assert_eq!(
        headers["content-disposition"],
        format!("attachment; filename=\"rejects-{id}.csv\"").as_str()
    );
    assert_eq!(headers["content-type"], "text/csv; charset=utf-8");
}
