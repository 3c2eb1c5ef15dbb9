//! Teams and users through the automation API: a client of one organization manages only its
//! own and makes no admins; a client of every organization manages all; passwords are never
//! returned; the administration pages' rules hold.

use reqwest::Method;
use serde_json::{json, Value};

use super::api_v1_calls::{answer, get, post_json, problem_code, register, token, Answer};
use super::helpers::TestApp;

async fn patch(app: &TestApp, token: &str, path: &str, body: Value) -> Answer {
    let response = reqwest::Client::new()
        .request(Method::PATCH, app.url(&format!("/api/v1{path}")))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap();
    answer(response).await
}

fn ids_named(page: &Value, key: &str, value: &str) -> i64 {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i[key] == value)
        .unwrap_or_else(|| panic!("{value} not in {page}"))
        [if key == "name" { "team_id" } else { "user_id" }]
    .as_i64()
    .unwrap()
}

#[sqlx::test]
async fn teams_and_users_are_managed_within_the_client_s_organization(pool: sqlx::PgPool) {
    let app = super::helpers::spawn_app(pool).await;
    let hr = token(&app, &register(&app, "hr", "Sales", &["admin"]).await).await;
    let hq = token(&app, &register(&app, "hq", "", &["admin"]).await).await;

    // Teams: only the organization's, created and renamed in it.
    let teams = get(&app, &hr, "/teams").await;
    assert_eq!(teams.status, 200, "{}", teams.body);
    let names: Vec<&str> = teams.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Sales Floor"]);
    let made = post_json(
        &app,
        &hr,
        "/teams",
        Some("t-1"),
        &json!({ "name": "Sales Night" }),
    )
    .await;
    assert_eq!(
        (made.status, made.body["organization"].as_str()),
        (201, Some("Sales")),
        "{}",
        made.body
    );
    let night = made.body["team_id"].as_i64().unwrap();
    let again = post_json(
        &app,
        &hr,
        "/teams",
        Some("t-1"),
        &json!({ "name": "Sales Night" }),
    )
    .await;
    assert_eq!(
        again.body["team_id"].as_i64(),
        Some(night),
        "replayed, not made twice"
    );
    let renamed = patch(
        &app,
        &hr,
        &format!("/teams/{night}"),
        json!({ "name": "Sales Late" }),
    )
    .await;
    assert_eq!(renamed.body["name"], "Sales Late", "{}", renamed.body);
    let theirs = post_json(
        &app,
        &hr,
        "/teams",
        None,
        &json!({ "name": "X", "organization": "Collections" }),
    )
    .await;
    assert_eq!(
        (theirs.status, problem_code(&theirs)),
        (404, "organization_not_found")
    );
    let by_query = post_json(
        &app,
        &hq,
        "/teams?organization=Collections",
        None,
        &json!({ "name": "Coll Night" }),
    )
    .await;
    assert_eq!(
        (by_query.status, by_query.body["organization"].as_str()),
        (201, Some("Collections")),
        "{}",
        by_query.body
    );
    let all_teams = get(&app, &hq, "/teams").await;
    let collections = ids_named(&all_teams.body, "name", "Collections Floor");
    let hidden = patch(
        &app,
        &hr,
        &format!("/teams/{collections}"),
        json!({ "name": "Mine" }),
    )
    .await;
    assert_eq!(
        (hidden.status, problem_code(&hidden)),
        (404, "team_not_found")
    );

    // Users: created with a set-password link, never a password.
    let body = json!({ "username": "api.user", "display_name": "API User", "role": "supervisor", "team_id": night });
    let created = post_json(&app, &hr, "/users", Some("u-1"), &body).await;
    assert_eq!(created.status, 201, "{}", created.body);
    assert!(created.body["set_password_link"]
        .as_str()
        .unwrap()
        .starts_with("/account/set-password?token="));
    // A repeat answers the creation without the link, which is not kept.
    let replay = post_json(&app, &hr, "/users", Some("u-1"), &body).await;
    assert_eq!(replay.status, 201, "{}", replay.body);
    assert!(
        replay.body["set_password_link"].is_null(),
        "{}",
        replay.body
    );
    let kept: String = sqlx::query_scalar(
        "select response::text from api_idempotency where idempotency_key = 'u-1'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert!(!kept.contains("token="), "{kept}");
    assert!(
        !created.body.to_string().contains("password\":"),
        "{}",
        created.body
    );
    let admin = json!({ "username": "api.admin", "role": "admin", "team_id": night });
    let refused = post_json(&app, &hr, "/users", None, &admin).await;
    assert_eq!((refused.status, problem_code(&refused)), (403, "forbidden"));
    let elsewhere = json!({ "username": "api.other", "role": "manager", "team_id": collections });
    let refused = post_json(&app, &hr, "/users", None, &elsewhere).await;
    assert_eq!(
        (refused.status, refused.body["field"].as_str()),
        (400, Some("team_id"))
    );
    let bad = post_json(
        &app,
        &hr,
        "/users",
        None,
        &json!({ "username": "x", "role": "boss", "team_id": night }),
    )
    .await;
    assert_eq!(
        (bad.status, bad.body["field"].as_str()),
        (400, Some("role"))
    );

    let users = get(&app, &hr, "/users").await;
    assert_eq!(users.status, 200, "{}", users.body);
    let organizations: Vec<&str> = users.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["organization"].as_str().unwrap())
        .collect();
    assert!(
        organizations.iter().all(|o| *o == "Sales"),
        "{organizations:?}"
    );
    assert!(!users.body.to_string().contains("password_hash"));
    let new_user = ids_named(&users.body, "username", "api.user");
    let changed = patch(
        &app,
        &hr,
        &format!("/users/{new_user}"),
        json!({ "role": "manager", "active": false }),
    )
    .await;
    assert_eq!(changed.status, 200, "{}", changed.body);
    assert_eq!(
        (
            changed.body["role"].as_str(),
            changed.body["active"].as_bool()
        ),
        (Some("manager"), Some(false))
    );
    let the_admin = ids_named(&users.body, "username", "admin");
    let refused = patch(
        &app,
        &hr,
        &format!("/users/{the_admin}"),
        json!({ "display_name": "Boss" }),
    )
    .await;
    assert_eq!((refused.status, problem_code(&refused)), (403, "forbidden"));
    let everyone = get(&app, &hq, "/users").await;
    let other = ids_named(&everyone.body, "username", "sup.b");
    let hidden = patch(
        &app,
        &hr,
        &format!("/users/{other}"),
        json!({ "active": false }),
    )
    .await;
    assert_eq!(
        (hidden.status, problem_code(&hidden)),
        (404, "user_not_found")
    );
    let moved = patch(
        &app,
        &hr,
        &format!("/users/{new_user}"),
        json!({ "team_id": collections }),
    )
    .await;
    assert_eq!(
        (moved.status, moved.body["field"].as_str()),
        (400, Some("team_id"))
    );
    // The pages' rules: a team with active users is not deactivated.
    let floor = ids_named(&teams.body, "name", "Sales Floor");
    let busy = patch(
        &app,
        &hr,
        &format!("/teams/{floor}"),
        json!({ "active": false }),
    )
    .await;
    assert_eq!(
        (busy.status, busy.body["field"].as_str()),
        (400, Some("active"))
    );

    // A client of every organization may make an admin.
    let body = json!({ "username": "api.admin", "role": "admin", "team_id": collections });
    assert_eq!(
        post_json(&app, &hq, "/users", None, &body).await.status,
        201
    );
    assert_eq!(app.audit_count("user.add").await, 2);
    let reader = token(&app, &register(&app, "reader", "Sales", &["reports"]).await).await;
    assert_eq!(get(&app, &reader, "/users").await.status, 403);
}
