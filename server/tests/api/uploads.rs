//! Manual contact upload end to end against the simulator and its SFTP drop: the file is
//! pre-flighted (automatic mapping, rejects named), sent by SFTP, the data source is run once,
//! the import is followed to COMPLETED with POM's counters, rows POM left out are found, and
//! everything is recorded and audited. Also: a refused schedule takes the file back.

use serde_json::json;

use super::campaign_calls::call_form;
use super::pom_sim::{contacts, spawn_with_pom, PomSim};
use super::purge_calls::call_json;
use super::upload_calls::{
    contacts_csv, drop_settings, get_upload, list_with_source, map_source, send, start_drop,
    upload, wait_upload, DROP_PASSWORD,
};

/// (settings, the drop) for OCM against `sim` and its drop.
async fn with_drop(sim: &PomSim) -> (Vec<(String, String)>, pom_sim::sftp::SftpServer) {
    let drop = start_drop(sim).await;
    let settings = drop_settings(&drop, DROP_PASSWORD, &drop.host_key_fingerprint.clone());
    (settings, drop)
}

fn borrowed(settings: &[(String, String)]) -> Vec<(&str, &str)> {
    settings
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect()
}

#[sqlx::test]
async fn an_upload_is_checked_sent_imported_and_compared(pool: sqlx::PgPool) {
    let sim = PomSim::start().await;
    let list_id = list_with_source(&sim, "Upload_Target", &contacts(3)).await;
    // A number on Sales' DNC list: POM's import leaves that row out (a DNC match).
    let dnc = sim.add_dnc_list("Sales", Some("Sales"));
    sim.sim.with_world(|w, _| {
        w.dnc_lists
            .get_mut(&dnc)
            .unwrap()
            .addresses
            .insert("+447700900999".into())
    });
    let (settings, _drop) = with_drop(&sim).await;
    let app = spawn_with_pom(pool, &sim, &borrowed(&settings)).await;
    let admin = app.signed_in("admin").await;
    map_source(&app, &admin, "Upload_Target", "/ocm/Upload_Target.csv").await;

    let file = contacts_csv(&[
        (
            "U001",
            "Ann",
            "+44 7700 900001",
            "ann@example.com",
            "31/03/2027",
        ),
        ("U002", "Bob", "07700900002", "", "01/04/2027"),
        ("U003", "Cy", "+447700900999", "", "02/04/2027"),
        ("U001", "Dup", "+447700900004", "", "03/04/2027"),
        ("U005", "Eve", "12", "", "04/04/2027"),
        ("U006", "Fay", "+447700900006", "", "31/02/2027"),
    ]);
    let id = upload(
        &app,
        &admin,
        list_id,
        "Upload_Target_DS",
        ("leads.csv", file),
    )
    .await;
    let first = get_upload(&app, &admin, id).await;
    assert_eq!(first["state"], "preflight");
    let columns: Vec<(String, Option<String>)> = first["preflight"]["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["header"].as_str().unwrap().into(),
                c["attribute"].as_str().map(String::from),
            )
        })
        .collect();
    assert_eq!(
        columns[0],
        ("Customer ID".into(), Some("userContactId".into()))
    );
    assert_eq!(columns[2], ("Mobile".into(), Some("phoneNumber1".into())));
    assert_eq!(columns[3], ("E-mail".into(), Some("email".into())));

    // The user maps the expiry date and states the file's date format.
    let mut mapping: Vec<(String, Option<String>)> = columns.clone();
    mapping[4].1 = Some("EXPIRY_DATE".into());
    let choices = json!({ "sheet": null, "delimiter": null, "has_header": true, "mapping": mapping,
        "date_format": "dmy", "dnc_check": false, "save_template": true });
    let (status, checked) = call_json(
        &app,
        &admin,
        "uploads/check",
        json!({ "upload_id": id, "choices": choices }),
    )
    .await;
    assert_eq!(status, 200, "{checked}");
    let p = &checked["preflight"];
    assert_eq!(
        (
            p["rows"].as_u64(),
            p["valid"].as_u64(),
            p["rejected"].as_u64()
        ),
        (Some(6), Some(3), Some(3)),
        "{p}"
    );
    let rejects = admin
        .get(app.url(&format!("/uploads/{id}/rejects.csv")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for named in ["U001", "U005", "U006"] {
        assert!(rejects.contains(named), "{rejects}");
    }

    let (status, sent) = send(&app, &admin, id).await;
    assert_eq!(status, 200, "{sent}");
    let done = wait_upload(&app, &admin, id, &["completed", "error", "failed"]).await;
    assert_eq!(done["state"], "completed", "{done}");
    assert_eq!(done["pom_state"], "COMPLETED");
    let counters = &done["pom_counters"];
    assert_eq!(
        (
            counters["success"].as_i64(),
            counters["dnc_matches"].as_i64(),
            counters["processed"].as_i64()
        ),
        (Some(2), Some(1), Some(3)),
        "{counters}"
    );
    assert_eq!(done["missing_count"], 1, "U003 is on the DNC list");
    let missing = admin
        .get(app.url(&format!("/uploads/{id}/missing.csv")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        missing.contains("U003") && missing.contains("DNC match: 1"),
        "{missing}"
    );
    let mut ids = sim.contact_ids(list_id).await;
    ids.sort();
    assert_eq!(ids, ["C0001", "C0002", "C0003", "U001", "U002"]);
    let expiry: String = sim
        .sim
        .with_world(|w, _| w.lists[&list_id].contacts["U001"].attributes["EXPIRY_DATE"].clone());
    assert_eq!(expiry, "2027-03-31", "dates reach POM as yyyy-MM-dd");

    let (_, history) = call_json(&app, &admin, "uploads/history", json!({ "request": {} })).await;
    let row = &history["rows"][0];
    assert_eq!(
        (
            row["rows_read"].as_i64(),
            row["rows_sent"].as_i64(),
            row["rows_rejected"].as_i64()
        ),
        (Some(6), Some(3), Some(3))
    );
    assert_eq!(row["imported"], 2);
    // The state filter is a multi-select: any of the chosen states, on the page and the export.
    let with_states =
        |states: &[&str]| json!({ "request": { "filters": { "state": states }, "position": {} } });
    let (_, any_of) = call_json(
        &app,
        &admin,
        "uploads/history",
        with_states(&["failed", "completed"]),
    )
    .await;
    assert_eq!(any_of["total"], 1, "{any_of}");
    let (_, none_of) = call_json(
        &app,
        &admin,
        "uploads/history",
        with_states(&["failed", "error"]),
    )
    .await;
    assert_eq!(none_of["total"], 0, "{none_of}");
    let narrowed = admin
        .get(app.url("/uploads/history/export.csv?state=failed&state=error"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!narrowed.contains("leads.csv"), "{narrowed}");
    for action in [
        "upload.received",
        "upload.send",
        "upload.transferred",
        "upload.scheduled",
        "upload.completed",
    ] {
        assert_eq!(app.audit_count(action).await, 1, "{action}");
    }
    let template: i64 = sqlx::query_scalar(
        "select count(*) from upload_template where list_name = 'Upload_Target'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(template, 1, "the mapping is kept for the list");
    let export = admin
        .get(app.url("/uploads/history/export.csv"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        export.contains("leads.csv") && export.contains("\"Completed\""),
        "{export}"
    );
}

#[sqlx::test]
async fn a_refused_schedule_takes_the_file_back_and_nothing_is_imported(pool: sqlx::PgPool) {
    let sim = PomSim::start().await;
    let list_id = list_with_source(&sim, "Refused_Target", &[]).await;
    let (settings, _drop) = with_drop(&sim).await;
    let app = spawn_with_pom(pool, &sim, &borrowed(&settings)).await;
    let admin = app.signed_in("admin").await;
    map_source(&app, &admin, "Refused_Target", "/ocm/Refused_Target.csv").await;
    let file = contacts_csv(&[("R1", "Ann", "+447700900001", "", "")]);
    let id = upload(&app, &admin, list_id, "Refused_Target_DS", ("r.csv", file)).await;
    sim.faults(json!([{ "endpoint": "datasources.runonce", "error_rate": 1.0, "kind": { "status": 417 } }])).await;
    assert_eq!(send(&app, &admin, id).await.0, 200);
    let done = wait_upload(&app, &admin, id, &["failed", "completed"]).await;
    assert_eq!(done["state"], "failed");
    let problem = done["problem"].as_str().unwrap();
    assert!(
        problem.contains("did not schedule") && problem.contains("taken back"),
        "{problem}"
    );
    assert!(
        !sim.sim.drop_dir().join("ocm/Refused_Target.csv").exists(),
        "the file was removed"
    );
    assert!(sim.contact_ids(list_id).await.is_empty());
    assert_eq!(app.audit_count("upload.failed").await, 1);
}

#[sqlx::test]
async fn only_admins_upload_and_bad_choices_are_named(pool: sqlx::PgPool) {
    let sim = PomSim::start().await;
    let list_id = list_with_source(&sim, "Guarded_List", &[]).await;
    let other = sim.add_list("Other_List", "Sales", &[]).await;
    let (settings, _drop) = with_drop(&sim).await;
    let app = spawn_with_pom(pool, &sim, &borrowed(&settings)).await;
    let admin = app.signed_in("admin").await;
    map_source(&app, &admin, "Guarded_List", "/ocm/Guarded_List.csv").await;
    let file = || {
        (
            "g.csv",
            contacts_csv(&[("G1", "Ann", "+447700900001", "", "")]),
        )
    };

    let supervisor = app.signed_in("sup.a").await;
    let (status, _) =
        super::upload_calls::post_file(&app, &supervisor, list_id, "Guarded_List_DS", file()).await;
    assert_eq!(status, 403);
    assert_eq!(
        call_form(&app, &supervisor, "uploads/targets", json!({}))
            .await
            .0,
        403
    );
    // A data source not mapped to the chosen list is refused, naming the field.
    let (status, location) =
        super::upload_calls::post_file(&app, &admin, other, "Guarded_List_DS", file()).await;
    assert_eq!(
        (status, location.as_str()),
        (303, "/uploads?error=data_source")
    );
    // A file without a user contact id column cannot be sent.
    let headerless = b"Name,Phone\r\nAnn,+447700900001\r\n".to_vec();
    let id = upload(
        &app,
        &admin,
        list_id,
        "Guarded_List_DS",
        ("x.csv", headerless),
    )
    .await;
    let view = get_upload(&app, &admin, id).await;
    assert!(
        view["preflight"]["blocking"]
            .to_string()
            .contains("userContactId"),
        "{view}"
    );
    let (status, body) = send(&app, &admin, id).await;
    assert_eq!(status, 400, "{body}");
    assert!(body.to_string().contains("mapping"), "{body}");
}
