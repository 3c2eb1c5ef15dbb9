//! Events for integrators against the simulator: a client's stream carries its organization's
//! campaign job states, emergency mode and DNC receipt states (not another organization's),
//! resumes after `Last-Event-ID`, pages the same events as JSON, refuses kinds outside its
//! scopes; webhooks are delivered signed, retried until the receiver answers 2xx, and logged.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::http::{HeaderMap, StatusCode};
use serde_json::{json, Value};

use super::api_v1_calls::{get, post, post_json, problem_code, register, token};
use super::campaign_calls::add_campaign;
use super::helpers::TestApp;
use super::pom_sim::{spawn_with_pom, PomSim};
use super::purge_calls::call_json;

/// A server-sent event as a client reads it.
#[derive(Debug, Clone)]
struct Sse {
    id: String,
    event: String,
    data: Value,
}

/// An open event stream, read event by event.
struct Stream {
    response: reqwest::Response,
    buffer: String,
}

impl Stream {
    async fn open(app: &TestApp, token: &str, query: &str, last: Option<&str>) -> Stream {
        let mut request = reqwest::Client::new()
            .get(app.url(&format!("/api/v1/events{query}")))
            .bearer_auth(token)
            .header("accept", "text/event-stream");
        if let Some(last) = last {
            request = request.header("last-event-id", last);
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), 200);
        Stream {
            response,
            buffer: String::new(),
        }
    }

    /// The next event (keep-alive comments skipped), within 10 s.
    async fn next(&mut self) -> Sse {
        loop {
            if let Some(end) = self.buffer.find("\n\n") {
                let block: String = self.buffer.drain(..end + 2).collect();
                let (mut id, mut event, mut data) = (String::new(), String::new(), String::new());
                for line in block.lines() {
                    if let Some(v) = line.strip_prefix("id:") {
                        id = v.trim().to_string();
                    } else if let Some(v) = line.strip_prefix("event:") {
                        event = v.trim().to_string();
                    } else if let Some(v) = line.strip_prefix("data:") {
                        data.push_str(v.trim());
                    }
                }
                if !event.is_empty() {
                    let data = serde_json::from_str(&data).unwrap_or(Value::Null);
                    return Sse { id, event, data };
                }
                continue;
            }
            let chunk = tokio::time::timeout(Duration::from_secs(10), self.response.chunk())
                .await
                .expect("an event within 10 s")
                .unwrap()
                .expect("the stream stays open");
            self.buffer.push_str(&String::from_utf8_lossy(&chunk));
        }
    }

    /// Events until one of `kind` in `state` (by `pom_state` or `state`; any, when none).
    async fn until(&mut self, kind: &str, state: Option<&str>) -> Vec<Sse> {
        let mut seen = Vec::new();
        loop {
            let event = self.next().await;
            let data = &event.data["data"];
            let done = event.event == kind
                && state.is_none_or(|state| {
                    [&data["pom_state"], &data["state"]]
                        .iter()
                        .any(|s| s.as_str() == Some(state))
                });
            seen.push(event);
            if done {
                return seen;
            }
        }
    }
}

