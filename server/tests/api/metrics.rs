//! `/metrics` for a Prometheus scraper: after a failed sign-in, a page, a call to POM and an open
//! event stream, each shows in the text with its labels, beside the database's figures (jobs by
//! kind and state, ingestion, rules' queue); loopback only by default (a client forwarded by a
//! trusted proxy is someone else), a bearer token when so configured, nothing when off.

use sqlx::PgPool;

use super::campaign_calls::campaigns_setup;
use super::helpers::{client, spawn_app_with};
use super::pom_sim::{spawn_web_only, PomSim};

async fn scrape(app: &super::helpers::TestApp, headers: &[(&str, &str)]) -> (u16, String) {
    let mut request = client().get(app.url("/metrics"));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request.send().await.unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

/// Whether a sample line of `metric` carries every one of `labels`.
fn has(text: &str, metric: &str, labels: &[&str]) -> bool {
    text.lines().any(|line| {
        line.starts_with(&format!("{metric}{{")) && labels.iter().all(|l| line.contains(l))
    })
}

#[sqlx::test]
async fn what_happened_shows_to_the_scraper_this_machine_runs(pool: PgPool) {
    let sim = PomSim::start().await;
    campaigns_setup(&sim).await;
    let app = spawn_web_only(pool, &sim, &[]).await;
    let refused = app
        .post_login(&client(), "admin", "not the password", &[])
        .await;
    assert_eq!(refused.status(), 303);
    let admin = app.signed_in("admin").await;
    let rules = app.call(&admin, "completion-rules/view", &[]).await;
    assert_eq!(rules.status(), 200, "asks POM for campaigns and attributes");
    admin.get(app.url("/lists/7")).send().await.unwrap();
    let mut stream = admin.get(app.url("/events")).send().await.unwrap();
    assert_eq!(stream.status(), 200);
    let _ = tokio::time::timeout(std::time::Duration::from_secs(2), stream.chunk()).await;

    let (status, text) = scrape(&app, &[]).await;
    assert_eq!(status, 200, "{text}");
    assert!(
        has(
            &text,
            "ocm_http_requests_total",
            &[r#"route="/lists/{id}""#, r#"method="GET""#]
        ),
        "the matched route, not the path"
    );
    assert!(has(
        &text,
        "ocm_http_request_duration_seconds_bucket",
        &[r#"route="/auth/login""#, "le="]
    ));
    assert!(has(
        &text,
        "ocm_sign_in_failures_total",
        &[r#"step="password""#]
    ));
    assert!(has(
        &text,
        "ocm_pom_calls_total",
        &[r#"operation="GetAttributesList""#, r#"outcome="ok""#]
    ));
    assert!(has(
        &text,
        "ocm_pom_call_duration_seconds_bucket",
        &[r#"operation="GetAttributesList""#]
    ));
    assert!(has(&text, "ocm_event_streams_open", &[r#"stream="jobs""#]));
    assert!(has(
        &text,
        "ocm_jobs",
        &[r#"kind="purge""#, r#"state="queued""#]
    ));
    assert!(has(
        &text,
        "ocm_job_queue_oldest_seconds",
        &[r#"kind="dnc_send""#]
    ));
    for line in [
        "ocm_database_up 1",
        "ocm_completion_rule_applications_waiting 0",
        "# HELP ocm_pom_calls_total",
    ] {
        assert!(
            text.lines().any(|l| l == line || l.starts_with(line)),
            "{line}"
        );
    }
    drop(stream);
}

#[sqlx::test]
async fn through_a_trusted_proxy_the_client_is_the_one_it_forwarded(pool: PgPool) {
    let proxied = spawn_app_with(pool, &[("OCM_TRUSTED_PROXIES", "127.0.0.1")]).await;
    let (status, _) = scrape(&proxied, &[("x-forwarded-for", "203.0.113.9")]).await;
    assert_eq!(status, 403);
    let (status, _) = scrape(&proxied, &[("x-forwarded-for", "127.0.0.1")]).await;
    assert_eq!(status, 200);
}

#[sqlx::test]
async fn a_token_when_configured(pool: PgPool) {
    let token = "a-metrics-token-of-enough-length-0123";
    let guarded = spawn_app_with(
        pool,
        &[("OCM_METRICS", "token"), ("OCM_METRICS_TOKEN", token)],
    )
    .await;
    assert_eq!(scrape(&guarded, &[]).await.0, 401);
    let wrong = scrape(
        &guarded,
        &[(
            "authorization",
            "Bearer a-metrics-token-of-enough-length-012",
        )],
    )
    .await;
    assert_eq!(wrong.0, 401);
    let bearer = format!("Bearer {token}");
    let (status, text) = scrape(&guarded, &[("authorization", &bearer)]).await;
    assert_eq!(status, 200);
    assert!(text.contains("ocm_database_up 1"), "{text}");
}

#[sqlx::test]
async fn nothing_when_off(pool: PgPool) {
    let off = spawn_app_with(pool, &[("OCM_METRICS", "off")]).await;
    assert_eq!(scrape(&off, &[]).await.0, 404);
}
