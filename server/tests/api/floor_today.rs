//! The floor's "Today" against the simulator: a job dials, the feed is ingested, and the day's
//! figures equal what the raw call data says (attempts, connects, live answers, sales, results,
//! attempts per quarter hour); last week's line comes from attempts rebuilt a week back; the
//! abandon rate is the compliance report's highest campaign; callbacks due and overdue are the
//! callback dashboard's.

use serde_json::{json, Value};
use sqlx::PgPool;

use super::call_data_expected::TZ;
use super::callbacks_live::next_event;
use super::campaign_calls::call_form;
use super::compliance::day as summary_day;
use super::helpers::TestApp;
use super::why_idle::{dial_for, started, Setup};

async fn today(app: &TestApp, client: &reqwest::Client) -> Value {
    let (status, body) = call_form(app, client, "campaigns/floor", json!({})).await;
    assert_eq!(status, 200, "{body}");
    body["today"].clone()
}

/// A count over today's raw attempts of the organization (report days in `TZ`).
async fn raw(pool: &PgPool, filter: &str) -> i64 {
    sqlx::query_scalar(&format!(
        "select count(*) from call_attempt
          where organization = 'Sales' and (attempt_at at time zone $1)::date = (now() at time zone $1)::date
            and {filter}"
    ))
    .bind(TZ)
    .fetch_one(pool)
    .await
    .unwrap()
}

/// The series named `name` added up over the chart's points.
fn series_total(chart: &Value, name: &str) -> f64 {
    let at = chart["series"]
        .as_array()
        .unwrap()
        .iter()
        .position(|s| s == name)
        .unwrap_or_else(|| panic!("no series {name}: {chart}"));
    chart["points"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["values"][at].as_f64().unwrap())
        .sum()
}

#[sqlx::test]
async fn todays_figures_are_the_call_datas(pool: PgPool) {
    let setup = Setup {
        contacts: 40,
        ..Setup::default()
    };
    let (sim, app, sup, _) = started(pool.clone(), setup, &[("OCM_REPORT_TIME_ZONE", TZ)]).await;
    dial_for(&sim, &app, 20 * 60_000).await;
    let attempts = raw(&pool, "true").await;
    assert!(attempts > 0, "the job dialled");
    // The same attempts a week back, summarised by the rebuild as `ocm reports rebuild` does.
    let week_ago: time::Date = sqlx::query_scalar("select (now() at time zone $1)::date - 7")
        .bind(TZ)
        .fetch_one(&pool)
        .await
        .unwrap();
    let mut one = pool.acquire().await.unwrap();
    for statement in [
        "select call_data_ensure_month(date_trunc('month', now() - interval '8 days')::date)",
        "create temporary table week_back as select * from call_attempt where organization = 'Sales'",
        "update week_back set occurred_at = occurred_at - interval '7 days',
                attempt_at = attempt_at - interval '7 days',
                ringback_at = ringback_at - interval '7 days',
                answered_at = answered_at - interval '7 days',
                connect_at = connect_at - interval '7 days',
                row_id = nextval('call_attempt_row_seq')",
        "insert into call_attempt select * from week_back",
    ] {
        sqlx::query(statement).execute(&mut *one).await.unwrap();
    }
    domain::call_data::rebuild::rebuild(&pool, TZ, week_ago, week_ago)
        .await
        .unwrap();
    let body = today(&app, &sup).await;
    assert_eq!(body["attempts"], attempts, "{body}");
    assert_eq!(
        body["connects"],
        raw(&pool, "connect_at is not null").await,
        "{body}"
    );
    assert_eq!(
        body["live_answers"],
        raw(&pool, "result = 'answer_human'").await,
        "{body}"
    );
    let sales: i64 = sqlx::query_scalar(
        "select count(*) from sale where organization = 'Sales'
            and (occurred_at at time zone $1)::date = (now() at time zone $1)::date",
    )
    .bind(TZ)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(body["sales"], sales, "{body}");
    let chart = &body["by_quarter"];
    assert_eq!(
        series_total(chart, "Attempts today"),
        attempts as f64,
        "{chart}"
    );
    assert_eq!(
        series_total(chart, "Connects today"),
        body["connects"].as_f64().unwrap(),
        "{chart}"
    );
    let weekday = week_ago.weekday();
    assert_eq!(
        series_total(chart, &format!("Attempts last {weekday}")),
        attempts as f64,
        "last week's line is the same attempts a week back: {chart}"
    );
    assert_eq!(
        series_total(&body["results"], "Attempts"),
        attempts as f64,
        "every attempt has one result"
    );
}

