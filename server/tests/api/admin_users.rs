//! Administration of users over HTTP: admins only (refusals audited), a one-time password that
//! must be replaced before anything else, set-password links, disabling that ends sessions at
//! once, and the last-admin rule under two admins demoting each other at the same time.

use serde_json::{json, Value};

use super::helpers::{client, location, spawn_app, TestApp};
use super::purge_calls::call_json;

pub const NEW_PASSWORD: &str = "Tram lines glow over Leeds at night";

pub async fn team_id(app: &TestApp, name: &str) -> i64 {
    sqlx::query_scalar("select team_id from team where name = $1")
        .bind(name)
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

async fn user_id(app: &TestApp, username: &str) -> i64 {
    sqlx::query_scalar("select app_user_id from app_user where username = $1")
        .bind(username)
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

/// Creates a user through the admin page's call; answers the credential.
pub async fn create(
    app: &TestApp,
    admin: &reqwest::Client,
    username: &str,
    role: &str,
    team: &str,
    delivery: &str,
) -> (u16, Value) {
    let form = json!({ "form": {
        "username": username, "display_name": "", "role": role,
        "team_id": team_id(app, team).await, "delivery": delivery,
    }});
    call_json(app, admin, "admin/users/create", form).await
}

/// Signs in with a one-time password and replaces it; answers the signed-in client.
pub async fn first_sign_in(app: &TestApp, username: &str, one_time: &str) -> reqwest::Client {
    let browser = client();
    assert_eq!(app.sign_in_as(&browser, username, one_time).await, "/");
    let change = app
        .call(
            &browser,
            "account/password",
            &[
                ("current_password", one_time),
                ("new_password", NEW_PASSWORD),
                ("repeat", NEW_PASSWORD),
            ],
        )
        .await;
    assert_eq!(change.status(), 200, "{}", change.text().await.unwrap());
    browser
}

fn field(body: &Value) -> &str {
    body["Validation"]["field"].as_str().unwrap_or_default()
}

#[sqlx::test(migrations = "../migrations")]
async fn supervisors_and_managers_are_refused_every_admin_call_and_it_is_audited(
    pool: sqlx::PgPool,
) {
    let app = spawn_app(pool).await;
    let sales = team_id(&app, "Sales Floor").await.to_string();
    for who in ["sup.a", "mgr.a"] {
        let browser = app.signed_in(who).await;
        let calls: [(&str, Vec<(&str, &str)>); 8] = [
            ("admin/directory", vec![]),
            ("admin/settings", vec![]),
            ("admin/call-data", vec![]),
            ("admin/users/get", vec![("user_id", "1")]),
            (
                "admin/users/active",
                vec![("user_id", "1"), ("active", "false")],
            ),
            ("admin/users/sign-out", vec![("user_id", "1")]),
            (
                "admin/teams/create",
                vec![("name", "Night"), ("organization_id", "1")],
            ),
            (
                "admin/organizations/active",
                vec![("organization_id", "1"), ("active", "false")],
            ),
        ];
        for (endpoint, form) in calls {
            let response = app.call(&browser, endpoint, &form).await;
            assert_eq!(response.status(), 403, "{who} calling {endpoint}");
        }
        let (status, _) = create(
            &app,
            &browser,
            "eve",
            "admin",
            "Sales Floor",
            "one_time_password",
        )
        .await;
        assert_eq!(status, 403);
        let (status, _) = call_json(&app, &browser, "admin/users", json!({ "request": {} })).await;
        assert_eq!(status, 403);
        let _ = &sales;
    }
    assert_eq!(app.audit_count("access.denied").await, 20);
    assert_eq!(app.audit_count("user.add").await, 0);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_one_time_password_must_be_replaced_before_anything_else(pool: sqlx::PgPool) {
    let app = spawn_app(pool).await;
    let admin = app.signed_in("admin").await;
    let (status, credential) = create(
        &app,
        &admin,
        "Jane.Doe",
        "supervisor",
        "Sales Floor",
        "one_time_password",
    )
    .await;
    assert_eq!(status, 200, "{credential}");
    assert_eq!(credential["username"], "jane.doe");
    let one_time = credential["one_time_password"]
        .as_str()
        .unwrap()
        .to_string();
    let (status, body) = create(
        &app,
        &admin,
        "jane.doe",
        "manager",
        "Sales Floor",
        "one_time_password",
    )
    .await;
    assert_eq!((status, field(&body)), (400, "username"), "{body}");

    let jane = client();
    assert_eq!(app.sign_in_as(&jane, "jane.doe", &one_time).await, "/");
    let home = jane.get(app.url("/")).send().await.unwrap();
    assert_eq!(
        location(&home),
        "/account/password",
        "every page leads to the password page"
    );
    let refused = call_json(&app, &jane, "audit/list", json!({ "request": {} })).await;
    assert_eq!(refused.0, 403);
    assert!(
        refused.1.to_string().contains("PasswordChangeRequired"),
        "{}",
        refused.1
    );
    for (new, repeat, problem) in [
        ("password12345", "password12345", "new_password"),
        (NEW_PASSWORD, "something else entirely", "repeat"),
        (one_time.as_str(), one_time.as_str(), "new_password"),
    ] {
        let response = app
            .call(
                &jane,
                "account/password",
                &[
                    ("current_password", &one_time),
                    ("new_password", new),
                    ("repeat", repeat),
                ],
            )
            .await;
        assert_eq!(response.status(), 400);
        let body: Value = response.json().await.unwrap();
        assert_eq!(field(&body), problem, "{body}");
    }
    let wrong = app
        .call(
            &jane,
            "account/password",
            &[
                ("current_password", "not it at all"),
                ("new_password", NEW_PASSWORD),
                ("repeat", NEW_PASSWORD),
            ],
        )
        .await;
    assert_eq!(wrong.status(), 400);
    let ok = app
        .call(
            &jane,
            "account/password",
            &[
                ("current_password", &one_time),
                ("new_password", NEW_PASSWORD),
                ("repeat", NEW_PASSWORD),
            ],
        )
        .await;
    assert_eq!(ok.status(), 200);
    assert_eq!(jane.get(app.url("/")).send().await.unwrap().status(), 200);
    let (status, page) = call_json(&app, &jane, "audit/list", json!({ "request": {} })).await;
    assert_eq!(status, 200);
    assert!(page["rows"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["organization"] == "Sales"));
    let outcomes: Vec<String> = sqlx::query_scalar(
        "select outcome from audit_event where action = 'account.password_change' order by audit_event_id",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert_eq!(
        outcomes,
        ["failure", "success"],
        "the wrong current password is audited too"
    );
    let text: String =
        sqlx::query_scalar("select string_agg(parameters::text, ' ') from audit_event")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert!(
        !text.contains(&one_time) && !text.contains(NEW_PASSWORD),
        "no password in the audit log"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn disabling_ends_sessions_at_once_and_two_admins_cannot_demote_each_other(
    pool: sqlx::PgPool,
) {
    let app = spawn_app(pool).await;
    let admin = app.signed_in("admin").await;
    let sup = app.signed_in("sup.a").await;
    let sup_id = user_id(&app, "sup.a").await.to_string();
    let off = app
        .call(
            &admin,
            "admin/users/active",
            &[("user_id", &sup_id), ("active", "false")],
        )
        .await;
    assert_eq!(off.status(), 200);
    let (status, _) = call_json(&app, &sup, "audit/list", json!({ "request": {} })).await;
    assert_eq!(status, 401, "the disabled user's open session is over");
    let again = client();
    assert_ne!(
        app.sign_in_as(&again, "sup.a", super::helpers::PASSWORD)
            .await,
        "/"
    );
    let me = user_id(&app, "admin").await.to_string();
    let myself = app
        .call(
            &admin,
            "admin/users/active",
            &[("user_id", &me), ("active", "false")],
        )
        .await;
    assert_eq!(myself.status(), 400);

    let (_, credential) = create(
        &app,
        &admin,
        "second",
        "admin",
        "Sales Floor",
        "one_time_password",
    )
    .await;
    let second = first_sign_in(
        &app,
        "second",
        credential["one_time_password"].as_str().unwrap(),
    )
    .await;
    let second_id = user_id(&app, "second").await;
    let team = team_id(&app, "Sales Floor").await;
    let demote = |id: i64| json!({ "edit": { "user_id": id, "display_name": "", "role": "supervisor", "team_id": team } });
    let (first, other) = tokio::join!(
        call_json(&app, &admin, "admin/users/update", demote(second_id)),
        call_json(
            &app,
            &second,
            "admin/users/update",
            demote(me.parse().unwrap())
        ),
    );
    // One wins. The other is refused: by the last-admin rule, or (when its call arrives after
    // the first committed) because the demotion ended its session.
    let mut statuses = [first.0, other.0];
    statuses.sort();
    assert!(
        statuses == [200, 400] || statuses == [200, 401],
        "{first:?} {other:?}"
    );
    let loser = if first.0 == 200 { &other.1 } else { &first.1 };
    if statuses[1] == 400 {
        assert!(loser.to_string().contains("last active admin"), "{loser}");
    }
    let admins: i64 = sqlx::query_scalar(
        "select count(*) from app_user where role = 'admin' and disabled_at is null",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(admins, 1);
    assert!(app.audit_count("user.update").await >= 1);
    let record: Value =
        sqlx::query_scalar("select parameters from audit_event where action = 'user.update'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(record["before"]["role"], "admin");
    assert_eq!(record["after"]["role"], "supervisor");
}
