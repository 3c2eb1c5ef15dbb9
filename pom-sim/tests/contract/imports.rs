//! File data-source imports: a file in the SFTP drop, a run scheduled through SOAP or REST, the
//! import job's states and its ten counters, and the contacts really in the list afterwards.

use pom::client::rest::ContactSearch;
use pom::client::soap::ImportJobStatus;
use serde_json::json;
use serde_json::{Map, Value};

use super::helpers::{start, Harness};

/// Writes `body` as the drop file of `path` (relative to the drop folder).
fn drop_file(h: &Harness, path: &str, body: &[u8]) {
    let file = h.drop_dir.join(path);
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    std::fs::write(file, body).unwrap();
}

/// A contact of a list by user contact id, through REST search.
async fn contact(h: &Harness, list_id: i64, id: &str) -> Option<Map<String, Value>> {
    let search = ContactSearch {
        attribute: "userContactId".into(),
        operator: "equals".into(),
        value: id.into(),
    };
    let page = h
        .global()
        .contacts_page(list_id, 0, 10, Some(&search))
        .await
        .unwrap();
    page.contacts.into_iter().next()
}

fn text<'a>(contact: &'a Map<String, Value>, attribute: &str) -> Option<&'a str> {
    contact.get(attribute).and_then(Value::as_str)
}

async fn finished_import(h: &Harness, data_source: &str) -> ImportJobStatus {
    h.fast_clock().await;
    let done = h
        .global()
        .get_import_job_status(data_source, &["COMPLETED", "ERROR"])
        .await
        .unwrap();
    assert_eq!(done.len(), 1, "{done:?}");
    done.into_iter().next().unwrap()
}

