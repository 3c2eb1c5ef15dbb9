//! What the upload tests share: the simulator's SFTP drop (or a real OpenSSH `sshd`) sharing its
//! folder with the simulator's imports, a simulator data source with OCM's mapping of it, the
//! multipart upload form, and waiting for an upload to reach a state.

use std::collections::BTreeMap;
use std::time::Duration;

use pom_sim::sftp::{spawn_sftp, SftpServer, SftpServerConfig};
use serde_json::{json, Value};

use super::campaign_calls::call_form;
use super::helpers::TestApp;
use super::pom_sim::PomSim;
use super::purge_calls::call_json;

pub const DROP_USER: &str = "ocm";
pub const DROP_PASSWORD: &str = "drop-password";

/// The simulator's SFTP drop on a loopback port, over the simulator's own drop folder.
pub async fn start_drop(sim: &PomSim) -> SftpServer {
    let drop_dir = sim.sim.drop_dir().to_path_buf();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    spawn_sftp(
        listener,
        SftpServerConfig {
            host_key: drop_dir.join(".host_key"),
            drop_dir,
            users: BTreeMap::from([(DROP_USER.to_string(), DROP_PASSWORD.to_string())]),
            authorized_keys: Vec::new(),
            quota_bytes: None,
        },
    )
    .unwrap()
}

/// OCM settings for the drop, quick starts and quick follow-ups.
pub fn drop_settings(
    drop: &SftpServer,
    password: &str,
    fingerprint: &str,
) -> Vec<(String, String)> {
    vec![
        ("OCM_SFTP_HOST".into(), drop.address.ip().to_string()),
        ("OCM_SFTP_PORT".into(), drop.address.port().to_string()),
        ("OCM_SFTP_USER".into(), DROP_USER.into()),
        ("OCM_SFTP_PASSWORD".into(), password.into()),
        ("OCM_SFTP_HOST_KEY".into(), fingerprint.into()),
        ("OCM_SFTP_TIMEOUT_SECONDS".into(), "5".into()),
        ("OCM_UPLOAD_START_DELAY_SECONDS".into(), "0".into()),
        ("OCM_UPLOAD_FOLLOW_MS".into(), "200".into()),
        ("OCM_PHONE_REGION".into(), "GB".into()),
    ]
}

/// A simulator list of Sales with `existing` contacts and its append data source reading
/// `ocm/<list>.csv` from the drop; returns the list id.
pub async fn list_with_source(sim: &PomSim, list: &str, existing: &[Value]) -> i64 {
    let id = sim.add_list(list, "Sales", existing).await;
    let response = sim
        .http
        .put(format!("{}/__sim/datasources", sim.origin))
        .json(
            &json!({ "name": format!("{list}_DS"), "list_name": list, "organization": "Sales",
                        "kind": "append", "file_path": format!("ocm/{list}.csv") }),
        )
        .send()
        .await
        .unwrap();
    assert!(response.status().is_success(), "{}", response.status());
    id
}

/// OCM's mapping of the data source (as an admin), with the remote path `remote_path`.
pub async fn map_source(app: &TestApp, admin: &reqwest::Client, list: &str, remote_path: &str) {
    let input = json!({ "input": { "data_source_id": null, "name": format!("{list}_DS"),
        "organization": "Sales", "list_name": list, "kind": "append", "remote_path": remote_path,
        "delimiter": ",", "header_row": true, "columns": "" } });
    let (status, body) = call_json(app, admin, "uploads/sources/save", input).await;
    assert_eq!(status, 200, "{body}");
}

/// Posts the upload form; returns where OCM sent the browser.
pub async fn post_file(
    app: &TestApp,
    client: &reqwest::Client,
    list_id: i64,
    source: &str,
    (name, bytes): (&str, Vec<u8>),
) -> (u16, String) {
    let form = reqwest::multipart::Form::new()
        .text("list_id", list_id.to_string())
        .text("data_source", source.to_string())
        .part(
            "file",
            reqwest::multipart::Part::bytes(bytes).file_name(name.to_string()),
        );
    let response = client
        .post(app.url("/uploads/file"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    let location = response
        .headers()
        .get("location")
        .map(|l| l.to_str().unwrap().to_string())
        .unwrap_or_default();
    (response.status().as_u16(), location)
}

/// Uploads and returns the new upload's id (the form must be accepted).
pub async fn upload(
    app: &TestApp,
    client: &reqwest::Client,
    list_id: i64,
    source: &str,
    file: (&str, Vec<u8>),
) -> i64 {
    let (status, location) = post_file(app, client, list_id, source, file).await;
    assert_eq!(status, 303, "{location}");
    location
        .rsplit('/')
        .next()
        .unwrap()
        .parse()
        .unwrap_or_else(|_| panic!("{location}"))
}

pub async fn get_upload(app: &TestApp, client: &reqwest::Client, id: i64) -> Value {
    let (status, body) = call_form(app, client, "uploads/get", json!({ "upload_id": id })).await;
    assert_eq!(status, 200, "{body}");
    body
}

/// Waits (up to 30 s) until the upload is in one of `states`; returns it.
pub async fn wait_upload(
    app: &TestApp,
    client: &reqwest::Client,
    id: i64,
    states: &[&str],
) -> Value {
    let mut last = Value::Null;
    for _ in 0..300 {
        last = get_upload(app, client, id).await;
        if states.iter().any(|s| last["state"] == *s) {
            return last;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("upload {id} never reached {states:?}: {last}");
}

/// Sends a checked upload.
pub async fn send(app: &TestApp, client: &reqwest::Client, id: i64) -> (u16, Value) {
    call_form(
        app,
        client,
        "uploads/send",
        json!({ "upload_id": id, "confirm_replace": false }),
    )
    .await
}

/// A CSV of contacts with the headers people use; `rows` are (id, first, mobile, email, expiry).
pub fn contacts_csv(rows: &[(&str, &str, &str, &str, &str)]) -> Vec<u8> {
    let mut text = String::from("Customer ID,First Name,Mobile,E-mail,Expiry Date\r\n");
    for (id, first, mobile, email, expiry) in rows {
        text.push_str(&format!("{id},{first},{mobile},{email},{expiry}\r\n"));
    }
    text.into_bytes()
}
