//! Right to erasure in the call data: the person's dialled address, contact attributes, callback
//! address and notes, inbound caller and passed-over contact attributes are found by the dry
//! run and cleared by the job; someone else's rows, another organization's and every count stay;
//! records about the person read afterwards arrive with the values replaced.

use std::sync::{Arc, Mutex};

use serde_json::{json, Value};
use sqlx::PgPool;

use super::call_data::ingest;
use super::call_data_input::serve;

use super::erasure::{dry_run, request, store_counts};
use super::pom_sim::{contacts, spawn_with_pom, PomSim};
use super::purge_calls::{call_json, wait_for};

/// Call data for the person (+447700900123, customer P1) and for someone else, in Sales, and the
/// person's number in Collections' call data.
async fn call_data(pool: &PgPool) {
    sqlx::query("select call_data_ensure_month(date_trunc('month', now())::date)")
        .execute(pool)
        .await
        .unwrap();
    for (session, organization, contact_id, address) in [
        ("S1", "Sales", "P1", "+447700900123"),
        ("S2", "Sales", "P2", "+447700900321"),
        ("S3", "Collections", "C7", "+447700900123"),
    ] {
        let contact = json!({ "ACCOUNT_NO": format!("AC-{contact_id}"), "phoneNumber1": address });
        sqlx::query(
            "insert into call_attempt values (now(), $1, $2, 1, 'Camp', 'predictive', 'L', $3, $4,
                 'phoneNumber1', 'London', 1, now(), null, now(), now(), 'answer_human', 'Sale',
                 'Answer_Human', 'Sale', 'A1', 'T', 60, 5, false, null, null, null, $5, 1)",
        )
        .bind(session)
        .bind(organization)
        .bind(contact_id)
        .bind(address)
        .bind(&contact)
        .execute(pool)
        .await
        .unwrap();
        sqlx::query(
            "insert into contact_skip values (now(), 1, 'L', $1, $2, 'Camp', 'dnc', $3, 1)",
        )
        .bind(contact_id)
        .bind(organization)
        .bind(&contact)
        .execute(pool)
        .await
        .unwrap();
        sqlx::query(
            "insert into inbound_call values (now(), $1, $2, true, 'Q', $3, now(), 5, 'A1', 'T',
                 30, 5, 1)",
        )
        .bind(organization)
        .bind(format!("IN-{session}"))
        .bind(address)
        .execute(pool)
        .await
        .unwrap();
    }
    sqlx::query(
        "insert into call_data_unknown (source, feed_cursor, kind, problem, record) values
             ('feed', 1, 'queue_snapshot', null,
              '{\"organization\": \"Sales\", \"caller\": \"+447700900123\", \"note\": \"Jane\"}'),
             ('feed', 2, 'queue_snapshot', null,
              '{\"organization\": \"Sales\", \"caller\": \"+447700900321\"}')",
    )
    .execute(pool)
    .await
    .unwrap();
    sqlx::query(
        "insert into callback values (now(), 'CB1', 'S1', 'Sales', 1, 'Camp', 'L', 'P1',
             '+447700900123', 'standard', null, now(), now() + interval '1 day', null,
             'call Jane after six', 1),
             (now(), 'CB2', 'S2', 'Sales', 1, 'Camp', 'L', 'P2', '+447700900321', 'standard',
             null, now(), now() + interval '1 day', null, 'someone else', 1)",
    )
    .execute(pool)
    .await
    .unwrap();
}

