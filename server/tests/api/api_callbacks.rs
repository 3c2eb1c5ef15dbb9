//! Callbacks through the automation API against the simulator: scheduled through POM's
//! `ScheduleCallBack` with each refusal mapped (POM's faults, OCM's own checks: another
//! organization's list, a number on a DNC list, fields; POM down), once
//! per `Idempotency-Key`, audited; brought back by the call-data feed to the dashboard's list,
//! where it moves between sections as time passes its due time and ends when POM expires it.

use domain::callbacks::counts::counts_at;
use domain::callbacks::Standing;
use serde_json::{json, Value};
use time::format_description::well_known::Rfc3339;
use time::{Duration, OffsetDateTime};
use types::model::CallbackSection;

use super::api_v1_calls::{get, post, post_json, problem_code, register, token};
use super::call_data::ingest;
use super::campaign_calls::{campaigns_setup, wait_state};
use super::helpers::TestApp;
use super::pom_sim::{contacts, spawn_with_pom, PomSim};

/// Tomorrow at noon (a wall time in the zone, far enough ahead to be "later" now).
fn tomorrow_noon() -> String {
    let date = (OffsetDateTime::now_utc() + Duration::days(1)).date();
    format!("{date}T12:00")
}

async fn section_at(app: &TestApp, now: OffsetDateTime) -> Vec<(CallbackSection, i64)> {
    let standing = Standing {
        organization: Some("Sales".into()),
        zone: "Europe/London".into(),
        now,
    };
    let counts = counts_at(&app.pool, &standing).await.unwrap();
    counts
        .sections
        .into_iter()
        .filter(|(_, n)| *n > 0)
        .collect()
}

fn refusal(answer: &super::api_v1_calls::Answer) -> (u16, String, Value, Value) {
    (
        answer.status,
        problem_code(answer).to_string(),
        answer.body["pom_fault"].clone(),
        answer.body["field"].clone(),
    )
}

