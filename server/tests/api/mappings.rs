//! Campaign and agent → team mappings: POM's campaigns shown with their lists and teams (unmapped
//! and vanished ones flagged), teams checked against the campaign's organization, agent periods
//! that never overlap, and CSV files applied whole or not at all, exports re-importing as they are.

use serde_json::{json, Value};

use super::admin_users::team_id;
use super::campaign_calls::add_campaign;
use super::pom_sim::{spawn_web_only, PomSim};
use super::purge_calls::call_json;

#[sqlx::test(migrations = "../migrations")]
async fn campaigns_and_agents_are_mapped_to_teams_and_round_trip_through_csv(pool: sqlx::PgPool) {
    let sim = PomSim::start().await;
    add_campaign(&sim, "Sales_Evening", "Sales", "predictive", false).await;
    add_campaign(&sim, "Coll_Early", "Collections", "progressive", false).await;
    let app = spawn_web_only(pool, &sim, &[]).await;
    let admin = app.signed_in("admin").await;
    let sup = app.signed_in("sup.a").await;
    assert_eq!(app.call(&sup, "admin/mappings", &[]).await.status(), 403);

    let found: Value = app
        .call(&admin, "admin/mappings", &[])
        .await
        .json()
        .await
        .unwrap();
    let names: Vec<&str> = found["campaigns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["campaign"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Coll_Early", "Sales_Evening"]);
    assert!(
        found["campaigns"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["teams"] == json!([])),
        "unmapped at first"
    );

    let sales_floor = team_id(&app, "Sales Floor").await;
    let collections_floor = team_id(&app, "Collections Floor").await;
    let wrong = call_json(&app, &admin, "admin/mappings/campaign", json!({ "organization": "Sales", "campaign": "Sales_Evening", "team_ids": [collections_floor] })).await;
    assert_eq!(
        wrong.0, 400,
        "a Collections team cannot work a Sales campaign"
    );
    let set = call_json(
        &app,
        &admin,
        "admin/mappings/campaign",
        json!({ "organization": "Sales", "campaign": "Sales_Evening", "team_ids": [sales_floor] }),
    )
    .await;
    assert_eq!(set.0, 200, "{:?}", set.1);
    let record: Value =
        sqlx::query_scalar("select parameters from audit_event where action = 'mapping.campaign'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(record["after"]["teams"], json!(["Sales Floor"]));

    let agent = |id: &str, team: i64, from: &str, to: &str| {
        vec![
            ("agent_id", id.to_string()),
            ("team_id", team.to_string()),
            ("valid_from", from.to_string()),
            ("valid_to", to.to_string()),
        ]
    };
    let call = |form: Vec<(&'static str, String)>| {
        let admin = admin.clone();
        let app = &app;
        async move {
            let borrowed: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            app.call(&admin, "admin/mappings/agent", &borrowed).await
        }
    };
    assert_eq!(
        call(agent("A100", sales_floor, "2026-01-01", ""))
            .await
            .status(),
        200
    );
    let overlap = call(agent("A100", collections_floor, "2026-06-01", "")).await;
    assert_eq!(overlap.status(), 400);
    assert!(overlap
        .text()
        .await
        .unwrap()
        .contains("A100 is in Sales Floor from 2026-01-01 on"));
    assert_eq!(
        call(agent("A100", collections_floor, "2026-13-01", ""))
            .await
            .status(),
        400,
        "not a day"
    );
    let periods: Value = app
        .call(&admin, "admin/mappings", &[])
        .await
        .json()
        .await
        .unwrap();
    let id = periods["agents"][0]["agent_team_id"]
        .as_i64()
        .unwrap()
        .to_string();
    let ended = app
        .call(
            &admin,
            "admin/mappings/agent-end",
            &[("agent_team_id", &id), ("valid_to", "2026-06-01")],
        )
        .await;
    assert_eq!(ended.status(), 200);
    assert_eq!(
        call(agent("A100", collections_floor, "2026-06-01", ""))
            .await
            .status(),
        200,
        "moves on the day the old period ends"
    );

    // Exports re-import as they are (nothing added); a bad file changes nothing and names rows.
    let campaigns_csv = admin
        .get(app.url("/admin/mappings/campaign-teams.csv"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        campaigns_csv.contains("\"Sales\",\"Sales_Evening\",\"Sales Floor\""),
        "{campaigns_csv}"
    );
    let agents_csv = admin
        .get(app.url("/admin/mappings/agent-teams.csv"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for (kind, text) in [("campaigns", &campaigns_csv), ("agents", &agents_csv)] {
        let again = call_json(
            &app,
            &admin,
            "admin/mappings/import",
            json!({ "kind": kind, "text": text, "apply": true }),
        )
        .await;
        assert_eq!(again.1["applied"], true, "{kind}: {:?}", again.1);
    }
    let agents: i64 = sqlx::query_scalar("select count(*) from agent_team")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(agents, 2, "a re-imported export adds nothing");
    let bad = "agent_id,team,valid_from,valid_to\nB200,Sales Floor,2026-02-01,\nB201,Night Owls,2026-02-01,\nB202,Sales Floor,01/02/2026,\n";
    let checked = call_json(
        &app,
        &admin,
        "admin/mappings/import",
        json!({ "kind": "agents", "text": bad, "apply": true }),
    )
    .await;
    assert_eq!(checked.1["applied"], false);
    assert_eq!(
        checked.1["problems"],
        json!([
            "row 3, column team: no active team “Night Owls”",
            "row 4, column valid_from: “01/02/2026” is not a day; use YYYY-MM-DD"
        ])
    );
    let b200: i64 = sqlx::query_scalar("select count(*) from agent_team where agent_id = 'B200'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(b200, 0, "nothing applied while any row is refused");
    let preview = call_json(&app, &admin, "admin/mappings/import", json!({ "kind": "campaigns", "text": "organization,campaign,team\nCollections,Coll_Early,Collections Floor\n", "apply": false })).await;
    assert_eq!(
        (preview.1["rows"].as_i64(), preview.1["applied"].as_bool()),
        (Some(1), Some(false))
    );
    let big = "x".repeat(1024 * 1024 + 1);
    let refused = call_json(
        &app,
        &admin,
        "admin/mappings/import",
        json!({ "kind": "campaigns", "text": big, "apply": true }),
    )
    .await;
    assert!(
        refused.1["problems"][0]
            .as_str()
            .unwrap()
            .contains("larger than 1024 KiB"),
        "{:?}",
        refused.1
    );
    assert_eq!(app.audit_count("mapping.export").await, 2);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_server_function_body_over_the_limit_is_refused_before_it_is_read(pool: sqlx::PgPool) {
    let app = super::helpers::spawn_app(pool).await;
    let anonymous = super::helpers::client();
    let huge = format!(
        "token=x&new_password={}&repeat=x",
        "a".repeat(5 * 1024 * 1024)
    );
    let response = anonymous
        .post(app.url("/api/account/set-password"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(huge)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 413, "no sign-in needed to be refused");
}