#[tokio::test]
async fn an_append_import_fills_every_counter_from_the_file() {
    let h = start().await;
    let dnc_address = h.get_json("snapshot").await["dnc_lists"]
        .as_object()
        .unwrap()
        .values()
        .find(|d| d["name"] == "Sales")
        .unwrap()["addresses"][0]
        .as_str()
        .unwrap()
        .to_string();
    let set = h
        .http()
        .put(format!("{}/__sim/datasources", h.origin))
        .json(&json!({
            "name": "Sales_Manual_Upload_DS", "list_name": "Sales_Manual_Upload",
            "organization": "Sales", "kind": "append", "file_path": "ocm/manual.csv",
            "layout": { "delimiter": ";", "reject_patterns": ["+44900*"] }
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(set.status(), 204);
    let rows = [
        "userContactId;firstName;phoneNumber1;BALANCE;EXPIRY_DATE",
        "N1;Ada;+44 7700 900001;10.5;2027-01-31",
        "N2;Bo;(0161) 496-0002;;",
        "N1;Ada again;+447700900001;;",
        "0102501;Updated;+447700900003;;",
        "N3;Cy;+449001112222;;",
        &format!("N4;Di;{dnc_address};;"),
        "N5;Ed;not a phone;;",
        "N6;Flo;+447700900006;lots;",
        "N7;Gus;+447700900007;;31/12/2027",
        ";NoId;+447700900008;;",
        "N9;Short row",
    ];
    drop_file(&h, "ocm/manual.csv", rows.join("\r\n").as_bytes());
    let before = h.list_id("Sales_Manual_Upload").await;
    let client = h.global();
    client
        .schedule_data_source(
            "Sales_Manual_Upload_DS",
            "2020/01/01 09:00:00",
            "Europe/London",
        )
        .await
        .unwrap();
    let job = finished_import(&h, "Sales_Manual_Upload_DS").await;
    assert_eq!(job.status.as_deref(), Some("COMPLETED"));
    let counters = [
        job.success,
        job.update,
        job.runtime_errors,
        job.validation_failed,
        job.duplicates_ignored,
        job.reject_pattern_matches,
        job.deleted,
        job.dnc_matches,
        job.phone_format_failed,
        job.processed,
    ];
    assert_eq!(counters, [2, 1, 1, 3, 1, 1, 0, 1, 1, 11]);
    let added = contact(&h, before, "N2").await.expect("N2 imported");
    assert_eq!(text(&added, "phoneNumber1"), Some("01614960002"));
    let updated = contact(&h, before, "0102501").await.unwrap();
    assert_eq!(text(&updated, "firstName"), Some("Updated"));
    assert!(contact(&h, before, "N5").await.is_none());
}

#[tokio::test]
async fn a_replace_import_deletes_what_the_file_left_out() {
    let h = start().await;
    h.http()
        .put(format!("{}/__sim/datasources", h.origin))
        .json(&json!({
            "name": "Coll_Promises_Replace", "list_name": "Coll_Promises",
            "organization": "Collections", "kind": "replace", "file_path": "ocm/promises.csv",
            "layout": { "header_row": false, "columns": ["userContactId", "lastName"] }
        }))
        .send()
        .await
        .unwrap();
    drop_file(
        &h,
        "ocm/promises.csv",
        b"\xEF\xBB\xBFR1,Keep\nR2,\"Quoted, name\"\n",
    );
    let id = h.list_id("Coll_Promises").await;
    let client = h.global();
    client
        .schedule_run_once("Coll_Promises_Replace", "2020/01/01 00:00:00", "UTC")
        .await
        .unwrap();
    let job = finished_import(&h, "Coll_Promises_Replace").await;
    assert_eq!((job.success, job.deleted, job.processed), (2, 800, 2));
    let lists = client.contact_lists("Collections").await.unwrap();
    let list = lists.iter().find(|l| l.contact_list_id == id).unwrap();
    assert_eq!(list.total_contacts, 2);
}

#[tokio::test]
async fn runs_wait_for_their_time_and_fail_with_a_reason() {
    let h = start().await;
    let client = h.global();
    client
        .schedule_data_source("Sales_Renewals_DS", "2020/01/01 00:00:00", "UTC")
        .await
        .unwrap();
    let job = finished_import(&h, "Sales_Renewals_DS").await;
    assert_eq!(job.status.as_deref(), Some("ERROR"));
    let id = job.import_job_id.unwrap();
    let detail = h.get_json(&format!("imports/{id}")).await;
    assert!(
        detail["error"]
            .as_str()
            .unwrap()
            .contains("Sales_Renewals.csv was not found"),
        "{detail}"
    );
    drop_file(
        &h,
        "ocm/Sales_Winback.csv",
        b"userContactId,phoneNumber1\nW1,+447700900001\n",
    );
    client
        .schedule_data_source("Sales_Winback_DS", "2099/01/01 00:00:00", "Asia/Kolkata")
        .await
        .unwrap();
    h.fast_clock().await;
    let queued = client
        .get_import_job_status("Sales_Winback_DS", &["QUEUED"])
        .await
        .unwrap();
    assert_eq!(queued.len(), 1, "a future run stays queued");
    let unknown_zone = client
        .schedule_data_source("Sales_Winback_DS", "2020/01/01 00:00:00", "Mars/Olympus")
        .await
        .unwrap_err();
    assert_eq!(super::helpers::code(unknown_zone), -59);
}

#[tokio::test]
async fn a_snapshot_taken_mid_import_goes_on_from_where_it_was() {
    let h = super::helpers::start_with(pom_sim::SimSettings {
        users: [(
            "pomadmin".to_string(),
            pom_sim::world::SimUser {
                password: "pomadmin".into(),
                organization: None,
            },
        )]
        .into(),
        ..pom_sim::SimSettings::default()
    })
    .await;
    h.control("lists", json!({ "name": "Big", "organization": "Sales" }))
        .await;
    let source = json!({
        "name": "Big_DS", "list_name": "Big", "organization": "Sales",
        "kind": "replace", "file_path": "ocm/big.csv"
    });
    let put = |body: Value| {
        h.http()
            .put(format!("{}/__sim/datasources", h.origin))
            .json(&body)
            .send()
    };
    assert_eq!(put(source.clone()).await.unwrap().status(), 204);
    let mut escaping = source.clone();
    escaping["file_path"] = "../outside.csv".into();
    assert_eq!(put(escaping).await.unwrap().status(), 400);
    let mut csv = String::from("userContactId,phoneNumber1\n");
    for i in 0..20_000 {
        csv.push_str(&format!("B{i:05},+4477009{i:05}\n"));
    }
    drop_file(&h, "ocm/big.csv", csv.as_bytes());
    h.control("clock", json!({ "at_ms": super::dialing::NOON }))
        .await;
    h.global()
        .schedule_data_source("Big_DS", "2026/11/23 12:00:00", "UTC")
        .await
        .unwrap();
    // Into the run: 2 s of copying, then 5,000 rows per simulated second.
    h.control("clock", json!({ "advance_ms": 4_000 })).await;
    let snapshot = h.get_json("snapshot").await;
    let job = snapshot["import_jobs"]
        .as_object()
        .unwrap()
        .values()
        .next()
        .unwrap()
        .clone();
    assert_eq!(job["state"], "RUNNING");
    let halfway = job["cursor"].as_u64().unwrap();
    assert!(halfway > 0 && halfway < 20_000, "{halfway}");
    assert!(h.control("snapshot", snapshot).await.status().is_success());
    let done = finished_import(&h, "Big_DS").await;
    assert_eq!(done.status.as_deref(), Some("COMPLETED"));
    assert_eq!(
        (done.success, done.deleted, done.processed),
        (20_000, 0, 20_000)
    );
}

#[tokio::test]
async fn dialling_rules_are_checked() {
    let h = start().await;
    let set = |body: Value| h.control("campaigns/Sales_Predictive/dialing", body);
    let backwards = set(json!({ "window_start_minute": 1200, "window_end_minute": 480 })).await;
    assert_eq!(backwards.status(), 400);
    assert!(backwards.text().await.unwrap().contains("window"));
    assert_eq!(
        set(json!({ "default_time_zone": "Mars/Olympus" }))
            .await
            .status(),
        400
    );
    assert_eq!(set(json!({ "calls_per_second": 2.5 })).await.status(), 200);
    let changed = h.control("dialer", json!({ "seed": 9 })).await;
    let config: Value = changed.json().await.unwrap();
    assert_eq!(
        (config["seed"].as_u64(), config["agents_per_org"].as_u64()),
        (Some(9), Some(8))
    );
}
