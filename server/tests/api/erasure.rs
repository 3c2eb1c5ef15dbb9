//! Right to erasure against the POM simulator: the dry run finds the person in every list of
//! the organization (not another organization's) and in OCM's records; confirming with the
//! typed count deletes them from POM and erases them from OCM; only tombstones, counts and the
//! certificate stay; a later DNC or contact upload holding them is flagged and not sent.

use serde_json::{json, Value};
use sqlx::PgPool;

use super::dnc::{upload as dnc_upload, upload_id, view as dnc_view};
use super::helpers::TestApp;
use super::pom_sim::{contacts, spawn_with_pom, PomSim};
use super::purge_calls::{call_json, wait_for};
use super::upload_calls::{
    contacts_csv, drop_settings, get_upload, list_with_source, map_source, start_drop, upload,
    DROP_PASSWORD,
};

const PHONE_DIGITS: &str = "900123";

pub fn request(phones: &str, emails: &str) -> Value {
    json!({ "request": { "organization": "Sales", "reference": "DSR-2026-114",
        "phones": phones, "emails": emails, "customer_ids": "" } })
}

/// A dry run's counts per OCM store, by store name.
pub fn store_counts(plan: &Value) -> Value {
    plan["stores"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["store"].as_str().unwrap().to_string(), s["count"].clone()))
        .collect::<serde_json::Map<_, _>>()
        .into()
}

pub async fn dry_run(app: &TestApp, client: &reqwest::Client, body: Value) -> (u16, Value) {
    call_json(app, client, "admin/erasure/dry-run", body).await
}

/// A purge snapshot holding the person (P1) and someone else (P2), with a filter naming them.
async fn purge_snapshot(pool: &PgPool) {
    let job: i64 = sqlx::query_scalar(
        "insert into job (kind, organization, created_by_name, state) values ('purge', 'Sales', 'x', 'completed') returning job_id",
    )
    .fetch_one(pool)
    .await
    .unwrap();
    let run: i64 = sqlx::query_scalar(
        "insert into purge_run (job_id, organization, contact_list_id, contact_list_name, mode, attribute,
             operator, filter_values, filter_text, reason, requested_by_name, list_total_before, matched,
             snapshot_expires_at)
         values ($1, 'Sales', 1, 'Sales_A', 'normal', 'phoneNumber1', 'is_one_of',
             '[\"+447700900123\", \"+447700900321\"]',
             'phoneNumber1 is one of +447700900123, +447700900321', 'test', 'x', 2, 2,
             now() + interval '30 days') returning purge_run_id",
    )
    .bind(job)
    .fetch_one(pool)
    .await
    .unwrap();
    sqlx::query(
        "insert into purge_contact (purge_run_id, user_contact_id, attributes, state) values
             ($1, 'P1', '{\"userContactId\": \"P1\", \"phoneNumber1\": \"+447700900123\"}', 'deleted'),
             ($1, 'P2', '{\"userContactId\": \"P2\", \"phoneNumber1\": \"+447700900321\"}', 'deleted')",
    )
    .bind(run)
    .execute(pool)
    .await
    .unwrap();
}

