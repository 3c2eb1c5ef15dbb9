//! Health endpoints, status, demo users.

use server::demo::{prepare, DemoLogins};

use super::helpers::{client, spawn_app};

#[sqlx::test(migrations = "../migrations")]
async fn healthz_and_readyz_answer(pool: sqlx::PgPool) {
    let app = spawn_app(pool).await;
    let health = client().get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(health.status(), 200);
    assert!(
        health.headers().contains_key("x-request-id"),
        "every response carries its request id"
    );
    let forged = client()
        .get(app.url("/healthz"))
        .header("x-request-id", "forged")
        .send()
        .await
        .unwrap();
    assert_ne!(
        forged.headers()["x-request-id"],
        "forged",
        "the server makes its own request ids"
    );
    let login = client().get(app.url("/login")).send().await.unwrap();
    assert_eq!(login.headers()["cache-control"], "no-store");
    assert_eq!(login.headers()["x-frame-options"], "DENY");
    assert_eq!(login.headers()["x-content-type-options"], "nosniff");
    let ready = client().get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(ready.status(), 200);
    let body: serde_json::Value = ready.json().await.unwrap();
    assert_eq!(body["status"], "ready");
    assert_eq!(body["database"]["state"], "up");
    assert_eq!(body["pom"]["state"], "not_configured");
    assert_eq!(body["demo_mode"], true);
}

#[sqlx::test(migrations = "../migrations")]
async fn readyz_is_503_when_the_database_is_gone(pool: sqlx::PgPool) {
    let app = spawn_app(pool).await;
    app.pool.close().await;
    let ready = client().get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(ready.status(), 503);
    let body: serde_json::Value = ready.json().await.unwrap();
    assert_eq!(body["database"]["state"], "down");
}

#[sqlx::test(migrations = "../migrations")]
async fn an_unreachable_pom_shows_as_down(pool: sqlx::PgPool) {
    let app = super::helpers::spawn_app_with(
        pool,
        &[("OCM_POM_BASE_URL", "http://127.0.0.1:9/VP_POM_Service/v1")],
    )
    .await;
    let body: serde_json::Value = client()
        .get(app.url("/readyz"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(body["pom"]["state"], "down");
    assert_eq!(body["demo_mode"], false);
}

#[sqlx::test(migrations = "../migrations")]
async fn demo_users_exist_only_in_demo_mode(pool: sqlx::PgPool) {
    let app = spawn_app(pool).await;
    let logins = prepare(
        &app.pool,
        true,
        Some("demo password 123".to_string().into()),
        "Europe/London",
    )
    .await
    .unwrap();
    let schedules = || async {
        sqlx::query_scalar::<_, i64>("select count(*) from export_schedule")
            .fetch_one(&app.pool)
            .await
            .unwrap()
    };
    assert_eq!(schedules().await, 3, "the demo's scheduled exports");
    assert!(matches!(
        logins,
        DemoLogins::On {
            generated: false,
            ..
        }
    ));
    assert_eq!(
        app.sign_in_as(&client(), "supervisor", "demo password 123")
            .await,
        "/"
    );
    let generated = prepare(&app.pool, true, None, "Europe/London")
        .await
        .unwrap();
    assert_eq!(schedules().await, 3, "made once");
    assert!(matches!(
        generated,
        DemoLogins::On {
            generated: true,
            ..
        }
    ));
    let off = prepare(&app.pool, false, None, "Europe/London")
        .await
        .unwrap();
    assert_eq!(schedules().await, 0, "gone with the demo users");
    // The test data already has a real `admin`; demo mode never takes over a real account.
    assert!(matches!(off, DemoLogins::Off { removed: 2 }));
    assert_eq!(
        app.sign_in_as(&client(), "admin", super::helpers::PASSWORD)
            .await,
        "/"
    );
    let target = app
        .sign_in_as(&client(), "supervisor", "demo password 123")
        .await;
    assert_eq!(target, "/login?error=invalid");
}

#[sqlx::test(migrations = "../migrations")]
async fn a_weak_demo_password_is_refused_naming_the_variable(pool: sqlx::PgPool) {
    let app = spawn_app(pool).await;
    let error = prepare(&app.pool, true, Some("short".to_string().into()), "UTC")
        .await
        .err()
        .unwrap();
    assert!(error.to_string().contains("OCM_DEMO_PASSWORD"), "{error}");
}
