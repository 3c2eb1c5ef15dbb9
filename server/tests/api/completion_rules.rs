//! Completion-code rules end to end: admins save rules through the server functions (checked
//! against POM, refused field by field, supervisors refused); attempts read from a call-data feed
//! queue one application per rule and attempt, however often the feed is read again; the worker
//! carries each to the simulator (attribute set, contact uncallable, number on the DNC list),
//! retries a 5xx, fails a refusal in plain words, audits every try before and after, and the
//! contact's applications are read through the report by the contact's organization only.

use std::sync::{Arc, Mutex};

use serde_json::{json, Value};
use sqlx::PgPool;

use super::call_data::ingest;
use super::call_data_input::serve;
use super::campaign_calls::campaigns_setup;
use super::helpers::TestApp;
use super::pom_sim::{contacts, spawn_web_only, PomSim};

/// A feed line: an attempt of Sales_Evening on `Sales_Rules` for `contact`, closed with `code`.
pub(super) fn attempt(cursor: i64, contact: &str, code: &str) -> String {
    attempt_at(cursor, contact, code, time::OffsetDateTime::now_utc())
}

/// The same, ended at `ended`.
pub(super) fn attempt_at(
    cursor: i64,
    contact: &str,
    code: &str,
    ended: time::OffsetDateTime,
) -> String {
    let at = ended
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap();
    json!({
        "cursor": cursor, "kind": "attempt", "session_id": format!("S-{cursor}"),
        "organization": "Sales", "job_id": 1, "campaign": "Sales_Evening",
        "campaign_type": "predictive", "list": "Sales_Rules", "user_contact_id": contact,
        "address": format!("+4477009{cursor:05}"), "phone_attribute": "phoneNumber1",
        "zone": "London", "attempt_number": 1, "attempt_at": at, "ringback_at": null,
        "answered_at": at, "connect_at": at, "end_at": at, "result": "answer_human",
        "completion_code": code, "sys_completion_code": "Answer_Human",
        "agent_completion_code": code, "agent_id": "A1", "team": "T", "talk_seconds": 60,
        "wrap_up_seconds": 5, "nuisance": false, "nuisance_reason": null, "aux_reason": null,
        "callback_id": null, "contact": {}
    })
    .to_string()
}

