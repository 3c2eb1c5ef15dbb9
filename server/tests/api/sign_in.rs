//! Sign-in: form posts, throttling, session id cycling, cookie flags, CSRF refusal.

use super::helpers::{
    client, client_without_cookies, location, spawn_app, spawn_app_with, PASSWORD,
};

#[sqlx::test(migrations = "../migrations")]
async fn the_form_post_signs_in_and_goes_to_the_page_asked_for(pool: sqlx::PgPool) {
    let app = spawn_app(pool).await;
    let client = client();
    let response = client
        .post(app.url("/auth/login"))
        .header("accept", "text/html")
        .form(&[
            ("username", "  SUP.A "),
            ("password", PASSWORD),
            ("next", "/audit?page=2"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), "/audit?page=2");
    assert_eq!(app.audit_count("login.success").await, 1);
    let me = app.call(&client, "session/me", &[]).await;
    assert_eq!(me.status(), 200);
    let body: serde_json::Value = me.json().await.unwrap();
    assert_eq!(body["user"]["username"], "sup.a");
    assert_eq!(body["user"]["organization"], "Sales");
}

#[sqlx::test(migrations = "../migrations")]
async fn a_wrong_password_is_refused_and_audited(pool: sqlx::PgPool) {
    let app = spawn_app(pool).await;
    let target = app.sign_in_as(&client(), "sup.a", "wrong password!").await;
    assert_eq!(target, "/login?error=invalid");
    let target = app.sign_in_as(&client(), "nobody", "wrong password!").await;
    assert_eq!(
        target, "/login?error=invalid",
        "unknown users get the same answer"
    );
    assert_eq!(app.audit_count("login.failed").await, 2);
}

#[sqlx::test(migrations = "../migrations")]
async fn six_wrong_passwords_in_a_row_are_throttled_and_audited(pool: sqlx::PgPool) {
    let app = spawn_app(pool).await;
    let client = client();
    for attempt in 1..=4 {
        let target = app.sign_in_as(&client, "sup.a", "wrong password!").await;
        assert_eq!(target, "/login?error=invalid", "attempt {attempt}");
    }
    let fifth = app.sign_in_as(&client, "sup.a", "wrong password!").await;
    assert_eq!(
        fifth, "/login?error=throttled&minutes=5",
        "the fifth failure starts the block"
    );
    let sixth = app.sign_in_as(&client, "sup.a", "wrong password!").await;
    assert_eq!(sixth, "/login?error=throttled&minutes=5");
    let right_password = app.sign_in_as(&client, "sup.a", PASSWORD).await;
    assert!(
        right_password.starts_with("/login?error=throttled"),
        "blocked even with the right password"
    );
    assert_eq!(app.audit_count("login.failed").await, 5);
    // Refusals during a block are counted in the block; only the first reaches the audit log.
    assert_eq!(app.audit_count("login.throttled").await, 1);
    assert_eq!(app.audit_count("login.success").await, 0);
    let refused: i64 = sqlx::query_scalar("select max(refused_attempts) from login_block")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(refused, 2);
}

#[sqlx::test(migrations = "../migrations")]
async fn parallel_guesses_cannot_slip_past_the_limit(pool: sqlx::PgPool) {
    let app = spawn_app(pool).await;
    let guesses = (0..20).map(|i| {
        let app_url = app.url("/auth/login");
        async move {
            client()
                .post(app_url)
                .form(&[
                    ("username", "sup.a"),
                    ("password", &format!("guess number {i}")),
                ])
                .send()
                .await
                .unwrap()
        }
    });
    let responses = futures::future::join_all(guesses).await;
    assert!(responses.iter().all(|r| r.status() == 303));
    let checked = app.audit_count("login.failed").await;
    assert!(
        checked <= 5,
        "at most the allowance is verified, got {checked}"
    );
    let target = app.sign_in_as(&client(), "sup.a", PASSWORD).await;
    assert!(target.starts_with("/login?error=throttled"), "{target}");
}

#[sqlx::test(migrations = "../migrations")]
async fn an_absurd_user_name_is_refused_without_work_or_audit(pool: sqlx::PgPool) {
    let app = spawn_app(pool).await;
    let name = "x".repeat(10_000);
    assert_eq!(
        app.sign_in_as(&client(), &name, "whatever whatever").await,
        "/login?error=invalid"
    );
    let rows: i64 = sqlx::query_scalar("select count(*) from audit_event")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(rows, 0);
}

#[sqlx::test(migrations = "../migrations")]
async fn an_address_is_throttled_across_user_names(pool: sqlx::PgPool) {
    let app = spawn_app_with(pool, &[("OCM_LOGIN_ADDRESS_MAX_FAILURES", "3")]).await;
    for name in ["a1", "a2", "a3"] {
        app.sign_in_as(&client(), name, "guess guess guess").await;
    }
    let target = app.sign_in_as(&client(), "sup.b", PASSWORD).await;
    assert!(target.starts_with("/login?error=throttled"), "{target}");
}

/// The `Set-Cookie` header for `name`.
pub(super) fn set_cookie_named(response: &reqwest::Response, name: &str) -> String {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .unwrap_or_default()
        .to_string()
}

fn set_cookie(response: &reqwest::Response) -> String {
    set_cookie_named(response, "ocm_session")
}

#[sqlx::test(migrations = "../migrations")]
async fn sign_in_cycles_the_session_id_and_sets_safe_cookie_flags(pool: sqlx::PgPool) {
    let app = spawn_app(pool).await;
    let no_cookie_jar = client_without_cookies();
    let cookie = set_cookie(&app.post_login(&no_cookie_jar, "sup.a", PASSWORD, &[]).await);
    assert!(cookie.starts_with("ocm_session="), "{cookie}");
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");
    assert!(
        !cookie.contains("Secure"),
        "plain http gets no Secure flag: {cookie}"
    );
    let old_id = cookie.split(';').next().unwrap().to_string();
    let again = app
        .post_login(&no_cookie_jar, "sup.a", PASSWORD, &[("cookie", &old_id)])
        .await;
    let new_cookie = set_cookie(&again);
    assert_ne!(
        new_cookie.split(';').next().unwrap(),
        old_id,
        "a new id at every sign-in"
    );
    let replaced: i64 =
        sqlx::query_scalar("select count(*) from login_session where end_reason = 'replaced'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(replaced, 1, "the session signed in over is ended");
}

#[sqlx::test(migrations = "../migrations")]
async fn https_deployments_get_secure_cookies(pool: sqlx::PgPool) {
    let app = spawn_app_with(pool, &[("OCM_PUBLIC_URL", "https://ocm.example.com")]).await;
    let cookie = set_cookie(&app.post_login(&client(), "sup.a", PASSWORD, &[]).await);
    assert!(cookie.contains("Secure"), "{cookie}");
}

#[sqlx::test(migrations = "../migrations")]
async fn cross_site_form_posts_are_refused(pool: sqlx::PgPool) {
    let app = spawn_app(pool).await;
    let cross_site = app
        .post_login(
            &client(),
            "sup.a",
            PASSWORD,
            &[("origin", "http://evil.example")],
        )
        .await;
    assert_eq!(cross_site.status(), 403);
    assert_eq!(app.audit_count("login.success").await, 0);
    let same_site = app
        .post_login(&client(), "sup.a", PASSWORD, &[("origin", &app.base)])
        .await;
    assert_eq!(same_site.status(), 303);
}
