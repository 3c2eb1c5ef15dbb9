//! The live callback dashboard: `/callbacks/events` sends the counts on connect and again when a
//! callback scheduled through POM arrives with the call data, with a new revision; the counts
//! are worked out once per organization per interval however many follow them; another
//! organization is "not found", and the refusal audited.

use std::time::Duration;

use serde_json::{json, Value};

use super::api_v1_calls::{post, post_json, register, token};
use super::call_data::ingest;
use super::campaign_calls::{campaigns_setup, wait_state};
use super::pom_sim::{contacts, spawn_with_pom, PomSim};

/// The next event of an SSE response: its name and JSON data.
pub(super) async fn next_event(
    stream: &mut reqwest::Response,
    seen: &mut String,
) -> (String, Value) {
    while !seen.contains("\n\n") {
        let chunk = tokio::time::timeout(Duration::from_secs(15), stream.chunk())
            .await
            .expect("an event within 15 s")
            .unwrap()
            .expect("the stream stays open");
        seen.push_str(&String::from_utf8_lossy(&chunk));
    }
    let end = seen.find("\n\n").unwrap();
    let event: String = seen.drain(..end + 2).collect();
    let name = event
        .lines()
        .find_map(|l| l.strip_prefix("event: "))
        .unwrap_or_default()
        .to_string();
    let data: String = event
        .lines()
        .filter_map(|l| l.strip_prefix("data: "))
        .collect();
    if name.is_empty() {
        // A keep-alive comment: read on.
        return Box::pin(next_event(stream, seen)).await;
    }
    (name, serde_json::from_str(&data).unwrap())
}

fn section(counts: &Value, name: &str) -> i64 {
    counts["sections"]
        .as_array()
        .unwrap()
        .iter()
        .find(|pair| pair[0] == name)
        .map_or(0, |pair| pair[1].as_i64().unwrap())
}

#[sqlx::test]
async fn a_callback_reaches_open_dashboards_without_a_reload(pool: sqlx::PgPool) {
    let sim = PomSim::start().await;
    campaigns_setup(&sim).await;
    sim.add_list("Sales_Cb", "Sales", &contacts(2)).await;
    let app = spawn_with_pom(pool, &sim, &[("OCM_REPORT_TIME_ZONE", "Europe/London")]).await;
    let ops = token(
        &app,
        &register(
            &app,
            "ops",
            "Sales",
            &["campaigns:control", "campaigns:read"],
        )
        .await,
    )
    .await;
    let sup = app.signed_in("sup.a").await;
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

    let mut stream = sup.get(app.url("/callbacks/events")).send().await.unwrap();
    assert_eq!(stream.status(), 200);
    let mut seen = String::new();
    let (name, first) = next_event(&mut stream, &mut seen).await;
    assert_eq!(name, "callbacks");
    assert_eq!(section(&first, "later"), 0, "{first}");

    let due = format!(
        "{}T12:00",
        (time::OffsetDateTime::now_utc() + time::Duration::days(2)).date()
    );
    let body = json!({
        "campaign": "Sales_Evening", "list": "Sales_Cb", "contact_id": "C0001", "due": due,
        "time_zone": "Europe/London", "notes": "Call after lunch",
    });
    let scheduled = post_json(&app, &ops, "/callbacks", None, &body).await;
    assert!(scheduled.status < 300, "{}", scheduled.body);
    ingest(&app, &format!("{}/__sim/feed", sim.origin)).await;
    let (_, next) = next_event(&mut stream, &mut seen).await;
    assert_eq!(section(&next, "later"), 1, "{next}");
    assert_ne!(
        next["revision"], first["revision"],
        "a new callback is a new revision"
    );

    // However many follow, the counts are worked out once per interval.
    let before = app.state.callbacks.computations();
    let readers = (0..8).map(|_| domain::callbacks::live::current(&app.state, Some("Sales")));
    for counts in futures::future::join_all(readers).await {
        assert_eq!(counts.unwrap().revision, next["revision"].as_str().unwrap());
    }
    assert!(
        app.state.callbacks.computations() - before <= 1,
        "eight readers share one"
    );

    let other = app.signed_in("sup.b").await;
    let refused = other
        .get(app.url("/callbacks/events?organization=Sales"))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 404);
    assert!(app.audit_count("access.denied").await >= 1);
    let admin = app.signed_in("admin").await;
    let made_up = admin
        .get(app.url("/callbacks/events?organization=Nowhere"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        made_up.status(),
        404,
        "no counts for an organization OCM does not know"
    );
}
