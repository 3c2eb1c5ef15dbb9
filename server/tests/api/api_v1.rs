//! The automation API (`/api/v1`): clients and tokens, scopes and organizations, problem+json,
//! idempotency, rate limits, campaigns against the simulator, lists, Not-in-Listing batches, and
//! the OpenAPI document that lists every route.

use reqwest::Method;
use serde_json::Value;

use super::api_v1_calls::{answer, call, get, post, problem_code, register, token, token_for};
use super::campaign_calls::{call_form, campaigns_setup};
use super::helpers::spawn_app;
use super::pom_sim::{spawn_with_pom, PomSim};

#[sqlx::test]
async fn tokens_scopes_and_organizations_are_checked_on_every_call(pool: sqlx::PgPool) {
    let sim = PomSim::start().await;
    campaigns_setup(&sim).await;
    let app = spawn_with_pom(pool, &sim, &[]).await;
    let reader = register(&app, "crm", "Sales", &["campaigns:read"]).await;

    // Wrong secret, unknown client, no credentials: 401 problem+json, audited with the reason.
    let (status, body) = token_for(&app, &reader.client_id, "ocms_wrong").await;
    assert_eq!((status, body["code"].as_str()), (401, Some("unauthorized")));
    let basic = reqwest::Client::new()
        .post(app.url("/api/v1/auth/token"))
        .send()
        .await
        .unwrap();
    assert_eq!(basic.headers()["www-authenticate"], "Basic realm=\"ocm\"");
    let (status, _) = token_for(&app, "not-a-client", "x").await;
    assert_eq!(status, 401);
    let denied: Vec<String> = sqlx::query_scalar(
        "select parameters->>'reason' from audit_event where action = 'api.token' and outcome = 'denied' order by audit_event_id",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert_eq!(denied, ["wrong secret", "unknown client"]);
    let none = answer(reqwest::get(app.url("/api/v1/campaigns")).await.unwrap()).await;
    assert_eq!((none.status, problem_code(&none)), (401, "unauthorized"));
    assert!(none.headers["www-authenticate"]
        .to_str()
        .unwrap()
        .starts_with("Bearer"));
    let forged = call(&app, "ocmt_forged", Method::GET, "/campaigns", None).await;
    assert_eq!(forged.status, 401);

    let bearer = token(&app, &reader).await;
    let campaigns = get(&app, &bearer, "/campaigns").await;
    assert_eq!(campaigns.status, 200, "{}", campaigns.body);
    let names: Vec<&str> = campaigns.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["Sales_Callbacks", "Sales_Evening"],
        "only the client's organization, by name"
    );
    assert_eq!(campaigns.body["items"][0]["status"], "not_running");
    let one = get(&app, &bearer, "/campaigns/Sales_Evening").await;
    assert_eq!(
        (one.status, one.body["kind"].as_str()),
        (200, Some("predictive"))
    );

    // Another organization's campaign or organization: not found, as if it did not exist.
    let other = get(&app, &bearer, "/campaigns/Coll_Early").await;
    assert_eq!(
        (other.status, problem_code(&other)),
        (404, "campaign_not_found")
    );
    let named = get(&app, &bearer, "/campaigns?organization=Collections").await;
    assert_eq!(
        (named.status, problem_code(&named)),
        (404, "organization_not_found")
    );

    // Outside its scopes: 403, audited.
    let start = post(&app, &bearer, "/campaigns/Sales_Evening/start").await;
    assert_eq!(
        (start.status, problem_code(&start)),
        (403, "insufficient_scope")
    );
    assert_eq!(app.audit_count("api.scope_denied").await, 1);
    // Every read is audited with the client as the actor.
    // (Read records are written in batches by a task: wait for them, at most 10 s.)
    let mut readers: Vec<String> = Vec::new();
    for _ in 0..100 {
        readers = sqlx::query_scalar(
            "select distinct username from audit_event where action = 'api.read'",
        )
        .fetch_all(&app.pool)
        .await
        .unwrap();
        if !readers.is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(readers, ["api:crm"]);
    // Status reads are counted: a burst of calls makes a record a second with their number.
    for _ in 0..20 {
        get(&app, &bearer, "/campaigns/Sales_Evening").await;
    }
    let counted = "select count(*), coalesce(sum((counts->>'calls')::bigint), 0)::bigint, \
                          bool_and((parameters->>'counted')::boolean) \
                     from audit_event where action = 'api.read' \
                      and target = 'GET /api/v1/campaigns/{name}'";
    let mut records = (0_i64, 0_i64, Some(false));
    for _ in 0..100 {
        records = sqlx::query_as(counted).fetch_one(&app.pool).await.unwrap();
        if records.1 == 21 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!((records.1, records.2), (21, Some(true)), "{records:?}");
    assert!(records.0 < 21, "fewer records than calls: {records:?}");

    // A client of every organization names one per call.
    let all = register(&app, "warehouse", "", &["campaigns:read"]).await;
    let all_token = token(&app, &all).await;
    let unnamed = get(&app, &all_token, "/campaigns").await;
    assert_eq!(unnamed.body["field"], "organization", "{}", unnamed.body);
    let collections = get(&app, &all_token, "/campaigns?organization=Collections").await;
    assert_eq!(
        collections.body["items"][0]["name"], "Coll_Early",
        "{}",
        collections.body
    );
    let unknown = get(&app, &all_token, "/campaigns?organization=Nowhere").await;
    assert_eq!(problem_code(&unknown), "organization_not_found");

    // An admin rotating the secret or disabling the client (the page's server functions) ends
    // its tokens at once on this instance.
    let admin = app.signed_in("admin").await;
    let (status, rotated) = call_form(
        &app,
        &admin,
        "admin/api-clients/rotate",
        serde_json::json!({ "client_id": reader.client_id }),
    )
    .await;
    assert_eq!(status, 200, "{rotated}");
    assert_eq!(get(&app, &bearer, "/campaigns").await.status, 401);
    assert_eq!(
        token_for(&app, &reader.client_id, &reader.secret).await.0,
        401
    );
    let rotated_secret = rotated["secret"].as_str().unwrap();
    let (status, body) = token_for(&app, &reader.client_id, rotated_secret).await;
    assert_eq!(status, 200, "{body}");
    let fresh = body["access_token"].as_str().unwrap().to_string();
    assert_eq!(get(&app, &fresh, "/campaigns").await.status, 200);
    let (status, _) = call_form(
        &app,
        &admin,
        "admin/api-clients/enabled",
        serde_json::json!({ "client_id": reader.client_id, "enabled": false }),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(get(&app, &fresh, "/campaigns").await.status, 401);
    assert_eq!(
        token_for(&app, &reader.client_id, rotated_secret).await.0,
        401
    );
    // Managers and supervisors cannot see or change clients.
    let sup = app.signed_in("sup.a").await;
    let (status, _) = call_form(&app, &sup, "admin/api-clients", serde_json::json!({})).await;
    assert_eq!(status, 403);
    let stored: Vec<Vec<u8>> = sqlx::query_scalar("select secret_sha256 from api_client")
        .fetch_all(&app.pool)
        .await
        .unwrap();
    assert!(
        stored.iter().all(|s| s.len() == 32),
        "only hashes are stored"
    );
}

#[sqlx::test]
async fn campaign_control_runs_once_per_idempotency_key(pool: sqlx::PgPool) {
    let sim = PomSim::start().await;
    campaigns_setup(&sim).await;
    let app = spawn_with_pom(pool, &sim, &[]).await;
    let control = register(
        &app,
        "desk",
        "Sales",
        &["campaigns:read", "campaigns:control"],
    )
    .await;
    let bearer = token(&app, &control).await;

    let first = call(
        &app,
        &bearer,
        Method::POST,
        "/campaigns/Sales_Evening/start",
        Some("start-1"),
    )
    .await;
    assert_eq!(first.status, 202, "{}", first.body);
    let job = first.body["job_id"].as_i64().unwrap();
    let again = call(
        &app,
        &bearer,
        Method::POST,
        "/campaigns/Sales_Evening/start",
        Some("start-1"),
    )
    .await;
    assert_eq!(
        (again.status, &again.body),
        (202, &first.body),
        "the first answer again"
    );
    assert_eq!(again.headers["idempotent-replayed"], "true");
    let reused = call(
        &app,
        &bearer,
        Method::POST,
        "/campaigns/Sales_Callbacks/start",
        Some("start-1"),
    )
    .await;
    assert_eq!(
        (reused.status, problem_code(&reused)),
        (422, "idempotency_key_reused")
    );
    let starts: i64 =
        sqlx::query_scalar("select count(*) from campaign_action where action = 'start'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(starts, 1, "POM was asked once");
    let by: String = sqlx::query_scalar(
        "select requested_by_name from campaign_action where requested_by is null",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(by, "api:desk");

    // A second start while the job is open: refused before POM is asked.
    let twice = post(&app, &bearer, "/campaigns/Sales_Evening/start").await;
    assert_eq!(
        (twice.status, problem_code(&twice)),
        (409, "campaign_already_running")
    );
    let mut state = String::new();
    for _ in 0..100 {
        let view = get(&app, &bearer, "/campaigns/Sales_Evening").await;
        state = view.body["status"].as_str().unwrap_or_default().to_string();
        if state == "running" {
            assert_eq!(view.body["job"]["job_id"], job);
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(state, "running");
    let paused = post(&app, &bearer, "/campaigns/Sales_Evening/pause").await;
    assert_eq!(paused.status, 200, "{}", paused.body);
    // POM refuses to pause a paused job: its fault code comes back.
    let refused = post(&app, &bearer, "/campaigns/Sales_Evening/pause").await;
    assert_eq!(
        (refused.status, problem_code(&refused)),
        (409, "pom_refused")
    );
    assert_eq!(refused.body["pom_fault"], -55, "{}", refused.body);
    let stopped = post(&app, &bearer, "/campaigns/Sales_Evening/stop").await;
    assert_eq!(stopped.status, 202, "{}", stopped.body);
    let idle = post(&app, &bearer, "/campaigns/Sales_Callbacks/resume").await;
    assert_eq!(
        (idle.status, problem_code(&idle)),
        (409, "campaign_not_running")
    );
    let missing = post(&app, &bearer, "/campaigns/Nope/stop").await;
    assert_eq!(
        (missing.status, problem_code(&missing)),
        (404, "campaign_not_found")
    );
    let audited: Vec<String> = sqlx::query_scalar(
        "select action from audit_event where username = 'api:desk' and action like 'campaign.%' order by audit_event_id",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert!(
        audited.contains(&"campaign.start".to_string()),
        "{audited:?}"
    );
    assert!(
        audited.contains(&"campaign.pause".to_string()),
        "{audited:?}"
    );

    // POM down: 502, plainly.
    sim.faults(serde_json::json!([{ "endpoint": "campaigns.job.start", "error_rate": 1.0, "kind": { "status": 503 } }])).await;
    let down = post(&app, &bearer, "/campaigns/Sales_Callbacks/start").await;
    assert_eq!((down.status, problem_code(&down)), (502, "pom_unavailable"));
}

#[sqlx::test]
async fn bad_input_is_named_and_the_rate_limit_answers_429(pool: sqlx::PgPool) {
    let sim = PomSim::start().await;
    campaigns_setup(&sim).await;
    let app = spawn_with_pom(pool, &sim, &[("OCM_API_RATE_PER_MINUTE", "12")]).await;
    let client = register(&app, "batch", "Sales", &["campaigns:read", "reports"]).await;
    let bearer = token(&app, &client).await;

    let unknown = get(&app, &bearer, "/campaigns?organisation=Sales").await;
    assert_eq!(
        (unknown.status, unknown.body["field"].as_str()),
        (400, Some("organisation"))
    );
    assert!(
        unknown.body["detail"]
            .as_str()
            .unwrap()
            .contains("organisation"),
        "{}",
        unknown.body
    );
    let limit = get(&app, &bearer, "/campaigns?limit=0").await;
    assert_eq!(limit.body["field"], "limit");
    let paged = get(&app, &bearer, "/campaigns?limit=1").await;
    let cursor = paged.body["next_cursor"].as_str().unwrap().to_string();
    let next = get(
        &app,
        &bearer,
        &format!("/campaigns?limit=1&cursor={cursor}"),
    )
    .await;
    assert_eq!(next.body["items"][0]["name"], "Sales_Evening");
    assert!(next.body["next_cursor"].is_null());
    let route = get(&app, &bearer, "/nothing-here").await;
    assert_eq!(
        (route.status, problem_code(&route)),
        (404, "route_not_found")
    );

    // A Not-in-Listing batch: CSV only, refused whole naming row and column, then stored once.
    let post = |body: &'static str, content_type: &'static str, key: Option<&'static str>| {
        let mut request = reqwest::Client::new()
            .post(app.url("/api/v1/not-listed?list=Sales_List&batch=crm-2026-12-06"))
            .bearer_auth(&bearer)
            .header("content-type", content_type)
            .body(body);
        if let Some(key) = key {
            request = request.header("Idempotency-Key", key);
        }
        async move { answer(request.send().await.unwrap()).await }
    };
    let json = post("{}", "application/json", None).await;
    assert_eq!(
        (json.status, problem_code(&json)),
        (415, "unsupported_media_type")
    );
    let bad = post(
        "user_contact_id,phone,category,reason\nA1,,bad debt,Owes\n",
        "text/csv",
        None,
    )
    .await;
    assert_eq!(bad.status, 400, "{}", bad.body);
    assert_eq!(bad.body["field"], "category");
    assert!(
        bad.body["detail"].as_str().unwrap().contains("row 2"),
        "{}",
        bad.body
    );
    let good = "user_contact_id,phone,category,reason\nA1,+447700900001,bad_debt,Owes\nA2,,deceased,Estate\n";
    let stored = post(good, "text/csv", Some("batch-1")).await;
    assert_eq!(
        (stored.status, stored.body["rows"].as_i64()),
        (201, Some(2)),
        "{}",
        stored.body
    );
    let replay = post(good, "text/csv", Some("batch-1")).await;
    assert_eq!(replay.status, 201);
    let rows: Vec<(String, String)> = sqlx::query_as(
        "select user_contact_id, recorded_by from not_listed where stage = 'external' order by user_contact_id",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert_eq!(
        rows,
        [
            ("A1".into(), "api:batch".into()),
            ("A2".into(), "api:batch".into())
        ]
    );

    // 12 calls a minute: the rest of the minute's calls are refused with Retry-After.
    let mut limited = None;
    for _ in 0..12 {
        let answer = get(&app, &bearer, "/campaigns").await;
        if answer.status == 429 {
            limited = Some(answer);
            break;
        }
    }
    let limited = limited.expect("the limit is reached");
    assert_eq!(problem_code(&limited), "rate_limited");
    let wait: u64 = limited.headers["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&wait), "{wait}");
}

#[sqlx::test]
async fn the_openapi_document_lists_every_route_and_the_reference_shows_it(pool: sqlx::PgPool) {
    let app = spawn_app(pool).await;
    let document: Value = reqwest::get(app.url("/api/v1/openapi.json"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(document["openapi"], "3.1.0");
    let mut routes: Vec<String> = document["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, item)| {
            item.as_object()
                .unwrap()
                .keys()
                .map(move |m| format!("{} {path}", m.to_uppercase()))
        })
        .collect();
    routes.sort();
    // Every route the API serves; a route added without its description fails here.
    assert_eq!(
        routes,
        [
            "DELETE /dnc/{address}",
            "GET /callbacks",
            "GET /campaigns",
            "GET /campaigns/{name}",
            "GET /dnc/requests/{id}",
            "GET /dnc/{address}",
            "GET /emergency",
            "GET /events",
            "GET /lists",
            "GET /lists/{id}",
            "GET /records/cancel/{id}",
            "GET /reports/{report}",
            "GET /reports/{report}/{file}",
            "GET /teams",
            "GET /users",
            "PATCH /campaigns/{name}",
            "PATCH /teams/{id}",
            "PATCH /users/{id}",
            "POST /auth/token",
            "POST /callbacks",
            "POST /campaigns",
            "POST /campaigns/{name}/lists",
            "POST /campaigns/{name}/pause",
            "POST /campaigns/{name}/resume",
            "POST /campaigns/{name}/schedule",
            "POST /campaigns/{name}/start",
            "POST /campaigns/{name}/stop",
            "POST /dnc",
            "POST /emergency/disable",
            "POST /emergency/enable",
            "POST /not-listed",
            "POST /records/cancel",
            "POST /sales",
            "POST /teams",
            "POST /users",
        ]
    );
    for route in &routes {
        let (method, path) = route.split_once(' ').unwrap();
        let path = path
            .replace("{name}", "X")
            .replace("{id}", "1")
            .replace("{address}", "1")
            .replace("{report}", "dnc")
            .replace("{file}", "export.csv");
        let response = reqwest::Client::new()
            .request(method.parse().unwrap(), app.url(&format!("/api/v1{path}")))
            .send()
            .await
            .unwrap();
        assert_eq!(
            response.status(),
            401,
            "{route} is served and needs credentials"
        );
    }
    let page = reqwest::get(app.url("/api/docs"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for route in &routes {
        let (method, path) = route.split_once(' ').unwrap();
        assert!(
            page.contains(&format!("{method} /api/v1{path}")),
            "{route} on the reference page"
        );
    }
    assert!(page.contains("id=\"problem-campaign_already_running\""));
}
