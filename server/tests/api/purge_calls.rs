//! Calls the purge tests make: server functions with JSON bodies, a dry run followed by the
//! confirmation, and waiting for a job to reach a state.

use std::time::Duration;

use serde_json::{json, Value};
use sqlx::PgPool;

use super::helpers::TestApp;

pub async fn call_json(
    app: &TestApp,
    client: &reqwest::Client,
    endpoint: &str,
    body: Value,
) -> (u16, Value) {
    let response = client
        .post(app.url(&format!("/api/{endpoint}")))
        .header("accept", "application/json")
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

pub fn request(list_id: i64, attribute: &str, operator: &str, values: &[&str]) -> Value {
    json!({ "list_id": list_id, "attribute": attribute, "operator": operator,
            "values": values, "reason": "contract ended" })
}

pub async fn dry_run(app: &TestApp, client: &reqwest::Client, request: &Value) -> Value {
    let (status, body) =
        call_json(app, client, "purge/dry_run", json!({ "request": request })).await;
    assert_eq!(status, 200, "{body}");
    body
}

/// Dry run, then confirm with the shown count; returns (purge run id, job id).
pub async fn purge(app: &TestApp, client: &reqwest::Client, request: &Value) -> (i64, i64) {
    let plan = dry_run(app, client, request).await;
    let (status, started) = call_json(app, client, "purge/start", json!({
        "request": request, "typed_count": plan["matched"].to_string(), "fingerprint": plan["fingerprint"],
    }))
    .await;
    assert_eq!(status, 200, "{started}");
    let started = &started["Started"];
    (
        started["purge_run_id"].as_i64().unwrap(),
        started["job_id"].as_i64().unwrap(),
    )
}

/// Waits until the job reaches one of `states`; returns (state, done, failed, skipped, message).
pub async fn wait_for(
    pool: &PgPool,
    job_id: i64,
    states: &[&str],
) -> (String, i64, i64, i64, Option<String>) {
    for _ in 0..1200 {
        let row: (String, i64, i64, i64, Option<String>) = sqlx::query_as(
            "select state, done, failed, skipped, message from job where job_id = $1",
        )
        .bind(job_id)
        .fetch_one(pool)
        .await
        .unwrap();
        if states.contains(&row.0.as_str()) {
            return row;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("job {job_id} never reached {states:?}");
}

pub async fn app_call(
    app: &TestApp,
    client: &reqwest::Client,
    endpoint: &str,
    job_id: i64,
) -> (u16, String) {
    let response = app
        .call(client, endpoint, &[("job_id", &job_id.to_string())])
        .await;
    (response.status().as_u16(), response.text().await.unwrap())
}
