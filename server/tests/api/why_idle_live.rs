//! The floor's figures as many readers and other organizations see them: worked out once per
//! organization per interval whoever asks, streamed to open pages over `/floor/events`, and
//! another organization's "not found".

use std::time::Duration;

use serde_json::json;

use super::why_idle::{dial_for, started, why_idle, Setup, CAMPAIGN};

#[sqlx::test]
async fn figures_are_worked_out_once_per_interval_and_other_organizations_are_not_found(
    pool: sqlx::PgPool,
) {
    let (sim, app, sup, _) = started(pool, Setup::default(), &[]).await;
    dial_for(&sim, &app, 60_000).await;
    let before = app.state.floor.computations();
    let manager = app.signed_in("mgr.a").await;
    for client in [&sup, &manager, &sup, &manager] {
        let (status, body) = why_idle(&app, client, json!({})).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["organization"], "Sales");
    }
    // Four readers within the interval share at most two workings-out (one may straddle it).
    assert!(app.state.floor.computations() - before <= 2);
    let (status, body) = why_idle(&app, &sup, json!({ "organization": "Collections" })).await;
    assert_eq!(status, 404, "{body}");
    // An admin may name any organization, but only one OCM knows gets figures.
    let admin = app.signed_in("admin").await;
    let (status, body) = why_idle(&app, &admin, json!({ "organization": "Nowhere" })).await;
    assert_eq!(status, 404, "{body}");
    let (status, body) = why_idle(&app, &admin, json!({ "organization": "Collections" })).await;
    assert_eq!(
        (status, body["organization"].as_str()),
        (200, Some("Collections"))
    );
    let other = app.signed_in("sup.b").await;
    let (status, body) = why_idle(&app, &other, json!({ "organization": "Sales" })).await;
    assert_eq!(status, 404, "{body}");
    let (status, body) = why_idle(&app, &other, json!({})).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["organization"], "Collections");
    assert_eq!(body["idle"], json!([]));
    assert_eq!(body["jobs"], json!([]));
}

#[sqlx::test]
async fn the_figures_stream_to_open_pages_and_refuse_other_organizations(pool: sqlx::PgPool) {
    let (sim, app, sup, _) = started(pool, Setup::default(), &[]).await;
    dial_for(&sim, &app, 60_000).await;
    let mut stream = sup.get(app.url("/floor/events")).send().await.unwrap();
    assert_eq!(stream.status(), 200);
    let mut seen = String::new();
    while !seen.contains("\n\n") {
        let chunk = tokio::time::timeout(Duration::from_secs(10), stream.chunk())
            .await
            .expect("a first event within 10 s")
            .unwrap()
            .expect("the stream stays open");
        seen.push_str(&String::from_utf8_lossy(&chunk));
    }
    assert!(seen.starts_with("event: floor\n"), "{seen}");
    assert!(
        seen.contains(&format!("\"campaign\":\"{CAMPAIGN}\"")),
        "{seen}"
    );
    let other = app.signed_in("sup.b").await;
    let refused = other
        .get(app.url("/floor/events?organization=Sales"))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 404);
    assert!(app.audit_count("access.denied").await >= 1);
}
