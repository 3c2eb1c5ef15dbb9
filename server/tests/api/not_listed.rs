//! The Account Not in Listing report: an upload's pre-flight rejects and the row POM's import
//! left out reach the report when the import ends, with the phone numbers as read (the expected
//! rows worked out here from the file, not from the report's SQL); an external step's batch
//! joins them; exports keep phone numbers; another organization sees none of it.

use std::collections::BTreeSet;

use domain::reports::not_listed::external::{self, ExternalBatch};
use domain::request_meta::RequestMeta;
use serde_json::{json, Value};

use super::call_reports::csv_rows;
use super::pom_sim::{contacts, spawn_with_pom, PomSim};
use super::purge_calls::call_json;
use super::upload_calls::{
    contacts_csv, drop_settings, list_with_source, map_source, send, start_drop, upload,
    wait_upload, DROP_PASSWORD,
};

/// (stage, row number, account, phone, category) of each report row.
type Seen = BTreeSet<(String, Option<i64>, String, String, String)>;

fn seen(rows: &[Value]) -> Seen {
    rows.iter()
        .map(|r| {
            (
                r["stage"].as_str().unwrap().to_string(),
                r["row_number"].as_i64(),
                r["contact_id"].as_str().unwrap().to_string(),
                r["phone"].as_str().unwrap().to_string(),
                r["category"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn row(
    stage: &str,
    number: Option<i64>,
    id: &str,
    phone: &str,
    category: &str,
) -> (String, Option<i64>, String, String, String) {
    (
        stage.into(),
        number,
        id.into(),
        phone.into(),
        category.into(),
    )
}

#[sqlx::test]
async fn rows_that_never_became_contacts_are_reported(pool: sqlx::PgPool) {
    let sim = PomSim::start().await;
    let list_id = list_with_source(&sim, "Upload_Target", &contacts(2)).await;
    let dnc = sim.add_dnc_list("Sales", Some("Sales"));
    sim.sim.with_world(|w, _| {
        w.dnc_lists
            .get_mut(&dnc)
            .unwrap()
            .addresses
            .insert("+447700900999".into())
    });
    let drop = start_drop(&sim).await;
    let settings = drop_settings(&drop, DROP_PASSWORD, &drop.host_key_fingerprint.clone());
    let settings: Vec<(&str, &str)> = settings
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let app = spawn_with_pom(pool.clone(), &sim, &settings).await;
    let admin = app.signed_in("admin").await;
    map_source(&app, &admin, "Upload_Target", "/ocm/Upload_Target.csv").await;

    // Line 1 is the header. Line 4's number is on Sales' DNC list in POM only (OCM's own DNC
    // check is off), line 5 repeats an account, line 6's phone has letters.
    let lines = [
        ("N001", "Ann", "+447700900001", "", ""),
        ("N002", "Bob", "+447700900002", "", ""),
        ("N003", "Cy", "+447700900999", "", ""),
        ("N001", "Dup", "+447700900004", "", ""),
        ("N005", "Eve", "0770 CALL ME", "", ""),
    ];
    let id = upload(
        &app,
        &admin,
        list_id,
        "Upload_Target_DS",
        ("leads.csv", contacts_csv(&lines)),
    )
    .await;
    let page = |filters: Value| {
        let (app, admin) = (&app, &admin);
        async move {
            let (status, page) = call_json(
                app,
                admin,
                "reports/not-in-listing",
                json!({ "request": { "filters": filters } }),
            )
            .await;
            assert_eq!(status, 200, "{page}");
            page
        }
    };
    assert_eq!(
        page(json!({})).await["total"],
        0,
        "nothing before the import ends"
    );

    let (status, sent) = send(&app, &admin, id).await;
    assert_eq!(status, 200, "{sent}");
    let done = wait_upload(&app, &admin, id, &["completed", "error", "failed"]).await;
    assert_eq!(done["state"], "completed", "{done}");
    assert_eq!(done["missing_count"], 1, "{done}");

    let expected: Seen = [
        row(
            "preflight",
            Some(5),
            "N001",
            "+447700900004",
            "userContactId already on an earlier row",
        ),
        row(
            "preflight",
            Some(6),
            "N005",
            "0770 CALL ME",
            "Mobile: letters in a phone number",
        ),
        row("pom_import", None, "N003", "+447700900999", "dnc_match"),
    ]
    .into_iter()
    .collect();
    let first = page(json!({})).await;
    let rows = first["rows"].as_array().unwrap();
    assert_eq!(seen(rows), expected, "{first}");
    let absent = rows.iter().find(|r| r["stage"] == "pom_import").unwrap();
    assert_eq!(absent["category"], "dnc_match", "{absent}");
    assert!(
        absent["reason"].as_str().unwrap().contains("DNC match: 1"),
        "{absent}"
    );
    assert!(rows
        .iter()
        .all(|r| r["upload_id"] == id && r["batch"] == format!("upload {id}")));
    assert!(
        first["chart"].to_string().contains("Upload_Target"),
        "{first}"
    );

    // An external step's batch: parsed and added as the CLI does.
    let csv = "row_number,user_contact_id,phone,category,reason\n17,X9,+447700900777,bad_debt,Account in collections\n";
    let parsed = external::parse(csv.as_bytes()).unwrap();
    let actor = domain::audit::Actor::named("crm-step");
    let batch = ExternalBatch {
        organization: "Sales".into(),
        list: "Upload_Target".into(),
        batch: "crm 2026-12-05".into(),
    };
    let meta = RequestMeta::background("test");
    assert_eq!(
        external::add(&pool, &batch, &parsed, (&actor, &meta))
            .await
            .unwrap(),
        1
    );
    let unknown = ExternalBatch {
        organization: "Nobody".into(),
        ..batch.clone()
    };
    let refused = external::add(&pool, &unknown, &parsed, (&actor, &meta))
        .await
        .unwrap_err();
    assert!(refused.to_string().contains("Nobody"), "{refused}");
    assert_eq!(app.audit_count("report.not_listed.added").await, 1);

    let external_only = page(json!({ "stage": "external" })).await;
    assert_eq!(
        seen(external_only["rows"].as_array().unwrap()),
        [row("external", Some(17), "X9", "+447700900777", "bad_debt")]
            .into_iter()
            .collect::<Seen>()
    );
    assert_eq!(page(json!({ "search": "0777" })).await["total"], 1);
    assert_eq!(page(json!({ "batch": "upload" })).await["total"], 3);
    // The export holds every row, phone numbers as read.
    let exported = csv_rows(&app, &admin, "/reports/not-in-listing/export.csv").await;
    assert_eq!(exported.len(), 4);
    let phones: BTreeSet<&str> = exported.iter().map(|r| r["phone"].as_str()).collect();
    assert!(
        phones.contains("+447700900777") && phones.contains("0770 CALL ME"),
        "{phones:?}"
    );
    assert_eq!(app.audit_count("report.not_listed.export").await, 1);

    // Collections' supervisor sees none of Sales' rows.
    let other = app.signed_in("sup.b").await;
    let (status, theirs) = call_json(
        &app,
        &other,
        "reports/not-in-listing",
        json!({ "request": {} }),
    )
    .await;
    assert_eq!(status, 200, "{theirs}");
    assert_eq!(theirs["total"], 0, "{theirs}");
    assert!(csv_rows(&app, &other, "/reports/not-in-listing/export.csv")
        .await
        .is_empty());
}
