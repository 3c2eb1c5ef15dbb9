//! Calls the automation API tests make: register a client, get a token, call with it.

use domain::api::clients::{self, Author};
use domain::audit::Actor;
use domain::request_meta::RequestMeta;
use reqwest::header::HeaderMap;
use serde_json::Value;
use types::model::{IssuedSecret, NewApiClient};

use super::helpers::TestApp;

/// Registers a client of `organization` (empty: all) with `scopes`.
pub async fn register(
    app: &TestApp,
    name: &str,
    organization: &str,
    scopes: &[&str],
) -> IssuedSecret {
    let actor = Actor::named("test");
    let meta = RequestMeta::background("test");
    let new = NewApiClient {
        name: name.into(),
        organization: organization.into(),
        all_organizations: organization.is_empty(),
        scopes: scopes.iter().map(|s| s.to_string()).collect(),
        expires_on: String::new(),
    };
    clients::create(
        &app.pool,
        Author {
            actor: &actor,
            meta: &meta,
        },
        &new,
        "UTC",
    )
    .await
    .unwrap()
}

/// `POST /api/v1/auth/token` with HTTP Basic; answers (status, body).
pub async fn token_for(app: &TestApp, id: &str, secret: &str) -> (u16, Value) {
    let response = reqwest::Client::new()
        .post(app.url("/api/v1/auth/token"))
        .basic_auth(id, Some(secret))
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// A live token of the client.
pub async fn token(app: &TestApp, issued: &IssuedSecret) -> String {
    let (status, body) = token_for(app, &issued.client_id, &issued.secret).await;
    assert_eq!(status, 200, "{body}");
    body["access_token"].as_str().unwrap().to_string()
}

/// One answer: status, headers, JSON body (null when none).
pub struct Answer {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Value,
}

/// A call with the token; `body` is sent as JSON when given; `key` as `Idempotency-Key`.
pub async fn call(
    app: &TestApp,
    token: &str,
    method: reqwest::Method,
    path: &str,
    key: Option<&str>,
) -> Answer {
    let mut request = reqwest::Client::new()
        .request(method, app.url(&format!("/api/v1{path}")))
        .bearer_auth(token);
    if let Some(key) = key {
        request = request.header("Idempotency-Key", key);
    }
    answer(request.send().await.unwrap()).await
}

/// A GET with the token.
pub async fn get(app: &TestApp, token: &str, path: &str) -> Answer {
    call(app, token, reqwest::Method::GET, path, None).await
}

/// A POST with the token and no body or key.
pub async fn post(app: &TestApp, token: &str, path: &str) -> Answer {
    call(app, token, reqwest::Method::POST, path, None).await
}

/// A POST of `body` as JSON with the token, and `key` as `Idempotency-Key` when given.
pub async fn post_json(
    app: &TestApp,
    token: &str,
    path: &str,
    key: Option<&str>,
    body: &Value,
) -> Answer {
    let mut request = reqwest::Client::new()
        .post(app.url(&format!("/api/v1{path}")))
        .bearer_auth(token)
        .json(body);
    if let Some(key) = key {
        request = request.header("Idempotency-Key", key);
    }
    answer(request.send().await.unwrap()).await
}

/// Reads an answer.
pub async fn answer(response: reqwest::Response) -> Answer {
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let text = response.text().await.unwrap();
    Answer {
        status,
        headers,
        body: serde_json::from_str(&text).unwrap_or(Value::Null),
    }
}

/// A problem answer's content type and code.
pub fn problem_code(answer: &Answer) -> &str {
    assert_eq!(
        answer.headers["content-type"], "application/problem+json",
        "{}",
        answer.body
    );
    answer.body["code"].as_str().unwrap_or_default()
}
