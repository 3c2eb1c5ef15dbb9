//! Inactivity expiry, the countdown, extension and sign-out.

use super::helpers::{location, spawn_app};

async fn make_idle(pool: &sqlx::PgPool, minutes: i32) {
    sqlx::query("update login_session set last_seen_at = now() - make_interval(mins => $1)")
        .bind(minutes)
        .execute(pool)
        .await
        .unwrap();
}

#[sqlx::test(migrations = "../migrations")]
async fn an_idle_session_is_gone_and_its_expiry_audited(pool: sqlx::PgPool) {
    let app = spawn_app(pool).await;
    let client = app.signed_in("sup.a").await;
    assert_eq!(app.call(&client, "session/me", &[]).await.status(), 200);
    make_idle(&app.pool, 16).await;
    let response = app.call(&client, "session/me", &[]).await;
    assert_eq!(response.status(), 401);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body, serde_json::json!("SessionExpired"));
    assert_eq!(app.audit_count("session.expired").await, 1);
    let page = client.get(app.url("/audit")).send().await.unwrap();
    assert_eq!(page.status(), 303);
    assert!(location(&page).starts_with("/login"), "{}", location(&page));
}

#[sqlx::test(migrations = "../migrations")]
async fn a_page_request_after_expiry_redirects_to_sign_in_with_the_reason(pool: sqlx::PgPool) {
    let app = spawn_app(pool).await;
    let client = app.signed_in("sup.a").await;
    make_idle(&app.pool, 16).await;
    let page = client.get(app.url("/audit?page=2")).send().await.unwrap();
    assert_eq!(page.status(), 303);
    assert_eq!(location(&page), "/login?expired=1&next=%2Faudit%3Fpage%3D2");
}

#[sqlx::test(migrations = "../migrations")]
async fn the_sweeper_ends_idle_sessions_without_a_request(pool: sqlx::PgPool) {
    let app = spawn_app(pool).await;
    let _client = app.signed_in("sup.a").await;
    make_idle(&app.pool, 16).await;
    let ended = domain::session_end::expire_idle_sessions(
        &app.pool,
        std::time::Duration::from_secs(900),
        None,
    )
    .await
    .unwrap();
    assert_eq!(ended, 1);
    assert_eq!(app.audit_count("session.expired").await, 1);
    let again = domain::session_end::expire_idle_sessions(
        &app.pool,
        std::time::Duration::from_secs(900),
        None,
    )
    .await
    .unwrap();
    assert_eq!(again, 0, "an ended session is not ended twice");
}

#[sqlx::test(migrations = "../migrations")]
async fn the_countdown_looks_without_extending_and_extend_does(pool: sqlx::PgPool) {
    let app = spawn_app(pool).await;
    let client = app.signed_in("sup.a").await;
    make_idle(&app.pool, 10).await;
    let remaining: serde_json::Value = app
        .call(&client, "session/remaining", &[])
        .await
        .json()
        .await
        .unwrap();
    let left = remaining["remaining_secs"].as_u64().unwrap();
    assert!(
        (290..=300).contains(&left),
        "about 5 minutes left, got {left}"
    );
    let again: serde_json::Value = app
        .call(&client, "session/remaining", &[])
        .await
        .json()
        .await
        .unwrap();
    assert!(
        again["remaining_secs"].as_u64().unwrap() <= left,
        "looking does not extend"
    );
    let extended: serde_json::Value = app
        .call(&client, "session/extend", &[])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(extended["remaining_secs"], 900);
    assert_eq!(extended["warning_secs"], 60);
}

#[sqlx::test(migrations = "../migrations")]
async fn sign_out_ends_the_session_and_is_audited(pool: sqlx::PgPool) {
    let app = spawn_app(pool).await;
    let client = app.signed_in("sup.a").await;
    let response = client.post(app.url("/auth/logout")).send().await.unwrap();
    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), "/login?signed_out=1");
    assert_eq!(app.call(&client, "session/me", &[]).await.status(), 401);
    assert_eq!(app.audit_count("logout").await, 1);
}

#[sqlx::test(migrations = "../migrations")]
async fn disabling_a_user_ends_their_session_and_says_so(pool: sqlx::PgPool) {
    let app = spawn_app(pool).await;
    let client = app.signed_in("sup.a").await;
    sqlx::query("update app_user set disabled_at = now() where username = 'sup.a'")
        .execute(&app.pool)
        .await
        .unwrap();
    assert_eq!(app.call(&client, "session/me", &[]).await.status(), 401);
    assert_eq!(app.audit_count("session.revoked").await, 1);
    let target = app
        .sign_in_as(&super::helpers::client(), "sup.a", super::helpers::PASSWORD)
        .await;
    assert_eq!(
        target, "/login?error=invalid",
        "a disabled user cannot sign in"
    );
}
