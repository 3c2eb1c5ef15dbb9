//! Teams and organizations from the browser: names checked, a move shown before it is saved and
//! refused when the team changed since, deactivation refused while in use, and a new organization
//! checked against POM.

use serde_json::{json, Value};

use super::admin_users::team_id;
use super::helpers::spawn_app;
use super::pom_sim::{spawn_web_only, PomSim};
use super::purge_calls::call_json;

async fn organization_id(app: &super::helpers::TestApp, name: &str) -> String {
    let id: i64 = sqlx::query_scalar("select organization_id from organization where name = $1")
        .bind(name)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    id.to_string()
}

#[sqlx::test(migrations = "../migrations")]
async fn teams_are_created_renamed_moved_as_shown_and_deactivated_when_empty(pool: sqlx::PgPool) {
    let app = spawn_app(pool).await;
    let admin = app.signed_in("admin").await;
    let sup = app.signed_in("sup.a").await;
    let sales = organization_id(&app, "Sales").await;
    let collections = organization_id(&app, "Collections").await;
    let created = app
        .call(
            &admin,
            "admin/teams/create",
            &[("name", " Night Shift "), ("organization_id", &sales)],
        )
        .await;
    assert_eq!(created.status(), 200);
    let twice = app
        .call(
            &admin,
            "admin/teams/create",
            &[("name", "Night Shift"), ("organization_id", &sales)],
        )
        .await;
    assert_eq!(twice.status(), 400);
    assert!(twice.text().await.unwrap().contains("exists already"));
    let night = team_id(&app, "Night Shift").await.to_string();
    let renamed = app
        .call(
            &admin,
            "admin/teams/rename",
            &[("team_id", &night), ("name", "Late Shift")],
        )
        .await;
    assert_eq!(renamed.status(), 200);
    let clash = app
        .call(
            &admin,
            "admin/teams/rename",
            &[("team_id", &night), ("name", "Sales Floor")],
        )
        .await;
    assert_eq!(clash.status(), 400);

    // Moving the Sales floor: who it concerns is shown first.
    let floor = team_id(&app, "Sales Floor").await;
    let (status, preview) = call_json(&app, &admin, "admin/teams/move-preview", json!({})).await;
    assert_eq!(status, 400, "arguments are required: {preview}");
    let preview: Value = app
        .call(
            &admin,
            "admin/teams/move-preview",
            &[
                ("team_id", &floor.to_string()),
                ("organization_id", &collections),
            ],
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(preview["from"], "Sales");
    assert_eq!(preview["to"], "Collections");
    assert_eq!(preview["users"], json!(["admin", "mgr.a", "sup.a"]));
    let stale = call_json(&app, &admin, "admin/teams/move", json!({ "team_id": floor, "organization_id": collections.parse::<i64>().unwrap(), "users_seen": ["sup.a"] })).await;
    assert_eq!(stale.0, 400, "the team's users differ from what was shown");
    let moved = call_json(&app, &admin, "admin/teams/move", json!({ "team_id": floor, "organization_id": collections.parse::<i64>().unwrap(), "users_seen": preview["users"] })).await;
    assert_eq!(moved.0, 200, "{:?}", moved.1);
    let (status, _) = call_json(&app, &sup, "audit/list", json!({ "request": {} })).await;
    assert_eq!(status, 401, "the moved team's sessions ended");
    let record: Value =
        sqlx::query_scalar("select parameters from audit_event where action = 'team.move'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(record["before"]["organization"], "Sales");
    assert_eq!(record["after"]["organization"], "Collections");

    let admin = app.signed_in("admin").await;
    let busy = app
        .call(
            &admin,
            "admin/teams/active",
            &[("team_id", &floor.to_string()), ("active", "false")],
        )
        .await;
    assert_eq!(busy.status(), 400);
    assert!(busy.text().await.unwrap().contains("3 active users"));
    let empty = app
        .call(
            &admin,
            "admin/teams/active",
            &[("team_id", &night), ("active", "false")],
        )
        .await;
    assert_eq!(empty.status(), 200);
    let (_, credential) = super::admin_users::create(
        &app,
        &admin,
        "nobody",
        "manager",
        "Late Shift",
        "one_time_password",
    )
    .await;
    assert_eq!(
        credential["Validation"]["field"], "team_id",
        "no one joins a deactivated team"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn organizations_are_checked_against_pom_and_deactivated_only_without_teams(
    pool: sqlx::PgPool,
) {
    let sim = PomSim::start().await;
    sim.add_list("Retention_Main", "Retention", &[]).await;
    sim.add_list("Retention West", "Retention West", &[]).await;
    let app = spawn_web_only(pool, &sim, &[]).await;
    let admin = app.signed_in("admin").await;
    let unknown = app
        .call(&admin, "admin/organizations/create", &[("name", "Retent")])
        .await;
    assert_eq!(
        unknown.status(),
        400,
        "POM's search is a 'like': only an exact name counts"
    );
    assert!(unknown
        .text()
        .await
        .unwrap()
        .contains("POM has no contact list or campaign"));
    let known = app
        .call(
            &admin,
            "admin/organizations/create",
            &[("name", "Retention")],
        )
        .await;
    assert_eq!(known.status(), 200);
    assert_eq!(app.audit_count("organization.add").await, 1);
    sim.faults(
        json!([{ "endpoint": "contactlists", "error_rate": 1.0, "kind": { "status": 503 } }]),
    )
    .await;
    let down = app
        .call(
            &admin,
            "admin/organizations/create",
            &[("name", "Retention West")],
        )
        .await;
    assert_eq!(
        down.status(),
        502,
        "POM down is said as such, nothing added"
    );
    sim.faults(json!([])).await;
    sim.add_list("Sales_Main", "Sales", &[]).await;
    let existing = app
        .call(&admin, "admin/organizations/create", &[("name", "Sales")])
        .await;
    assert_eq!(existing.status(), 400);
    assert!(existing.text().await.unwrap().contains("exists already"));
    let sales = organization_id(&app, "Sales").await;
    let busy = app
        .call(
            &admin,
            "admin/organizations/active",
            &[("organization_id", &sales), ("active", "false")],
        )
        .await;
    assert_eq!(busy.status(), 400);
    assert!(busy.text().await.unwrap().contains("1 active team"));
    let directory: Value = app
        .call(&admin, "admin/directory", &[])
        .await
        .json()
        .await
        .unwrap();
    let names: Vec<&str> = directory["organizations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Collections", "Retention", "Sales"]);
    assert_eq!(directory["teams"][1]["users"], 3);
    let retention = organization_id(&app, "Retention").await;
    let off = app
        .call(
            &admin,
            "admin/organizations/active",
            &[("organization_id", &retention), ("active", "false")],
        )
        .await;
    assert_eq!(
        off.status(),
        200,
        "an organization without teams can be deactivated"
    );
}
