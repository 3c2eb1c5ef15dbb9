//! Sign-in under attack: guesses from one address, from many, from one IPv6 network; known
//! browsers (device cookies) and fresh addresses still sign in.

use super::helpers::{client, location, spawn_app_with, TestApp, PASSWORD};
use super::sign_in::set_cookie_named;

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
