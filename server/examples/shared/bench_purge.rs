//! What the purge benchmarks share: a list of bench contacts made in the simulator, a supervisor
//! of the bench organization, and the purge that takes a whole list.
//! Included with `#[path = "shared/bench_purge.rs"] mod bench_purge;`.

use domain::{access::Ctx, passwords, request_meta::RequestMeta, state::AppState, users};
use serde_json::json;
use types::model::{CurrentUser, Operator, PurgeRequest, Role, SessionTiming};

/// Calls the simulator's control API at `path` with `body`; its JSON answer, if any.
pub async fn control(
    http: &reqwest::Client,
    origin: &str,
    path: &str,
    body: serde_json::Value,
) -> serde_json::Value {
    http.post(format!("{origin}/__sim/{path}"))
        .json(&body)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap_or_default()
}

/// A list of `size` contacts of organization "Bench" named `name`, ids `B0000000` up, every one
/// expiring on 2026-01-15 (so a purge "EXPIRY_DATE before 2026-02-01" takes them all).
pub async fn make_list(http: &reqwest::Client, origin: &str, name: &str, size: usize) -> i64 {
    let created = control(
        http,
        origin,
        "lists",
        json!({ "name": name, "organization": "Bench" }),
    )
    .await;
    let id = created["contactListId"].as_i64().expect("list id");
    let contacts: Vec<_> = (0..size)
        .map(|i| json!({ "userContactId": format!("B{i:07}"), "firstName": "Bench", "phoneNumber1": format!("+4477{i:08}"),
                          "CAMP_ID": format!("S0{}", i % 3 + 1), "EXPIRY_DATE": "2026-01-15" }))
        .collect();
    for chunk in contacts.chunks(10_000) {
        control(http, origin, &format!("lists/{id}/contacts"), json!(chunk)).await;
    }
    id
}

/// The bench organization's supervisor `username` (created on first use).
pub async fn supervisor(pool: &sqlx::PgPool, username: &str) -> CurrentUser {
    let mut conn = pool.acquire().await.unwrap();
    let org = users::ensure_organization(&mut conn, "Bench")
        .await
        .unwrap();
    let (team, _) = users::ensure_team(&mut conn, "Bench Team", org)
        .await
        .unwrap();
    let hash = passwords::hash_password("bench-password").unwrap();
    let user_id = users::create_user(
        &mut *conn,
        &users::NewUser {
            username,
            display_name: "Bench",
            role: Role::Supervisor,
            team_id: team,
            password_hash: &hash,
            is_demo: false,
        },
    )
    .await
    .unwrap();
    CurrentUser {
        user_id,
        username: username.into(),
        display_name: "Bench".into(),
        role: Role::Supervisor,
        team: "Bench Team".into(),
        organization_id: org,
        organization: "Bench".into(),
        must_change_password: false,
        must_enrol_two_factor: false,
        api_client: None,
    }
}

/// The purge every bench list matches whole.
pub fn whole_list(list_id: i64) -> PurgeRequest {
    PurgeRequest {
        list_id,
        attribute: "EXPIRY_DATE".into(),
        operator: Operator::Before,
        values: vec!["2026-02-01".into()],
        reason: "benchmark".into(),
    }
}

/// `user` acting on `state` as a background caller with a long session.
pub fn bench_ctx(state: &AppState, user: &CurrentUser) -> Ctx {
    Ctx {
        state: state.clone(),
        user: user.clone(),
        meta: RequestMeta::background("bench"),
        timing: SessionTiming {
            idle_timeout_secs: 900,
            warning_secs: 60,
            remaining_secs: 900,
        },
    }
}