pub(super) async fn add_rule(app: &TestApp, client: &reqwest::Client, form: Value) -> (u16, Value) {
    let response = client
        .post(app.url("/api/completion-rules/add"))
        .json(&json!({ "form": form }))
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

pub(super) fn rule(code: &str, action: &str, attribute: &str, kind: &str, value: &str) -> Value {
    json!({
        "organization": "Sales", "campaign": "Sales_Evening", "completion_code": code,
        "action": action, "attribute": attribute, "value_kind": kind,
        "fixed_value": if kind == "fixed" { value } else { "" },
        "days_after": if kind == "days_after" { value } else { "" },
    })
}

pub(super) async fn applications(
    pool: &PgPool,
) -> Vec<(String, String, String, i32, Option<String>)> {
    sqlx::query_as(
        "select user_contact_id, completion_code, state, tries, outcome
           from completion_rule_application order by application_id",
    )
    .fetch_all(pool)
    .await
    .unwrap()
}

pub(super) async fn work(app: &TestApp) {
    domain::completion_rules::worker::round(&app.state).await;
}

#[sqlx::test]
async fn rules_act_once_per_attempt_through_pom_with_retries_and_audit(pool: PgPool) {
    let sim = PomSim::start().await;
    campaigns_setup(&sim).await;
    let list_id = sim.add_list("Sales_Rules", "Sales", &contacts(4)).await;
    let dnc_list = sim.add_dnc_list("Sales_DNC", Some("Sales"));
    let app = spawn_web_only(pool.clone(), &sim, &[]).await;
    let admin = app.signed_in("admin").await;
    let sup = app.signed_in("sup.a").await;

    // Refusals, each at its field; a supervisor may not define rules.
    let refused = [
        (
            rule("NSP", "set_attribute", "phoneNumber1", "fixed", "x"),
            400,
            "attribute",
        ),
        (
            rule("NSP", "set_attribute", "NOPE", "fixed", "x"),
            400,
            "attribute",
        ),
        (
            rule("NSP", "set_attribute", "NEXT_ACTION", "fixed", ""),
            400,
            "fixed_value",
        ),
        (
            rule("N;SP", "add_dnc", "", "fixed", ""),
            400,
            "completion_code",
        ),
    ];
    for (form, status, field) in refused {
        let (got, body) = add_rule(&app, &admin, form).await;
        assert_eq!(got, status, "{body}");
        assert!(body.to_string().contains(field), "{body}");
    }
    let mut elsewhere = rule("NSP", "add_dnc", "", "fixed", "");
    elsewhere["campaign"] = json!("Nowhere");
    assert_eq!(add_rule(&app, &admin, elsewhere).await.0, 404);
    assert_eq!(
        add_rule(&app, &sup, rule("NSP", "add_dnc", "", "fixed", ""))
            .await
            .0,
        403
    );

    let rules = [
        rule("NSP", "set_attribute", "NEXT_ACTION", "fixed", "legal"),
        rule(
            "NO_SALE",
            "set_attribute",
            "NEXT_ACTION_DATE",
            "days_after",
            "30",
        ),
        rule("WRONG_NUMBER", "mark_uncallable", "", "fixed", ""),
        rule("WRONG_NUMBER", "add_dnc", "", "fixed", ""),
    ];
    for form in rules {
        let (status, body) = add_rule(&app, &admin, form).await;
        assert_eq!(status, 200, "{body}");
    }
    let (twice, _) = add_rule(
        &app,
        &admin,
        rule("NSP", "set_attribute", "NEXT_ACTION", "fixed", "other"),
    )
    .await;
    assert_eq!(twice, 400, "an enabled rule already does this");

    // C0001 NSP, C0002 NO_SALE, C0003 WRONG_NUMBER (two rules), a contact POM does not hold,
    // and a code no rule names.
    let lines = Arc::new(Mutex::new(vec![
        (1, attempt(1, "C0001", "NSP")),
        (2, attempt(2, "C0002", "NO_SALE")),
        (3, attempt(3, "C0003", "WRONG_NUMBER")),
        (4, attempt(4, "GONE", "NSP")),
        (5, attempt(5, "C0004", "SALE")),
    ]));
    let feed = serve(lines.clone(), Arc::new(Mutex::new(None))).await;
    ingest(&app, &feed).await;
    // The feed read again from its start queues nothing new.
    sqlx::query("update call_data_source set cursor_position = 0")
        .execute(&pool)
        .await
        .unwrap();
    ingest(&app, &feed).await;
    assert_eq!(
        applications(&pool).await.len(),
        5,
        "one per rule and attempt"
    );

    // POM failing with 500 on attribute updates: those wait for another try.
    sim.faults(json!([{ "endpoint": "UpdateContactAttributeValueToList", "error_rate": 1.0, "kind": { "status": 500 } }])).await;
    work(&app).await;
    let after_fault = applications(&pool).await;
    let waiting: Vec<_> = after_fault.iter().filter(|a| a.2 == "pending").collect();
    assert_eq!(waiting.len(), 3, "{after_fault:?}");
    assert!(waiting
        .iter()
        .all(|a| a.3 == 1 && a.4.as_deref().is_some_and(|o| o.contains("tries again"))));
    sim.faults(json!([])).await;
    sqlx::query(
        "update completion_rule_application set next_try_at = now() where state = 'pending'",
    )
    .execute(&pool)
    .await
    .unwrap();
    work(&app).await;
    let done = applications(&pool).await;
    let state_of = |contact: &str, code: &str| {
        done.iter()
            .filter(|a| a.0 == contact && a.1 == code)
            .map(|a| (a.2.clone(), a.4.clone().unwrap_or_default()))
            .collect::<Vec<_>>()
    };
    assert_eq!(state_of("C0001", "NSP")[0].0, "applied");
    assert_eq!(state_of("C0002", "NO_SALE")[0].0, "applied");
    assert!(state_of("C0003", "WRONG_NUMBER")
        .iter()
        .all(|s| s.0 == "applied"));
    let gone = &state_of("GONE", "NSP")[0];
    assert_eq!(gone.0, "failed");
    assert_eq!(gone.1, "The contact was not found in the list.");

    // What POM holds now.
    let held = sim.sim.with_world(|w, _| {
        let list = &w.lists[&list_id];
        let c = |id: &str| list.contacts[id].clone();
        (c("C0001"), c("C0002"), c("C0003"))
    });
    assert_eq!(held.0.attributes["NEXT_ACTION"], "legal");
    let in_30_days = domain::reports::today("Europe/London") + time::Duration::days(30);
    assert_eq!(
        held.1.attributes["NEXT_ACTION_DATE"],
        in_30_days.to_string()
    );
    assert!(!held.2.callable);
    assert_eq!(sim.dnc_addresses(dnc_list), ["+447700900003"]);
    let registry: Vec<(String, String, String)> = sqlx::query_as(
        "select action, state, address from dnc_entry where source = 'completion_rule' order by action",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(
        registry,
        [
            ("add".into(), "confirmed".into(), "+447700900003".into()),
            (
                "mark_uncallable".into(),
                "confirmed".into(),
                "+447700900003".into()
            )
        ]
    );
    // Every try audited before POM was asked and with its answer: 5 first tries, 3 second ones.
    assert_eq!(app.audit_count("completion_rule.apply.requested").await, 8);
    assert_eq!(app.audit_count("completion_rule.apply").await, 8);
    assert_eq!(app.audit_count("completion_rule.add").await, 4);

    // The contact's page reads its applications through the report: its organization only.
    let request =
        json!({ "request": { "filters": { "list": "Sales_Rules", "contact": "C0001" } } });
    let read = |client: reqwest::Client| {
        let url = app.url("/api/completion-rules/applications");
        let body = request.clone();
        async move {
            let response = client.post(url).json(&body).send().await.unwrap();
            let status = response.status().as_u16();
            (status, response.json::<Value>().await.unwrap())
        }
    };
    let (status, page) = read(sup.clone()).await;
    assert_eq!(status, 200, "{page}");
    assert_eq!(page["rows"][0]["effect"], "NEXT_ACTION = “legal”");
    assert_eq!(page["rows"][0]["previous_value"], "");
    let (status, page) = read(app.signed_in("sup.b").await).await;
    assert_eq!(
        (status, page["rows"].as_array().map(Vec::len)),
        (200, Some(0)),
        "{page}"
    );

    // The pages render on the server with what they show.
    let pages = [
        (
            "/admin/completion-rules".to_string(),
            "NEXT_ACTION = “legal”",
        ),
        (
            "/completion-rules/applications?state=failed".to_string(),
            "The contact was not found in the list.",
        ),
        (format!("/lists/{list_id}/contacts/C0001"), "legal"),
    ];
    for (path, shown) in pages {
        let response = admin.get(app.url(&path)).send().await.unwrap();
        assert_eq!(response.status(), 200, "{path}");
        let html = response.text().await.unwrap();
        assert!(html.contains(shown), "{path} shows {shown}");
    }

    // Disabled, a rule queues nothing more.
    let rule_id: i64 = sqlx::query_scalar(
        "select completion_rule_id from completion_rule where completion_code = 'NSP'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    let off = app
        .call(
            &admin,
            "completion-rules/enabled",
            &[("rule_id", &rule_id.to_string()), ("enabled", "false")],
        )
        .await;
    assert_eq!(off.status(), 200);
    lines.lock().unwrap().push((6, attempt(6, "C0004", "NSP")));
    ingest(&app, &feed).await;
    assert_eq!(applications(&pool).await.len(), 5);
    assert_eq!(app.audit_count("completion_rule.disable").await, 1);
}