#[sqlx::test]
async fn the_abandon_rate_is_the_compliance_reports_highest(pool: PgPool) {
    let (_sim, app, sup, _) = started(
        pool.clone(),
        Setup::default(),
        &[("OCM_REPORT_TIME_ZONE", TZ)],
    )
    .await;
    let body = today(&app, &sup).await;
    assert_eq!(
        body["abandon_rate"],
        Value::Null,
        "nothing answered yet: {body}"
    );
    let date: String = sqlx::query_scalar("select ((now() at time zone $1)::date)::text")
        .bind(TZ)
        .fetch_one(&pool)
        .await
        .unwrap();
    // 100 answered, 5 dropped: 5 / (5 + 95) = 5.00 %; the other campaign 1 / 100 = 1.00 %.
    summary_day(&pool, "Over_Limit", &date, 10, (100, 5, 0)).await;
    summary_day(&pool, "Under_Limit", &date, 10, (101, 1, 0)).await;
    let mut body = today(&app, &sup).await;
    for _ in 0..20 {
        if body["abandon_rate"] != Value::Null {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        body = today(&app, &sup).await;
    }
    assert_eq!(body["abandon_rate"], json!([5.0, "Over_Limit"]), "{body}");
    assert_eq!(body["abandon_limit"], 3.0);
    let (status, page) = super::purge_calls::call_json(
        &app,
        &sup,
        "reports/compliance",
        json!({ "request": { "filters": { "from": date, "to": date, "campaign": "Over_Limit" } } }),
    )
    .await;
    assert_eq!(status, 200, "{page}");
    assert_eq!(
        page["rows"][0]["uk_rate"], 5.0,
        "the report says the same: {page}"
    );
}

#[sqlx::test]
async fn agents_now_are_the_simulators_agents(pool: PgPool) {
    let (sim, app, sup, _) = started(pool, Setup::default(), &[]).await;
    dial_for(&sim, &app, 5 * 60_000).await;
    // Time all but stops (a simulated millisecond per 100 real ones) while the two views are
    // compared, so no agent changes state between them.
    let slowed = sim
        .http
        .post(format!("{}/__sim/clock", sim.origin))
        .json(&json!({ "speed": 0.01 }))
        .send()
        .await
        .unwrap();
    assert!(slowed.status().is_success());
    // The simulator's own view: an agent free now is ready; one still on a call or break is not.
    let (logged_in, free) = sim.sim.with_world(|w, now| {
        let agents = &w.dialer.pools["Sales"].agents;
        let logged_in: Vec<&pom_sim::dialer::Agent> =
            agents.iter().filter(|a| a.login_ms.is_some()).collect();
        let free = logged_in.iter().filter(|a| a.free_at_ms <= now).count();
        (logged_in.len() as i64, free as i64)
    });
    // The feed up to the simulator's now, read once more so nothing published is left behind.
    super::call_data::ingest(&app, &format!("{}/__sim/feed", sim.origin)).await;
    let (status, body) = call_form(&app, &sup, "campaigns/floor", json!({})).await;
    assert_eq!(status, 200, "{body}");
    let groups = body["agents"].as_array().unwrap();
    let count = |pick: &dyn Fn(&Value) -> bool| -> i64 {
        groups
            .iter()
            .filter(|g| pick(g))
            .map(|g| g["agents"].as_i64().unwrap())
            .sum()
    };
    assert_eq!(
        count(&|_| true),
        logged_in,
        "every logged-in agent, once: {body}"
    );
    assert_eq!(
        count(&|g| g["state"] == "ready"),
        free,
        "ready means free now: {body}"
    );
    assert!(
        groups
            .iter()
            .all(|g| g["team"].as_str().unwrap().starts_with("Sales Team")),
        "{body}"
    );
    for group in groups {
        let reason = &group["reason"];
        assert_eq!(
            group["state"] == "not_ready",
            !reason.is_null(),
            "a reason goes with not ready only: {group}"
        );
        assert!(group["longest_minutes"].as_i64().unwrap() >= 0);
    }
}

#[sqlx::test]
async fn figures_of_a_report_closed_to_a_role_are_not_shown_to_it(pool: PgPool) {
    let (_sim, app, sup, _) = started(
        pool.clone(),
        Setup::default(),
        &[("OCM_REPORT_TIME_ZONE", TZ)],
    )
    .await;
    let date: String = sqlx::query_scalar("select ((now() at time zone $1)::date)::text")
        .bind(TZ)
        .fetch_one(&pool)
        .await
        .unwrap();
    summary_day(&pool, "Over_Limit", &date, 10, (100, 5, 0)).await;
    // An admin closed the compliance and sales reports to managers.
    sqlx::query(
        "insert into report_access (report, roles, updated_by)
         values ('compliance', '{supervisor}', 'admin'), ('sales', '{supervisor}', 'admin')",
    )
    .execute(&pool)
    .await
    .unwrap();
    let manager = app.signed_in("mgr.a").await;
    tokio::time::sleep(std::time::Duration::from_millis(1_100)).await;
    let theirs = today(&app, &manager).await;
    assert_eq!(theirs["closed"], json!(["compliance", "sales"]), "{theirs}");
    assert_eq!(theirs["abandon_rate"], Value::Null);
    assert_eq!(theirs["sales"], 0);
    let ours = today(&app, &sup).await;
    assert_eq!(ours["closed"], json!([]), "{ours}");
    assert_eq!(ours["abandon_rate"], json!([5.0, "Over_Limit"]));
    // The stream says the same to the manager.
    let mut stream = manager.get(app.url("/floor/events")).send().await.unwrap();
    let (_, first) = next_event(&mut stream, &mut String::new()).await;
    let seen = first.to_string();
    assert_eq!(
        first["today"]["closed"],
        json!(["compliance", "sales"]),
        "{seen}"
    );
    assert!(!seen.contains("Over_Limit"), "{seen}");
    assert!(!seen.contains("closed_by_role"), "{seen}");
}
