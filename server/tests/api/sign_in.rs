//! Sign-in: form posts, throttling, session id cycling, cookie flags, CSRF refusal.

use super::helpers::{
    client, client_without_cookies, location, spawn_app, spawn_app_with, TestApp, PASSWORD,
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

/// Signs in as if from `addr`, behind a trusted proxy on loopback; returns the redirect target.
async fn sign_in_from(app: &TestApp, addr: &str, username: &str, password: &str) -> String {
    let response = app
        .post_login(&client(), username, password, &[("x-forwarded-for", addr)])
        .await;
    assert_eq!(response.status(), 303);
    location(&response)
}

async fn behind_a_proxy(pool: sqlx::PgPool) -> TestApp {
    spawn_app_with(pool, &[("OCM_TRUSTED_PROXIES", "127.0.0.1")]).await
}

#[sqlx::test(migrations = "../migrations")]
async fn guesses_from_one_address_do_not_lock_the_user_out_elsewhere(pool: sqlx::PgPool) {
    let app = behind_a_proxy(pool).await;
    for _ in 0..6 {
        sign_in_from(&app, "203.0.113.66", "admin", "guess guess guess").await;
    }
    assert!(
        sign_in_from(&app, "203.0.113.66", "admin", PASSWORD)
            .await
            .starts_with("/login?error=throttled"),
        "the guessing address is blocked for that user"
    );
    assert_eq!(
        sign_in_from(&app, "198.51.100.7", "admin", PASSWORD).await,
        "/",
        "the admin at another address still signs in"
    );
    assert_eq!(
        sign_in_from(&app, "203.0.113.66", "sup.a", PASSWORD).await,
        "/",
        "the guessing address is not blocked for other users below the address limit"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn a_user_name_guessed_from_many_addresses_is_slowed_not_blocked(pool: sqlx::PgPool) {
    let app = behind_a_proxy(pool).await;
    for host in 1..=8 {
        let target = sign_in_from(&app, &format!("203.0.113.{host}"), "admin", "guess!!!").await;
        assert_eq!(target, "/login?error=invalid", "address {host}");
    }
    let blocks: Vec<String> = sqlx::query_scalar("select subject from login_block")
        .fetch_all(&app.pool)
        .await
        .unwrap();
    assert_eq!(blocks, ["slow:admin"], "spaced out, never blocked");
    assert_eq!(
        sign_in_from(&app, "198.51.100.7", "admin", PASSWORD).await,
        "/",
        "a correct password from an address without failures works"
    );
    let failures_kept: i64 =
        sqlx::query_scalar("select count(*) from login_failure where username = 'admin'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(
        failures_kept, 8,
        "guesses elsewhere still count after the success"
    );
}

/// Failures of `username` from `addresses` distinct addresses, and its check schedule an hour
/// behind: the state a distributed guessing attack leaves.
async fn under_attack(app: &TestApp, username: &str, addresses: usize) {
    for n in 0..12 {
        sqlx::query("insert into login_failure (username, client_addr) values ($1, $2)")
            .bind(username)
            .bind(format!("198.18.0.{}", n % addresses))
            .execute(&app.pool)
            .await
            .unwrap();
    }
    sqlx::query(
        "insert into login_block (subject, blocked_until) values ($1, now() + interval '1 hour')",
    )
    .bind(format!("slow:{username}"))
    .execute(&app.pool)
    .await
    .unwrap();
}

async fn attacked_app(pool: sqlx::PgPool) -> TestApp {
    spawn_app_with(
        pool,
        &[
            ("OCM_TRUSTED_PROXIES", "127.0.0.1"),
            ("OCM_LOGIN_SLOW_MAX_SECS", "1"),
        ],
    )
    .await
}

#[sqlx::test(migrations = "../migrations")]
async fn a_browser_that_signed_in_before_passes_a_distributed_attack(pool: sqlx::PgPool) {
    let app = attacked_app(pool).await;
    let browser = client();
    let first = app
        .post_login(
            &browser,
            "admin",
            PASSWORD,
            &[("x-forwarded-for", "192.0.2.10")],
        )
        .await;
    assert_eq!(location(&first), "/");
    assert!(set_cookie_named(&first, "ocm_device").contains("HttpOnly"));
    under_attack(&app, "admin", 12).await;
    assert!(
        sign_in_from(&app, "192.0.2.77", "admin", PASSWORD)
            .await
            .starts_with("/login?error=throttled"),
        "an unknown browser waits its turn behind twelve guessing addresses"
    );
    let again = app
        .post_login(
            &browser,
            "admin",
            PASSWORD,
            &[("x-forwarded-for", "192.0.2.11")],
        )
        .await;
    assert_eq!(location(&again), "/", "the known browser signs in at once");
}

#[sqlx::test(migrations = "../migrations")]
async fn a_fresh_address_signs_in_while_few_addresses_guess(pool: sqlx::PgPool) {
    let app = attacked_app(pool).await;
    under_attack(&app, "admin", 3).await;
    assert_eq!(
        sign_in_from(&app, "192.0.2.77", "admin", PASSWORD).await,
        "/",
        "checked after the longest wait, although the schedule is an hour behind"
    );
    assert!(
        sign_in_from(&app, "198.18.0.1", "admin", PASSWORD)
            .await
            .starts_with("/login?error=throttled"),
        "a guessing address is refused while the schedule is that far behind"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn ipv6_guesses_count_against_their_64(pool: sqlx::PgPool) {
    let app = behind_a_proxy(pool).await;
    for host in 1..=5 {
        sign_in_from(
            &app,
            &format!("2001:db8:1:2::{host}"),
            "admin",
            "guess guess",
        )
        .await;
    }
    assert!(
        sign_in_from(&app, "2001:db8:1:2::99", "admin", PASSWORD)
            .await
            .starts_with("/login?error=throttled"),
        "another address of the same /64 is the same guesser"
    );
    assert_eq!(
        sign_in_from(&app, "2001:db8:1:3::1", "admin", PASSWORD).await,
        "/"
    );
}

/// The `Set-Cookie` header for `name`.
fn set_cookie_named(response: &reqwest::Response, name: &str) -> String {
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