#[sqlx::test]
async fn streams_and_pages_carry_what_the_client_may_see(pool: sqlx::PgPool) {
    let sim = PomSim::start().await;
    sim.add_dnc_list("Sales", Some("Sales"));
    sim.add_dnc_list("Collections", Some("Collections"));
    add_campaign(&sim, "Sales_Evening", "Sales", "predictive", false).await;
    let app = spawn_with_pom(pool, &sim, &[]).await;
    let scopes = ["dnc", "campaigns:read", "campaigns:control", "emergency"];
    let crm = token(&app, &register(&app, "crm", "Sales", &scopes).await).await;
    let coll = token(&app, &register(&app, "coll", "Collections", &["dnc"]).await).await;
    let mut sales = Stream::open(&app, &crm, "", None).await;
    let mut collections = Stream::open(&app, &coll, "", None).await;

    // A DNC receipt moving on: its states, ids only.
    let receipt = post_json(
        &app,
        &crm,
        "/dnc",
        None,
        &json!({ "phone": "+447700900123" }),
    )
    .await;
    let id = receipt.body["request_id"].as_str().unwrap().to_string();
    let seen = sales.until("dnc.request_state", Some("verified")).await;
    let states: Vec<(&str, &str)> = seen
        .iter()
        .map(|e| {
            assert_eq!(e.data["data"]["request_id"], id.as_str());
            assert_eq!(e.data["organization"], "Sales");
            assert!(e.data["data"].get("phone").is_none(), "no phone in events");
            (
                e.data["data"]["previous_state"].as_str().unwrap(),
                e.data["data"]["state"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(states, [("accepted", "applied"), ("applied", "verified")]);
    let first_id = seen[0].id.clone();

    // A campaign started: its job's states with OCM's status.
    let start = post(&app, &crm, "/campaigns/Sales_Evening/start").await;
    assert_eq!(start.status, 202, "{}", start.body);
    // Someone watching the campaign makes OCM read POM every second (else every 30 s).
    let watcher = {
        let (url, crm) = (app.url("/api/v1/campaigns/Sales_Evening"), crm.clone());
        tokio::spawn(async move {
            loop {
                let _ = reqwest::Client::new()
                    .get(&url)
                    .bearer_auth(&crm)
                    .send()
                    .await;
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
        })
    };
    let job = sales.until("campaign.job_state", Some("JOB_ACTIVE")).await;
    watcher.abort();
    let last = job.last().unwrap();
    assert_eq!(last.data["data"]["campaign"], "Sales_Evening");
    assert_eq!(last.data["data"]["status"], "running");

    // Emergency mode for the organization, then lifted.
    let on = post_json(
        &app,
        &crm,
        "/emergency/enable",
        None,
        &json!({ "reason": "drill" }),
    )
    .await;
    assert_eq!(on.status, 200, "{}", on.body);
    let enabled = sales.until("emergency.enabled", None).await;
    let enabled = enabled
        .iter()
        .find(|e| e.event == "emergency.enabled")
        .unwrap();
    assert_eq!(enabled.data["data"]["reason"], "drill");

    // Another organization's client saw none of it; its own receipt reaches it.
    let theirs = post_json(
        &app,
        &coll,
        "/dnc",
        None,
        &json!({ "phone": "+447700900124" }),
    )
    .await;
    assert_eq!(theirs.status, 202);
    let seen = collections
        .until("dnc.request_state", Some("verified"))
        .await;
    assert!(
        seen.iter().all(|e| e.data["organization"] == "Collections"),
        "{seen:?}"
    );

    // Resuming after the first event: the rest again, in order.
    let mut resumed = Stream::open(&app, &crm, "?types=dnc.request_state", Some(&first_id)).await;
    let again = resumed.next().await;
    assert_eq!(
        (again.event.as_str(), &again.data["data"]["state"]),
        ("dnc.request_state", &json!("verified"))
    );

    // Resuming after an event no longer kept: told first that some may be missing.
    let mut forgotten = Stream::open(&app, &crm, "", Some("1-1")).await;
    let gap = forgotten.next().await;
    assert_eq!(gap.event, "gap", "{gap:?}");
    assert!(get(&app, &crm, "/events?cursor=1-1").await.body["gap"] == json!(true));
    assert!(
        get(&app, &crm, &format!("/events?cursor={first_id}"))
            .await
            .body["gap"]
            == json!(false)
    );

    // The same events as JSON pages, one at a time, in the stream's order.
    let mut cursor = String::new();
    let mut paged = Vec::new();
    for _ in 0..50 {
        let page = get(&app, &crm, &format!("/events?limit=1&cursor={cursor}")).await;
        assert_eq!(page.status, 200, "{}", page.body);
        let items = page.body["items"].as_array().unwrap().clone();
        if items.is_empty() {
            break;
        }
        paged.push(items[0]["id"].as_str().unwrap().to_string());
        cursor = page.body["next_cursor"].as_str().unwrap().to_string();
    }
    assert_eq!(paged.first(), Some(&first_id));
    let kinds: Vec<String> = get(&app, &coll, "/events").await.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["organization"].as_str().unwrap_or("all").to_string())
        .collect();
    assert!(kinds.iter().all(|o| o == "Collections"), "{kinds:?}");

    // Bad input named; a client without an event scope refused.
    for (query, field) in [
        ("?types=dnc.anything", "types"),
        ("?types=records.cancel_state", "types"),
        ("?cursor=yesterday", "cursor"),
        ("?limit=0", "limit"),
        ("?colour=red", "colour"),
    ] {
        let refused = get(&app, &crm, &format!("/events{query}")).await;
        assert_eq!(
            (refused.status, problem_code(&refused)),
            (400, "invalid_parameter"),
            "{query}"
        );
        assert_eq!(refused.body["field"], field, "{query}");
    }
    let other = get(&app, &crm, "/events?organization=Collections").await;
    assert_eq!(
        (other.status, problem_code(&other)),
        (404, "organization_not_found")
    );
    // By default a webhook may not point into OCM's own network.
    let admin = app.signed_in("admin").await;
    let crm_id: String =
        sqlx::query_scalar("select api_client_id::text from api_client where name = 'crm'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    for inside in [
        "http://127.0.0.1:9/hook",
        "http://169.254.169.254/latest/meta-data",
    ] {
        let body = json!({ "new": { "client_id": crm_id, "url": inside, "kinds": [] } });
        let (status, refused) = call_json(&app, &admin, "admin/webhooks/create", body).await;
        assert_eq!(
            (status, refused["Validation"]["field"].as_str()),
            (400, Some("url")),
            "{inside}"
        );
    }
    let body = json!({ "new": { "client_id": crm_id, "url": "https://crm.example.com/h", "kinds": ["records.cancel_state"] } });
    let (status, refused) = call_json(&app, &admin, "admin/webhooks/create", body).await;
    assert_eq!(
        (status, refused["Validation"]["field"].as_str()),
        (400, Some("kinds")),
        "{refused}"
    );
    let reports = token(&app, &register(&app, "bi", "Sales", &["reports"]).await).await;
    let denied = get(&app, &reports, "/events").await;
    assert_eq!(
        (denied.status, problem_code(&denied)),
        (403, "insufficient_scope")
    );
}

/// What the test receiver got: (headers, body); it answers 500 to the first `failures`
/// deliveries of the first event it sees, 204 to everything else.
#[derive(Clone, Default)]
struct Received(Arc<Mutex<Vec<Delivery>>>);

/// One request the receiver got: its headers and body.
type Delivery = (HeaderMap, Vec<u8>);

async fn receiver(failures: usize) -> (String, Received) {
    let received = Received::default();
    let kept = received.clone();
    let app = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |headers: HeaderMap, body: axum::body::Bytes| {
            let kept = kept.clone();
            async move {
                let mut all = kept.0.lock().unwrap();
                let event = |h: &HeaderMap| h["ocm-event-id"].to_str().unwrap_or("").to_string();
                let first = all
                    .first()
                    .map_or_else(|| event(&headers), |(h, _)| event(h));
                all.push((headers, body.to_vec()));
                let tries = all.iter().filter(|(h, _)| event(h) == first).count();
                if event(&all.last().unwrap().0) == first && tries <= failures {
                    StatusCode::INTERNAL_SERVER_ERROR
                } else {
                    StatusCode::NO_CONTENT
                }
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, received)
}

#[sqlx::test]
async fn webhooks_are_signed_retried_until_accepted_and_logged(pool: sqlx::PgPool) {
    let sim = PomSim::start().await;
    sim.add_dnc_list("Sales", Some("Sales"));
    // The receivers listen on loopback: allowed here, refused by default.
    let allow = [("OCM_WEBHOOK_PRIVATE_ADDRESSES", "allow")];
    let app = spawn_with_pom(pool, &sim, &allow).await;
    let crm = register(&app, "crm", "Sales", &["dnc"]).await;
    let coll = register(&app, "coll", "Collections", &["dnc"]).await;
    let (url, received) = receiver(2).await;
    let (other_url, other_received) = receiver(0).await;
    let admin = app.signed_in("admin").await;
    let supervisor = app.signed_in("sup.a").await;

    let new = |client: &str, url: &str| json!({ "new": { "client_id": client, "url": url, "kinds": [] } });
    let (status, _) = call_json(
        &app,
        &supervisor,
        "admin/webhooks/create",
        new(&crm.client_id, &url),
    )
    .await;
    assert_eq!(status, 403, "admins only");
    let (status, refused) = call_json(
        &app,
        &admin,
        "admin/webhooks/create",
        new(&crm.client_id, "ftp://x"),
    )
    .await;
    assert_eq!(
        (status, refused["Validation"]["field"].as_str()),
        (400, Some("url")),
        "{refused}"
    );
    let (status, issued) = call_json(
        &app,
        &admin,
        "admin/webhooks/create",
        new(&crm.client_id, &url),
    )
    .await;
    assert_eq!(status, 200, "{issued}");
    let secret = issued["secret"].as_str().unwrap().to_string();
    assert!(secret.starts_with("ocmw_"));
    let (status, _) = call_json(
        &app,
        &admin,
        "admin/webhooks/create",
        new(&coll.client_id, &other_url),
    )
    .await;
    assert_eq!(status, 200);

    // A receipt's two state changes: the first delivery fails twice, then is accepted.
    let crm_token = token(&app, &crm).await;
    let receipt = post_json(
        &app,
        &crm_token,
        "/dnc",
        None,
        &json!({ "phone": "+447700900123" }),
    )
    .await;
    assert_eq!(receipt.status, 202);
    for _ in 0..300 {
        let delivered: i64 = sqlx::query_scalar(
            "select count(*) from api_webhook_delivery where state = 'delivered'",
        )
        .fetch_one(&app.pool)
        .await
        .unwrap();
        if delivered == 2 {
            break;
        }
        // The pauses between attempts (10 s, 30 s) are skipped.
        sqlx::query("update api_webhook_delivery set not_before = now() where state = 'pending'")
            .execute(&app.pool)
            .await
            .unwrap();
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let got = received.0.lock().unwrap().clone();
    assert_eq!(
        got.len(),
        4,
        "two failures, then each of the two events once"
    );
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    for (headers, body) in &got {
        let signature = headers["ocm-signature"].to_str().unwrap();
        assert!(domain::api::webhooks::sign::verify(
            &secret, signature, body, now, 300
        ));
        assert!(!domain::api::webhooks::sign::verify(
            "ocmw_wrong",
            signature,
            body,
            now,
            300
        ));
        let envelope: Value = serde_json::from_slice(body).unwrap();
        assert_eq!(envelope["type"], "dnc.request_state");
        assert_eq!(headers["ocm-event-id"].to_str().unwrap(), envelope["id"]);
    }
    let logged: Vec<(String, i32, Option<i32>)> = sqlx::query_as(
        "select state, attempts, last_status from api_webhook_delivery d
         join api_webhook w using (api_webhook_id) where w.url = $1 order by api_event_id",
    )
    .bind(&url)
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert_eq!(
        logged,
        [
            ("delivered".into(), 3, Some(204)),
            ("delivered".into(), 1, Some(204))
        ]
    );
    assert!(
        other_received.0.lock().unwrap().is_empty(),
        "another organization's webhook gets nothing of Sales"
    );
    let page: Value = app
        .call(&admin, "admin/webhooks", &[])
        .await
        .json()
        .await
        .unwrap();
    let shown: Vec<(&str, &Value)> = page["webhooks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| (w["client_name"].as_str().unwrap(), &w["delivered"]))
        .collect();
    assert_eq!(shown, [("coll", &json!(0)), ("crm", &json!(2))], "{page}");
    assert_eq!(app.audit_count("webhook.add").await, 2);

    // A test delivery goes to the one webhook pressed, signed like the rest.
    let crm_hook = page["webhooks"][1]["webhook_id"]
        .as_str()
        .unwrap()
        .to_string();
    let tested = app
        .call(
            &admin,
            "admin/webhooks/test",
            &[("webhook_id", crm_hook.as_str())],
        )
        .await;
    assert_eq!(tested.status(), 200);
    let mut test = None;
    for _ in 0..100 {
        test = received
            .0
            .lock()
            .unwrap()
            .iter()
            .find_map(|(headers, body)| {
                (headers["ocm-event-type"] == "webhook.test").then(|| body.clone())
            });
        if test.is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let test: Value = serde_json::from_slice(&test.expect("the test delivery")).unwrap();
    assert_eq!(test["data"]["webhook_id"], crm_hook.as_str());
    assert!(other_received.0.lock().unwrap().is_empty());
    let streamed = get(&app, &crm_token, "/events").await;
    assert!(
        streamed.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["type"] != "webhook.test"),
        "a test is not an event of the stream"
    );
}

#[sqlx::test]
async fn a_receiver_that_hangs_holds_only_its_own_two_slots(pool: sqlx::PgPool) {
    let sim = PomSim::start().await;
    sim.add_dnc_list("Sales", Some("Sales"));
    let allow = [("OCM_WEBHOOK_PRIVATE_ADDRESSES", "allow")];
    let app = spawn_with_pom(pool, &sim, &allow).await;
    let crm = register(&app, "crm", "Sales", &["dnc"]).await;
    let desk = register(&app, "desk", "Sales", &["dnc"]).await;
    // A receiver that answers only once the test lets it, counting requests open at once.
    let release = Arc::new(tokio::sync::Notify::new());
    let (open, most) = (Arc::new(Mutex::new(0)), Arc::new(Mutex::new(0)));
    let hanging = {
        let (release, open, most) = (release.clone(), open.clone(), most.clone());
        axum::Router::new().route(
            "/hook",
            axum::routing::post(move || {
                let (release, open, most) = (release.clone(), open.clone(), most.clone());
                async move {
                    {
                        let mut now = open.lock().unwrap();
                        *now += 1;
                        let mut top = most.lock().unwrap();
                        *top = (*top).max(*now);
                    }
                    release.notified().await;
                    *open.lock().unwrap() -= 1;
                    StatusCode::NO_CONTENT
                }
            }),
        )
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let hanging_url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, hanging).await });
    let (url, received) = receiver(0).await;
    let admin = app.signed_in("admin").await;
    for (client, url) in [(&crm.client_id, &hanging_url), (&desk.client_id, &url)] {
        let body = json!({ "new": { "client_id": client, "url": url, "kinds": [] } });
        let (status, _) = call_json(&app, &admin, "admin/webhooks/create", body).await;
        assert_eq!(status, 200);
    }
    let crm_token = token(&app, &crm).await;
    for i in 0..3 {
        let body = json!({ "phone": format!("+44770090020{i}") });
        assert_eq!(
            post_json(&app, &crm_token, "/dnc", None, &body)
                .await
                .status,
            202
        );
    }
    // Six events (three receipts, two changes each) reach the other receiver while the first
    // hangs with at most two of its own.
    for _ in 0..80 {
        if received.0.lock().unwrap().len() >= 6 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(received.0.lock().unwrap().len(), 6);
    assert!(
        *most.lock().unwrap() <= 2,
        "at most two at once to one webhook"
    );
    assert!(
        *open.lock().unwrap() >= 1,
        "the hanging receiver still holds its requests"
    );
    release.notify_waiters();
}
