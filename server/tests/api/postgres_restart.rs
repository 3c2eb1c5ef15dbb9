//! Postgres restarted under a running OCM (issue 22): the real `ocm` binary on a throwaway
//! cluster of the test's own, a purge under way, the cluster stopped and started again on its
//! port. Meanwhile pages, server functions, the API and `/readyz` say the database is
//! unavailable; afterwards the job ends with exact counts, every matched contact deleted once,
//! and the session signed in before still works.

mod cluster;
mod ocm;

use std::time::{Duration, Instant};

use serde_json::{json, Value};
use sqlx::PgPool;

use super::helpers::{client, location, PASSWORD};
use super::pom_sim::{contacts, PomSim};
use super::purge_calls::request;
use cluster::Cluster;
use ocm::Ocm;

/// Contacts in the list; half of them (campaign id S01) are purged.
const CONTACTS: usize = 2_000;
const MATCHED: i64 = 1_000;

#[tokio::test]
async fn a_purge_outlives_a_postgres_restart_and_pages_say_the_database_is_unavailable_meanwhile() {
    let cluster = Cluster::start_new();
    let pool = cluster.create_database("ocm").await;
    let sim = PomSim::start().await;
    let all = contacts(CONTACTS);
    let list = sim.add_list("Restart", "Sales", &all).await;
    // Slow deletes: the job is surely under way when Postgres stops.
    let rules = json!([{ "endpoint": "contacts.delete", "latency_ms": 20 }]);
    sim.faults(rules.clone()).await;
    let (ocm, token) = serve_with_a_supervisor_and_a_client(&cluster, &sim).await;
    let browser = client();
    let response = browser
        .post(ocm.url("/auth/login"))
        .form(&[("username", "sup"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), "/", "signed in");
    let purge = request(list, "CAMP_ID", "equals", &["S01"]);
    let job_id = start_purge(&ocm, &browser, &purge).await;
    let done_at_stop = wait_until_done_at_least(&pool, job_id, 50).await;
    assert!(done_at_stop < MATCHED, "still under way: {done_at_stop}");

    cluster.stop();
    everything_says_the_database_is_unavailable(&ocm, &browser, &token, job_id).await;

    cluster.start();
    let (state, done, failed, skipped) = wait_for_end(&pool, job_id).await;
    assert_eq!(
        (state.as_str(), done, failed, skipped),
        ("completed", MATCHED, 0, 0)
    );
    let states: Vec<(String, i64)> = sqlx::query_as(
        "select p.state, count(*) from purge_contact p join purge_run r using (purge_run_id)
          where r.job_id = $1 group by p.state",
    )
    .bind(job_id)
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(
        states,
        [("deleted".to_string(), MATCHED)],
        "each deleted once: a second delete would have found it absent"
    );
    let mut left = sim.contact_ids(list).await;
    left.sort();
    let kept: Vec<String> = all
        .iter()
        .filter(|c| c["CAMP_ID"] == "S02")
        .map(|c| c["userContactId"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(left, kept, "exactly the others are left");
    assert_eq!(
        sim.carried_out(&rules, "contacts.delete").await,
        MATCHED as usize,
        "POM was asked to delete each contact once: none was sent again after the restart"
    );
    let page = browser.get(ocm.url("/lists")).send().await.unwrap();
    assert_eq!(page.status(), 200, "the session outlived the restart");
    let ready = reqwest::get(ocm.url("/readyz")).await.unwrap();
    assert_eq!(ready.status(), 200);
}

/// With the cluster stopped: a page, a server function and an API call answer 503 and say the
/// database is unavailable (the page in plain words, nothing of the set-up); `/readyz` says the
/// database is down while `/healthz` says the process lives.
async fn everything_says_the_database_is_unavailable(
    ocm: &Ocm,
    browser: &reqwest::Client,
    token: &str,
    job_id: i64,
) {
    let page = browser.get(ocm.url("/lists")).send().await.unwrap();
    assert_eq!(page.status(), 503);
    assert!(page.headers().contains_key("retry-after"));
    let text = page.text().await.unwrap().to_lowercase();
    assert!(text.contains("database unavailable"), "{text}");
    for detail in ["sqlx", "postgres://", "127.0.0.1", "error communicating"] {
        assert!(!text.contains(detail), "nothing of the set-up: {text}");
    }
    let server_fn = browser
        .post(ocm.url("/api/jobs/get"))
        .header("accept", "application/json")
        .form(&[("job_id", job_id.to_string())])
        .send()
        .await
        .unwrap();
    assert_eq!(server_fn.status(), 503);
    let error: Value = server_fn.json().await.unwrap();
    assert_eq!(error, json!("DatabaseUnavailable"));
    let api = reqwest::Client::new()
        .get(ocm.url("/api/v1/callbacks"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(api.status(), 503);
    assert_eq!(api.headers()["content-type"], "application/problem+json");
    let problem: Value = api.json().await.unwrap();
    assert_eq!(problem["code"], "database_unavailable", "{problem}");
    let ready = reqwest::get(ocm.url("/readyz")).await.unwrap();
    assert_eq!(ready.status(), 503);
    let ready: Value = ready.json().await.unwrap();
    assert_eq!(ready["status"], "not_ready", "{ready}");
    assert_eq!(ready["database"]["state"], "down", "{ready}");
    let alive = reqwest::get(ocm.url("/healthz")).await.unwrap();
    assert_eq!(alive.status(), 200);
}

/// OCM set up as an operator does (`ocm team add`, `ocm user add` with the password on standard
/// input, `ocm api-client add`), then served; answers it with a bearer token for the client.
async fn serve_with_a_supervisor_and_a_client(cluster: &Cluster, sim: &PomSim) -> (Ocm, String) {
    let ocm = Ocm::new(cluster, sim);
    ocm.cli("team add Sales --organization Sales", None);
    ocm.cli(
        "user add sup --role supervisor --team Sales",
        Some(PASSWORD),
    );
    let added = ocm.cli(
        "api-client add probe --organization Sales --scope reports",
        None,
    );
    let ocm = ocm.serve().await;
    let token = api_token(&ocm, &added).await;
    (ocm, token)
}

/// A bearer token for the client `ocm api-client add` printed.
async fn api_token(ocm: &Ocm, printed: &str) -> String {
    let field = |name: &str| {
        let line = printed.lines().find(|l| l.starts_with(name)).unwrap();
        line[name.len()..].trim().to_string()
    };
    let (id, secret) = (field("client_id:"), field("secret:"));
    let answer: Value = reqwest::Client::new()
        .post(ocm.url("/api/v1/auth/token"))
        .basic_auth(id, Some(secret))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    answer["access_token"].as_str().unwrap().to_string()
}

/// A server function called with a JSON body, as the purge page does.
async fn call(ocm: &Ocm, browser: &reqwest::Client, endpoint: &str, body: Value) -> Value {
    let response = browser
        .post(ocm.url(&format!("/api/{endpoint}")))
        .header("accept", "application/json")
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200, "{endpoint}");
    response.json().await.unwrap()
}

/// Dry run, then the confirmation with the count shown; answers the job's id.
async fn start_purge(ocm: &Ocm, browser: &reqwest::Client, request: &Value) -> i64 {
    let plan = call(ocm, browser, "purge/dry_run", json!({ "request": request })).await;
    assert_eq!(plan["matched"], MATCHED);
    let confirm = json!({ "request": request, "typed_count": plan["matched"].to_string(),
                          "fingerprint": plan["fingerprint"] });
    let started = call(ocm, browser, "purge/start", confirm).await;
    started["Started"]["job_id"].as_i64().unwrap()
}

async fn wait_until_done_at_least(pool: &PgPool, job_id: i64, done: i64) -> i64 {
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let now: i64 = sqlx::query_scalar("select done from job where job_id = $1")
            .bind(job_id)
            .fetch_one(pool)
            .await
            .unwrap();
        if now >= done {
            return now;
        }
        assert!(
            Instant::now() < deadline,
            "the purge never got going ({now})"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// The job's state and counters once it ends; the pool reconnects once the cluster is back.
async fn wait_for_end(pool: &PgPool, job_id: i64) -> (String, i64, i64, i64) {
    let deadline = Instant::now() + Duration::from_secs(300);
    loop {
        let row: Result<(String, i64, i64, i64), _> =
            sqlx::query_as("select state, done, failed, skipped from job where job_id = $1")
                .bind(job_id)
                .fetch_one(pool)
                .await;
        if let Ok(row) = &row {
            if ["completed", "paused", "failed", "cancelled"].contains(&row.0.as_str()) {
                return row.clone();
            }
        }
        assert!(
            Instant::now() < deadline,
            "the job never ended after the restart: {row:?}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}
