//! Two-factor sign-in over HTTP: enrolment with a code from the new secret, sign-in in two steps
//! (no session before the code), a code accepted once, recovery codes, throttled wrong codes, a
//! role that must use it, and an admin clearing a user's.

use serde_json::{json, Value};

use super::helpers::{client, location, spawn_app, TestApp, PASSWORD};
use super::purge_calls::call_json;

async fn secret(app: &TestApp, username: &str, column: &str) -> Vec<u8> {
    sqlx::query_scalar(&format!(
        "select {column} from app_user where username = $1"
    ))
    .bind(username)
    .fetch_one(&app.pool)
    .await
    .unwrap()
}

fn code_now(secret: &[u8]) -> String {
    domain::two_factor::codes::code_at(secret, domain::two_factor::unix_now())
}

/// Turns two-factor sign-in on for a signed-in client; answers the recovery codes.
async fn enrol(app: &TestApp, browser: &reqwest::Client, username: &str) -> Vec<String> {
    let setup: Value = app
        .call(browser, "two-factor/begin", &[])
        .await
        .json()
        .await
        .unwrap();
    assert!(setup["uri"]
        .as_str()
        .unwrap()
        .starts_with("otpauth://totp/OCM:"));
    assert!(setup["qr_svg"].as_str().unwrap().contains("<svg"));
    let wrong = app
        .call(browser, "two-factor/confirm", &[("code", "000000")])
        .await;
    assert_eq!(wrong.status(), 400);
    let pending = secret(app, username, "totp_pending_secret").await;
    let codes: Vec<String> = app
        .call(
            browser,
            "two-factor/confirm",
            &[("code", &code_now(&pending))],
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(codes.len(), 10);
    codes
}

async fn post_code(app: &TestApp, browser: &reqwest::Client, code: &str) -> String {
    let response = browser
        .post(app.url("/auth/code"))
        .form(&[("code", code)])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    location(&response)
}

#[sqlx::test(migrations = "../migrations")]
async fn sign_in_takes_a_code_after_the_password_once_enrolled(pool: sqlx::PgPool) {
    let app = spawn_app(pool).await;
    let admin = app.signed_in("admin").await;
    let recovery = enrol(&app, &admin, "admin").await;
    assert_eq!(app.audit_count("account.two_factor_enable").await, 1);

    let browser = client();
    assert_eq!(
        app.sign_in_as(&browser, "admin", PASSWORD).await,
        "/login/code"
    );
    assert_eq!(
        location(&browser.get(app.url("/")).send().await.unwrap()),
        "/login",
        "no session before the code"
    );
    assert_eq!(
        browser
            .get(app.url("/login/code"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    assert_eq!(
        post_code(&app, &browser, "123456").await,
        "/login/code?error=invalid"
    );
    let secret = secret(&app, "admin", "totp_secret").await;
    // The enrolment used this step's code: the same code does not sign in again.
    let reused = post_code(&app, &browser, &code_now(&secret)).await;
    assert_eq!(reused, "/login/code?error=invalid", "a code works once");
    assert_eq!(
        post_code(&app, &browser, &recovery[0].to_uppercase()).await,
        "/"
    );
    assert_eq!(
        browser.get(app.url("/")).send().await.unwrap().status(),
        200
    );
    let how: Value = sqlx::query_scalar(
        "select parameters from audit_event where action = 'login.success' order by audit_event_id desc limit 1",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(how["second_factor"], "recovery_code");

    let again = client();
    assert_eq!(
        app.sign_in_as(&again, "admin", PASSWORD).await,
        "/login/code"
    );
    assert_eq!(
        post_code(&app, &again, &recovery[0]).await,
        "/login/code?error=invalid",
        "a recovery code works once"
    );
    let status: Value = app
        .call(&browser, "two-factor/status", &[])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(status["recovery_codes_left"], 9);
    // Wrong codes count like wrong passwords, and the right password does not reset the count:
    // the third wrong code asks for the password again, the fifth failure blocks.
    assert_eq!(
        post_code(&app, &again, "999999").await,
        "/login/code?error=invalid"
    );
    assert_eq!(
        post_code(&app, &again, "999999").await,
        "/login?error=code_retries"
    );
    assert_eq!(
        post_code(&app, &again, "999999").await,
        "/login?error=code_expired",
        "no code step left"
    );
    assert_eq!(
        app.sign_in_as(&again, "admin", PASSWORD).await,
        "/login/code"
    );
    assert_eq!(
        post_code(&app, &again, "999999").await,
        "/login/code?error=invalid"
    );
    let last = post_code(&app, &again, "999999").await;
    assert!(last.starts_with("/login?error=throttled"), "{last}");
    // Enrolled already: a session alone cannot replace the factor.
    assert_eq!(
        app.call(&browser, "two-factor/begin", &[]).await.status(),
        400
    );
    let stale = client();
    let response = stale
        .post(app.url("/auth/code"))
        .form(&[("code", "123456")])
        .send()
        .await
        .unwrap();
    assert_eq!(
        location(&response),
        "/login?error=code_expired",
        "no password step, no code step"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn a_role_that_requires_it_sets_it_up_first_and_an_admin_clears_it(pool: sqlx::PgPool) {
    let app = spawn_app(pool).await;
    let admin = app.signed_in("admin").await;
    let sup = app.signed_in("sup.a").await;
    let refused = call_json(
        &app,
        &sup,
        "admin/sign-in-policy/set",
        json!({ "roles": [] }),
    )
    .await;
    assert_eq!(refused.0, 403);
    let set = call_json(
        &app,
        &admin,
        "admin/sign-in-policy/set",
        json!({ "roles": ["supervisor"] }),
    )
    .await;
    assert_eq!(set.0, 200, "{:?}", set.1);
    assert_eq!(set.1["two_factor_roles"], json!(["supervisor"]));
    let record: Value = sqlx::query_scalar(
        "select parameters from audit_event where action = 'settings.sign_in_policy'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(record["after"]["two_factor_roles"], json!(["supervisor"]));

    assert_eq!(
        location(&sup.get(app.url("/campaigns")).send().await.unwrap()),
        "/account/two-factor"
    );
    let (status, body) = call_json(&app, &sup, "audit/list", json!({ "request": {} })).await;
    assert_eq!(status, 403);
    assert!(body.to_string().contains("TwoFactorRequired"), "{body}");
    enrol(&app, &sup, "sup.a").await;
    assert_eq!(
        sup.get(app.url("/audit")).send().await.unwrap().status(),
        200
    );
    let code = code_now(&secret(&app, "sup.a", "totp_secret").await);
    let off = app
        .call(&sup, "two-factor/disable", &[("code", &code)])
        .await;
    assert_eq!(off.status(), 400, "the role requires it");

    let sup_id: i64 =
        sqlx::query_scalar("select app_user_id from app_user where username = 'sup.a'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    let cleared = app
        .call(
            &admin,
            "admin/users/two-factor-reset",
            &[("user_id", &sup_id.to_string())],
        )
        .await;
    assert_eq!(cleared.status(), 200);
    assert_eq!(app.audit_count("user.two_factor_reset").await, 1);
    assert_eq!(
        sup.get(app.url("/")).send().await.unwrap().status(),
        303,
        "their sessions ended"
    );
    let back = client();
    assert_eq!(
        app.sign_in_as(&back, "sup.a", PASSWORD).await,
        "/",
        "no code asked any more"
    );
    assert_eq!(
        location(&back.get(app.url("/")).send().await.unwrap()),
        "/account/two-factor"
    );
}
