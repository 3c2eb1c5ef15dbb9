//! Set-password links over HTTP: the link's page opens without signing in, the link sets a
//! password once, an expired one is refused with what to do, and a reset ends the user's sessions.

use serde_json::{json, Value};

use super::admin_users::{create, NEW_PASSWORD};
use super::helpers::{client, spawn_app, TestApp};
use super::purge_calls::call_json;

async fn user_id(app: &TestApp, username: &str) -> i64 {
    sqlx::query_scalar("select app_user_id from app_user where username = $1")
        .bind(username)
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

#[sqlx::test(migrations = "../migrations")]
async fn a_set_password_link_works_once_and_not_after_expiry(pool: sqlx::PgPool) {
    let app = spawn_app(pool).await;
    let admin = app.signed_in("admin").await;
    let (status, credential) =
        create(&app, &admin, "lee", "manager", "Collections Floor", "link").await;
    assert_eq!(status, 200);
    assert!(credential["one_time_password"].is_null());
    let link = credential["link"].as_str().unwrap();
    let token = link.split("token=").nth(1).unwrap();
    let anonymous = client();
    let page = anonymous.get(app.url(link)).send().await.unwrap();
    assert_eq!(
        page.status(),
        200,
        "the link's page opens without signing in"
    );
    let who = app
        .call(&anonymous, "account/link", &[("token", token)])
        .await;
    assert_eq!(who.json::<Value>().await.unwrap(), "lee");
    let weak = app
        .call(
            &anonymous,
            "account/set-password",
            &[
                ("token", token),
                ("new_password", "qwertyuiop12"),
                ("repeat", "qwertyuiop12"),
            ],
        )
        .await;
    assert_eq!(weak.status(), 400);
    let set = app
        .call(
            &anonymous,
            "account/set-password",
            &[
                ("token", token),
                ("new_password", NEW_PASSWORD),
                ("repeat", NEW_PASSWORD),
            ],
        )
        .await;
    assert_eq!(set.status(), 200);
    let again = app
        .call(
            &anonymous,
            "account/set-password",
            &[
                ("token", token),
                ("new_password", NEW_PASSWORD),
                ("repeat", NEW_PASSWORD),
            ],
        )
        .await;
    assert_eq!(again.status(), 400, "a link works once");
    let lee = client();
    assert_eq!(app.sign_in_as(&lee, "lee", NEW_PASSWORD).await, "/");
    assert_eq!(lee.get(app.url("/")).send().await.unwrap().status(), 200);

    // A reset by link, expired before use, is refused with what to do.
    let lee_id = user_id(&app, "lee").await.to_string();
    let reset = call_json(
        &app,
        &admin,
        "admin/users/reset",
        json!({ "user_id": lee_id.parse::<i64>().unwrap(), "delivery": "link" }),
    )
    .await;
    assert_eq!(reset.0, 200);
    sqlx::query("update password_link set expires_at = now() - interval '1 minute'")
        .execute(&app.pool)
        .await
        .unwrap();
    let token = reset.1["link"]
        .as_str()
        .unwrap()
        .split("token=")
        .nth(1)
        .unwrap()
        .to_string();
    let expired = app
        .call(&anonymous, "account/link", &[("token", &token)])
        .await;
    assert_eq!(expired.status(), 400);
    assert!(expired.text().await.unwrap().contains("expired"));
    assert_eq!(
        lee.get(app.url("/")).send().await.unwrap().status(),
        303,
        "the reset ended lee's session"
    );
}