#[sqlx::test]
async fn the_person_is_erased_from_the_call_data_and_nobody_else(pool: PgPool) {
    let sim = PomSim::start().await;
    let person = json!({ "userContactId": "P1", "phoneNumber1": "+447700900123" });
    sim.add_list("Sales_A", "Sales", &[contacts(2), vec![person]].concat())
        .await;
    let app = spawn_with_pom(pool.clone(), &sim, &[]).await;
    let admin = app.signed_in("admin").await;
    call_data(&pool).await;

    let (status, plan) = dry_run(&app, &admin, request("07700 900123", "")).await;
    assert_eq!(status, 200, "{plan}");
    let stores = store_counts(&plan);
    assert_eq!(
        [
            &stores["call_attempts"],
            &stores["call_callbacks"],
            &stores["call_inbound"],
            &stores["call_skips"],
            &stores["call_aside"]
        ],
        [&json!(1); 5],
        "{stores}"
    );
    let (status, job) = call_json(
        &app,
        &admin,
        "admin/erasure/start",
        json!({ "erasure_id": plan["erasure_id"], "typed_count": "1" }),
    )
    .await;
    assert_eq!(status, 200, "{job}");
    let (state, ..) = wait_for(&pool, job.as_i64().unwrap(), &["completed"]).await;
    assert_eq!(state, "completed");

    let attempts: Vec<(String, String, Option<String>, Option<Value>)> = sqlx::query_as(
        "select session_id, user_contact_id, address, contact from call_attempt order by session_id",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(
        (
            attempts[0].1.starts_with("erased:"),
            attempts[0].2.as_deref(),
            &attempts[0].3
        ),
        (true, Some("(erased)"), &None),
        "{attempts:?}"
    );
    assert_eq!(attempts[1].1, "P2", "someone else's attempt stays");
    assert_eq!(
        attempts[2].2.as_deref(),
        Some("+447700900123"),
        "another organization's call data is not touched"
    );
    let left: (i64, i64, i64, i64) = sqlx::query_as(
        "select (select count(*) from callback where address like '%900123%' or notes like '%Jane%'),
                (select count(*) from inbound_call where organization = 'Sales' and caller like '%900123%'),
                (select count(*) from contact_skip where organization = 'Sales' and contact::text like '%900123%'),
                (select count(*) from callback where notes = 'someone else')",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(left, (0, 0, 0, 1));
    let aside: Vec<String> =
        sqlx::query_scalar("select record::text from call_data_unknown order by feed_cursor")
            .fetch_all(&pool)
            .await
            .unwrap();
    assert!(
        !aside[0].contains("900123") && !aside[0].contains("Jane") && aside[1].contains("900321"),
        "{aside:?}"
    );
    let rows: i64 = sqlx::query_scalar(
        "select (select count(*) from call_attempt) + (select count(*) from inbound_call)
              + (select count(*) from contact_skip) + (select count(*) from callback)",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(
        rows, 11,
        "rows stay, so a replayed feed cannot bring the values back"
    );

    // Records read after the erasure (a feed behind) arrive with the person's values replaced.
    let lines = [
        (1, "S10", "P1", "07700 900123"),
        (2, "S11", "P5", "+447700900555"),
    ]
    .map(|(cursor, session, id, address)| (cursor, attempt(cursor, session, id, address)));
    let feed = serve(
        Arc::new(Mutex::new(lines.to_vec())),
        Arc::new(Mutex::new(None)),
    )
    .await;
    assert_eq!(ingest(&app, &feed).await.added, 2);
    let late: Vec<(String, String, Option<Value>)> = sqlx::query_as(
        "select user_contact_id, address, contact from call_attempt
          where session_id in ('S10', 'S11') order by session_id",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert!(late[0].0.starts_with("erased:"), "{late:?}");
    assert_eq!(
        (late[0].1.as_str(), &late[0].2),
        ("(erased)", &Some(json!({})))
    );
    assert_eq!(
        late[1].1, "+447700900555",
        "someone else's record is kept as it came"
    );
}

/// A feed line: an answered attempt for `id` at `address`, with the address among its attributes.
fn attempt(cursor: i64, session: &str, id: &str, address: &str) -> String {
    let at = "2026-12-01T10:00:00Z";
    json!({
        "cursor": cursor, "kind": "attempt", "session_id": session, "organization": "Sales",
        "job_id": 1, "campaign": "Camp", "campaign_type": "predictive", "list": "L",
        "user_contact_id": id, "address": address, "phone_attribute": "phoneNumber1",
        "zone": "London", "attempt_number": 1, "attempt_at": at, "ringback_at": null,
        "answered_at": at, "connect_at": at, "end_at": at, "result": "answer_human",
        "completion_code": "Sale", "sys_completion_code": "Answer_Human",
        "agent_completion_code": "Sale", "agent_id": "A1", "team": "T", "talk_seconds": 60,
        "wrap_up_seconds": 5, "nuisance": false, "nuisance_reason": null, "aux_reason": null,
        "callback_id": null, "contact": {"phoneNumber1": address, "ACCOUNT_NO": format!("AC-{id}")}
    })
    .to_string()
}