#[sqlx::test]
async fn a_person_is_erased_from_pom_and_ocm_and_kept_out_afterwards(pool: PgPool) {
    let sim = PomSim::start().await;
    let sales_dnc = sim.add_dnc_list("Sales", Some("Sales"));
    let person =
        json!({ "userContactId": "P1", "firstName": "Jane", "phoneNumber1": "+447700900123" });
    let list_a = sim
        .add_list(
            "Sales_A",
            "Sales",
            &[contacts(5), vec![person.clone()]].concat(),
        )
        .await;
    let other = json!({ "userContactId": "X9", "phoneNumber1": "+447700900555",
        "phoneNumber2": "07700 900123", "email": "Jane@Example.com" });
    let list_b = sim.add_list("Sales_B", "Sales", &[other]).await;
    let elsewhere = sim.add_list("Coll_A", "Collections", &[person]).await;
    let upload_list = list_with_source(&sim, "Upload_Target", &contacts(2)).await;
    let drop = start_drop(&sim).await;
    let settings = drop_settings(&drop, DROP_PASSWORD, &drop.host_key_fingerprint.clone());
    let borrowed: Vec<(&str, &str)> = settings
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let app = spawn_with_pom(pool.clone(), &sim, &borrowed).await;
    let admin = app.signed_in("admin").await;
    map_source(&app, &admin, "Upload_Target", "/ocm/Upload_Target.csv").await;
    let supervisor = app.signed_in("sup.a").await;

    // What OCM holds about the person before: a registry entry, a pending DNC file, a snapshot.
    let added = app
        .call(&supervisor, "dnc/add", &[("address", "07700 900123")])
        .await;
    assert_eq!(added.status(), 200);
    let file = b"phone\n+447700900123\n+447700900777\n".to_vec();
    let pending = upload_id(
        &dnc_upload(
            &app,
            &supervisor,
            "dnc.csv",
            file.clone(),
            &[("mode", "dnc_list".into())],
        )
        .await,
    );
    purge_snapshot(&pool).await;
    // Record cancels from the API: one for the person's phone, one for someone else's.
    for phone in ["+447700900123", "+447700900777"] {
        sqlx::query(
            "insert into dnc_request (dnc_request_id, kind, organization, client_name, scope,
                 phone, state, expanded_at, reason)
             values (gen_random_uuid(), 'cancel', 'Sales', 'crm', 'all_chain', $1, 'failed',
                 now(), 'No contact has phone ' || $1 || ' in Sales''s contact lists.')",
        )
        .bind(phone)
        .execute(&pool)
        .await
        .unwrap();
    }

    let (status, _) = dry_run(&app, &supervisor, request("07700900123", "")).await;
    assert_eq!(status, 403, "supervisors may not erase");
    let (status, body) = dry_run(&app, &admin, request("", "not an address")).await;
    assert_eq!(
        (status, body["Validation"]["field"].as_str()),
        (400, Some("emails")),
        "{body}"
    );

    let (status, plan) = dry_run(&app, &admin, request("07700 900123", "jane@example.com")).await;
    assert_eq!(status, 200, "{plan}");
    assert_eq!(
        plan["contacts_found"], 2,
        "P1 in Sales_A, X9 in Sales_B: {plan}"
    );
    assert_eq!(plan["lists"].as_array().unwrap().len(), 2);
    let stores = store_counts(&plan);
    assert_eq!(
        (
            &stores["purge_snapshots"],
            &stores["purge_filters"],
            &stores["dnc_registry"],
            &stores["dnc_files"],
            &stores["dnc_requests"]
        ),
        (&json!(1), &json!(1), &json!(1), &json!(1), &json!(1)),
        "{stores}"
    );
    assert_eq!(
        sim.contact_ids(list_a).await.len(),
        6,
        "a dry run changes nothing"
    );

    let erasure_id = plan["erasure_id"].as_i64().unwrap();
    let start = |typed: &'static str| {
        let (app, admin) = (&app, &admin);
        async move {
            call_json(
                app,
                admin,
                "admin/erasure/start",
                json!({ "erasure_id": erasure_id, "typed_count": typed }),
            )
            .await
        }
    };
    let (status, body) = start("1").await;
    assert_eq!(
        (status, body["Validation"]["field"].as_str()),
        (400, Some("typed_count")),
        "{body}"
    );
    let (status, job) = start("2").await;
    assert_eq!(status, 200, "{job}");
    let (state, done, failed, _, _) = wait_for(&pool, job.as_i64().unwrap(), &["completed"]).await;
    assert_eq!((state.as_str(), done, failed), ("completed", 2, 0));

    assert_eq!(
        sim.contact_ids(list_a).await.len(),
        5,
        "P1 deleted, the others kept"
    );
    assert!(sim.contact_ids(list_b).await.is_empty());
    assert_eq!(
        sim.contact_ids(elsewhere).await.len(),
        1,
        "another organization is not touched"
    );
    let snapshot: Vec<(String, Option<Value>)> = sqlx::query_as(
        "select user_contact_id, attributes from purge_contact order by purge_contact_id",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert!(
        snapshot[0].0.starts_with("erased:") && snapshot[0].1.is_none(),
        "{snapshot:?}"
    );
    assert_eq!(snapshot[1].0, "P2", "someone else's snapshot stays");
    let cancels: Vec<(String, String)> =
        sqlx::query_as("select phone, reason from dnc_request order by phone")
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(
        cancels,
        [
            (
                "(erased)".into(),
                "No contact has phone (erased) in Sales's contact lists.".into()
            ),
            (
                "+447700900777".into(),
                "No contact has phone +447700900777 in Sales's contact lists.".into()
            ),
        ]
    );
    let filter: String = sqlx::query_scalar("select filter_text from purge_run")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(filter, "phoneNumber1 is one of (erased), +447700900321");
    let (dnc_state, content): (String, Option<Vec<u8>>) =
        sqlx::query_as("select state, content from dnc_upload where dnc_upload_id = $1")
            .bind(pending)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!((dnc_state.as_str(), content), ("expired", None));
    assert_eq!(
        sim.dnc_addresses(sales_dnc),
        ["+447700900123"],
        "the DNC list itself is POM's"
    );

    // Nothing in OCM's tables or audit log holds the person any more.
    let holding: i64 = sqlx::query_scalar(
        "select (select count(*) from dnc_entry where address || coalesce(outcome, '') like '%' || $1 || '%')
              + (select count(*) from purge_contact where coalesce(attributes::text, '') || user_contact_id like '%' || $1 || '%')
              + (select count(*) from erasure where coalesce(identifiers::text, '') like '%' || $1 || '%')
              + (select count(*) from erasure_contact where user_contact_id is not null)
              + (select count(*) from audit_event where row_to_json(audit_event)::text ilike '%' || $1 || '%')
              + (select count(*) from audit_event where row_to_json(audit_event)::text ilike '%jane@%')
              + (select count(*) from dnc_upload where coalesce(preflight::text, '') || coalesce(convert_from(rejects_csv, 'UTF8'), '') like '%' || $1 || '%')
              + (select count(*) from erasure_contact where error is not null)",
    )
    .bind(PHONE_DIGITS)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(holding, 0);
    let tombstones: i64 = sqlx::query_scalar("select count(*) from erasure_tombstone")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(tombstones, 2);

    let certificate = admin
        .get(app.url(&format!("/admin/erasures/{erasure_id}/certificate.txt")))
        .send()
        .await
        .unwrap();
    assert_eq!(certificate.status(), 200);
    let text = certificate.text().await.unwrap();
    assert!(
        text.contains("DSR-2026-114") && text.contains("Sales_A"),
        "{text}"
    );
    assert!(
        !text.contains(PHONE_DIGITS) && !text.to_lowercase().contains("jane"),
        "{text}"
    );
    let recorded: String = sqlx::query_scalar(
        "select parameters->>'certificate_sha256' from audit_event where action = 'erasure.completed'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(recorded, domain::erasure::certificate::sha256(&text));
    let denied = supervisor
        .get(app.url(&format!("/admin/erasures/{erasure_id}/certificate.txt")))
        .send()
        .await
        .unwrap();
    assert_eq!(denied.status(), 403);

    // Later files holding the person: flagged, not sent.
    let again = upload_id(
        &dnc_upload(
            &app,
            &supervisor,
            "again.csv",
            file,
            &[("mode", "dnc_list".into())],
        )
        .await,
    );
    let checked = dnc_view(&app, &supervisor, again).await;
    assert_eq!(checked["valid"], 1, "{checked}");
    assert!(
        checked.to_string().contains("erased on request"),
        "{checked}"
    );
    let single = app
        .call(&supervisor, "dnc/add", &[("address", "+44 7700 900123")])
        .await;
    assert_eq!(single.status(), 400);
    let leads = contacts_csv(&[
        ("U1", "Ann", "+447700900001", "", "2027-03-31"),
        (
            "U2",
            "Jane",
            "+447700900888",
            "JANE@example.com",
            "2027-03-31",
        ),
    ]);
    let id = upload(
        &app,
        &admin,
        upload_list,
        "Upload_Target_DS",
        ("leads.csv", leads),
    )
    .await;
    let checked = get_upload(&app, &admin, id).await;
    let p = &checked["preflight"];
    assert_eq!(
        (p["valid"].as_u64(), p["rejected"].as_u64()),
        (Some(1), Some(1)),
        "{checked}"
    );
    assert!(
        checked.to_string().contains("erased on request"),
        "{checked}"
    );
}
