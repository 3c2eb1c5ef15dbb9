//! Role and organization checks on server functions and pages.

use serde_json::json;

use super::helpers::{client, location, spawn_app};
use super::purge_calls::call_json;

#[sqlx::test(migrations = "../migrations")]
async fn unauthenticated_server_function_calls_get_401(pool: sqlx::PgPool) {
    let app = spawn_app(pool).await;
    for endpoint in ["session/me", "status/system", "session/extend"] {
        let response = app.call(&client(), endpoint, &[]).await;
        assert_eq!(response.status(), 401, "{endpoint}");
    }
    let (status, _) = call_json(&app, &client(), "audit/list", json!({ "request": {} })).await;
    assert_eq!(status, 401, "audit/list");
}

#[sqlx::test(migrations = "../migrations")]
async fn a_manager_calling_a_supervisor_function_gets_403_and_it_is_audited(pool: sqlx::PgPool) {
    let app = spawn_app(pool).await;
    let manager = app.signed_in("mgr.a").await;
    let (status, body) = call_json(&app, &manager, "audit/list", json!({ "request": {} })).await;
    assert_eq!(status, 403);
    assert_eq!(body, json!("Forbidden"));
    assert_eq!(app.audit_count("access.denied").await, 1);
    let export = manager
        .get(app.url("/audit/export.csv"))
        .send()
        .await
        .unwrap();
    assert_eq!(export.status(), 403);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_manager_may_use_the_functions_every_role_has(pool: sqlx::PgPool) {
    let app = spawn_app(pool).await;
    let manager = app.signed_in("mgr.a").await;
    assert_eq!(app.call(&manager, "status/system", &[]).await.status(), 200);
}

#[sqlx::test(migrations = "../migrations")]
async fn pages_redirect_to_sign_in_and_sign_in_redirects_home_when_signed_in(pool: sqlx::PgPool) {
    let app = spawn_app(pool).await;
    let anonymous = client();
    let page = anonymous.get(app.url("/audit")).send().await.unwrap();
    assert_eq!(page.status(), 303);
    assert_eq!(location(&page), "/login?next=%2Faudit");
    let login = anonymous.get(app.url("/login")).send().await.unwrap();
    assert_eq!(login.status(), 200);
    let html = login.text().await.unwrap();
    assert!(
        html.contains("action=\"/auth/login\""),
        "the form posts without JavaScript"
    );

    let signed_in = app.signed_in("sup.a").await;
    let login = signed_in.get(app.url("/login")).send().await.unwrap();
    assert_eq!(login.status(), 303);
    assert_eq!(location(&login), "/");
    let home = signed_in.get(app.url("/")).send().await.unwrap();
    assert_eq!(home.status(), 200);
    let html = home.text().await.unwrap();
    assert!(
        html.contains("Dashboard"),
        "dashboard rendered on the server"
    );
    assert!(html.contains("Sign out"));
}

#[sqlx::test(migrations = "../migrations")]
async fn unknown_paths_answer_404(pool: sqlx::PgPool) {
    let app = spawn_app(pool).await;
    let response = client().get(app.url("/no/such/page")).send().await.unwrap();
    assert_eq!(response.status(), 404);
}