#[sqlx::test]
async fn callbacks_scheduled_through_pom_reach_the_list_and_move_between_sections(
    pool: sqlx::PgPool,
) {
    let sim = PomSim::start().await;
    campaigns_setup(&sim).await;
    let mut people = contacts(3);
    people[2]["phoneNumber1"] = json!("");
    sim.add_list("Sales_Cb", "Sales", &people).await;
    sim.add_list("Coll_Cb", "Collections", &contacts(1)).await;
    let app = spawn_with_pom(pool, &sim, &[("OCM_REPORT_TIME_ZONE", "Europe/London")]).await;
    let scopes = ["campaigns:control", "campaigns:read"];
    let ops = token(&app, &register(&app, "ops", "Sales", &scopes).await).await;
    let reader = token(
        &app,
        &register(&app, "wallboard", "Sales", &["reports"]).await,
    )
    .await;
    let watcher = token(
        &app,
        &register(&app, "status", "Sales", &["campaigns:read"]).await,
    )
    .await;
    let sup = app.signed_in("sup.a").await;
    let due = tomorrow_noon();
    let body = json!({
        "campaign": "Sales_Evening", "list": "Sales_Cb", "contact_id": "C0001", "due": due,
        "time_zone": "Europe/London", "notes": "Wants the renewal price",
    });
    let with = |changes: Value| {
        let mut changed = body.clone();
        for (k, v) in changes.as_object().unwrap() {
            changed[k] = v.clone();
        }
        changed
    };

    // POM refuses while the campaign has no running job; a reader may not schedule.
    let early = post_json(&app, &ops, "/callbacks", None, &body).await;
    assert_eq!(refusal(&early).0, 409, "{}", early.body);
    assert_eq!(
        (refusal(&early).1.as_str(), refusal(&early).2),
        ("pom_refused", json!(-39))
    );
    let denied = post_json(&app, &reader, "/callbacks", None, &body).await;
    assert_eq!(
        (denied.status, problem_code(&denied)),
        (403, "insufficient_scope")
    );
    assert_eq!(
        post(&app, &ops, "/campaigns/Sales_Evening/start")
            .await
            .status,
        202
    );
    wait_state(&app, &sup, "Sales", "Sales_Evening", "JOB_ACTIVE").await;
    let list = json!({ "list": "Sales_Cb" });
    let added = post_json(&app, &ops, "/campaigns/Sales_Evening/lists", None, &list).await;
    assert_eq!(added.status, 200, "{}", added.body);

    // Each of POM's refusals it can meet here, in the operation's words.
    for (changes, fault) in [
        (json!({ "contact_id": "nobody" }), -2),
        (json!({ "contact_id": "C0003" }), -19),
    ] {
        let refused = post_json(&app, &ops, "/callbacks", None, &with(changes.clone())).await;
        assert_eq!(
            refusal(&refused).2,
            json!(fault),
            "{changes}: {}",
            refused.body
        );
        assert_eq!(refused.status, 409);
        assert!(
            !refused.body["detail"].as_str().unwrap().contains("DNC"),
            "{}",
            refused.body
        );
    }
    // OCM's own checks, before POM is asked, naming the field.
    let yesterday = (OffsetDateTime::now_utc() - Duration::days(1)).date();
    for (changes, field) in [
        (json!({ "due": format!("{yesterday}T12:00") }), "due"),
        (
            json!({ "expires": format!("{yesterday}T12:00") }),
            "expires",
        ),
        (json!({ "address": "call me" }), "address"),
        (json!({ "time_zone": "Mars/Olympus" }), "time_zone"),
        (json!({ "phone_attribute": "email" }), "phone_attribute"),
        (json!({ "contact_id": "" }), "contact_id"),
        (json!({ "priority": "high" }), "priority"),
    ] {
        let refused = post_json(&app, &ops, "/callbacks", None, &with(changes.clone())).await;
        assert_eq!(
            (refused.status, refusal(&refused).3),
            (400, json!(field)),
            "{changes}"
        );
    }
    let other_list = with(json!({ "list": "Coll_Cb" }));
    let other_list = post_json(&app, &ops, "/callbacks", None, &other_list).await;
    assert_eq!(
        (other_list.status, problem_code(&other_list)),
        (404, "list_not_found")
    );
    // A number given in place of the contact's is not called when it is on a DNC list.
    let dnc = sim.add_dnc_list("Sales", Some("Sales"));
    sim.sim.with_world(|w, _| {
        let list = w.dnc_lists.get_mut(&dnc).unwrap();
        list.addresses.insert("+447700900123".into());
    });
    let listed = with(json!({ "address": "+447700900123" }));
    let listed = post_json(&app, &ops, "/callbacks", None, &listed).await;
    assert_eq!(
        (listed.status, listed.body["field"].as_str()),
        (400, Some("address")),
        "{}",
        listed.body
    );
    let foreign = post_json(
        &app,
        &ops,
        "/callbacks",
        None,
        &with(json!({ "campaign": "Coll_Early" })),
    )
    .await;
    assert_eq!(
        (foreign.status, problem_code(&foreign)),
        (404, "campaign_not_found")
    );
    sim.faults(
        json!([{ "endpoint": "ScheduleCallBack", "error_rate": 1.0, "kind": { "status": 503 } }]),
    )
    .await;
    let down = post_json(&app, &ops, "/callbacks", None, &body).await;
    assert_eq!(down.status, 502, "{}", down.body);
    sim.faults(json!([])).await;

    // Scheduled once per key, audited before and after.
    let first = post_json(&app, &ops, "/callbacks", Some("cb-1"), &body).await;
    assert_eq!(first.status, 201, "{}", first.body);
    assert_eq!(first.body["due_local"], due.replace('T', " "));
    let again = post_json(&app, &ops, "/callbacks", Some("cb-1"), &body).await;
    assert_eq!(
        (again.status, &again.headers["idempotent-replayed"]),
        (201, &"true".parse().unwrap())
    );
    let scheduled = sim.sim.with_world(|w, _| w.dialer.scheduled_callbacks);
    assert_eq!(scheduled, 1, "POM was asked once");
    assert!(app.audit_count("callback.schedule.requested").await >= 1);
    assert!(app.audit_count("callback.schedule").await >= 1);

    // The feed brings it back: on the list, not arranged on a call, later than today.
    let feed = format!("{}/__sim/feed", sim.origin);
    ingest(&app, &feed).await;
    let page = get(&app, &reader, "/callbacks").await;
    assert_eq!(page.status, 200, "{}", page.body);
    let personal = get(&app, &watcher, "/callbacks").await;
    assert_eq!(
        personal.status, 403,
        "phones and notes need the reports scope"
    );
    let items = page.body["items"].as_array().unwrap();
    let ours = items
        .iter()
        .find(|i| i["callback_id"] == "WS-1")
        .unwrap_or_else(|| panic!("{items:?}"));
    assert_eq!(
        (ours["section"].as_str(), ours["on_call"].as_str()),
        (Some("later"), Some("false"))
    );
    assert_eq!(
        (ours["contact_id"].as_str(), ours["state"].as_str()),
        (Some("C0001"), Some("created"))
    );
    assert_eq!(ours["notes"], "Wants the renewal price");
    let filtered = get(&app, &reader, "/callbacks?section=overdue&contact=C0001").await;
    assert_eq!(filtered.body["items"], json!([]), "{}", filtered.body);
    let unknown = get(&app, &reader, "/callbacks?section=soon").await;
    assert_eq!(
        (unknown.status, unknown.body["field"].as_str()),
        (400, Some("section"))
    );

    // As the clock passes its due time it moves: later, later today, next hour, overdue.
    let due_at = OffsetDateTime::parse(first.body["due_at"].as_str().unwrap(), &Rfc3339).unwrap();
    for (now, section) in [
        (due_at - Duration::days(1), CallbackSection::Later),
        (due_at - Duration::hours(3), CallbackSection::LaterToday),
        (due_at - Duration::minutes(30), CallbackSection::NextHour),
        (due_at + Duration::minutes(5), CallbackSection::Overdue),
    ] {
        assert_eq!(section_at(&app, now).await, vec![(section, 1)], "at {now}");
    }

    // With the job stopped nobody dials it; past its end POM expires it and it has ended.
    assert_eq!(
        post(&app, &ops, "/campaigns/Sales_Evening/stop")
            .await
            .status,
        202
    );
    let clock = format!("{}/__sim/clock", sim.origin);
    sim.http
        .post(&clock)
        .json(&json!({ "advance_ms": 60_000 }))
        .send()
        .await
        .unwrap();
    wait_state(&app, &sup, "Sales", "Sales_Evening", "JOB_STOPPED").await;
    sim.http
        .post(&clock)
        .json(&json!({ "advance_ms": 2 * 86_400_000 }))
        .send()
        .await
        .unwrap();
    ingest(&app, &feed).await;
    let ended = get(&app, &reader, "/callbacks?section=ended").await;
    let items = ended.body["items"].as_array().unwrap();
    let ours = items
        .iter()
        .find(|i| i["callback_id"] == "WS-1")
        .unwrap_or_else(|| panic!("{}", ended.body));
    assert_eq!(ours["state"], "expired");
    let open = get(&app, &reader, "/callbacks").await;
    assert!(!open.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|i| i["callback_id"] == "WS-1"));
}
