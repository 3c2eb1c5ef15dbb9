//! The Secured/Unsecured Performance report against a simulated day: connects, agent hours and
//! sales by category per day, agent and campaign, computed here from the raw feed.

use std::collections::BTreeMap;

use serde_json::{json, Value};
use sqlx::PgPool;

use super::agent_reports::{day, int, simulated_day, span, text};
use super::call_reports::csv_rows;
use super::purge_calls::call_json;

/// "12.34" → 1234.
fn minor(amount: &Value) -> i64 {
    let (units, cents) = text(amount).split_once('.').unwrap();
    units.parse::<i64>().unwrap() * 100 + cents.parse::<i64>().unwrap()
}

/// (day, agent, campaign) → connects, agent seconds, secured, secured amount, unsecured,
/// unsecured amount.
fn expected(records: &[Value]) -> BTreeMap<(String, String, String), [i64; 6]> {
    let mut lines: BTreeMap<(String, String, String), [i64; 6]> = BTreeMap::new();
    for r in records.iter().filter(|r| r["organization"] == "Sales") {
        let key = |at: &Value| {
            (
                day(at),
                text(&r["agent_id"]).to_string(),
                text(&r["campaign"]).to_string(),
            )
        };
        match text(&r["kind"]) {
            "attempt" if !r["agent_id"].is_null() && !r["connect_at"].is_null() => {
                lines.entry(key(&r["attempt_at"])).or_default()[0] += 1;
            }
            "agent_interval" if !r["campaign"].is_null() => {
                lines.entry(key(&r["start_at"])).or_default()[1] += int(&r["seconds"]);
            }
            "sale" => {
                let line = lines.entry(key(&r["submitted_at"])).or_default();
                let at = if r["category"] == "secured" { 2 } else { 4 };
                line[at] += 1;
                line[at + 1] += minor(&r["amount"]);
            }
            _ => {}
        }
    }
    lines.retain(|_, l| l[0] > 0 || l[2] + l[4] > 0);
    lines
}

fn cents(text: &str) -> i64 {
    let (units, cents) = text.split_once('.').unwrap();
    units.parse::<i64>().unwrap() * 100 + cents.parse::<i64>().unwrap()
}

#[sqlx::test]
async fn sales_by_category_agree_with_the_feed(pool: PgPool) {
    let (app, records) = simulated_day(&pool).await;
    let (first, last) = span(&records);
    let expected = expected(&records);
    assert!(expected.values().any(|l| l[2] > 0) && expected.values().any(|l| l[4] > 0));
    let manager = app.signed_in("mgr.a").await;
    let rows = csv_rows(
        &app,
        &manager,
        &format!("/reports/sales/export.csv?from={first}&to={last}"),
    )
    .await;
    assert_eq!(
        rows.len(),
        expected.len(),
        "one line per agent, campaign and day"
    );
    for row in &rows {
        let key = (
            row["report_day"].clone(),
            row["agent"].clone(),
            row["campaign"].clone(),
        );
        let want = expected[&key];
        assert_eq!(row["connects"], want[0].to_string(), "{row:?}");
        assert_eq!(
            row["agent_hours"],
            format!("{:.2}", want[1] as f64 / 3600.0),
            "{row:?}"
        );
        assert_eq!(row["secured_sales"], want[2].to_string(), "{row:?}");
        assert_eq!(cents(&row["secured_amount"]), want[3], "{row:?}");
        assert_eq!(row["unsecured_sales"], want[4].to_string(), "{row:?}");
        assert_eq!(cents(&row["unsecured_amount"]), want[5], "{row:?}");
    }
    let (status, page) = call_json(
        &app,
        &manager,
        "reports/sales",
        json!({ "request": { "filters": { "from": first, "to": last } } }),
    )
    .await;
    assert_eq!(status, 200, "{page}");
    let secured: i64 = expected.values().map(|l| l[2]).sum();
    assert_eq!(page["totals"]["secured_sales"], secured);
    assert_eq!(page["chart"]["series"], json!(["Secured", "Unsecured"]));
}

/// The agents (and their teams) of the Secured/Unsecured CSV export at `query`.
async fn agents_by_team(
    app: &super::helpers::TestApp,
    client: &reqwest::Client,
    query: &str,
) -> BTreeMap<String, String> {
    let rows = csv_rows(app, client, &format!("/reports/sales/export.csv?{query}")).await;
    rows.into_iter()
        .map(|row| (row["agent"].clone(), row["team"].clone()))
        .collect()
}

#[sqlx::test]
async fn a_team_change_after_the_calls_shows_on_their_lines(pool: PgPool) {
    let (app, records) = simulated_day(&pool).await;
    let (first, last) = span(&records);
    let manager = app.signed_in("mgr.a").await;
    let days = format!("from={first}&to={last}");
    let before = agents_by_team(&app, &manager, &days).await;
    let agent = before.keys().next().expect("a line").clone();
    assert_eq!(before[&agent], "(no team)", "no agent is mapped yet");

    // Mapped straight in the table: whichever screen or import changes a mapping, the lines follow.
    sqlx::query(
        "with t as (insert into team (name, organization_id)
                    select 'Closers', o.organization_id from organization o
                     where o.name = (select organization from report_sales_line where agent_id = $1 limit 1)
                    returning team_id)
         insert into agent_team (agent_id, team_id, valid_from, created_by)
         select $1, t.team_id, $2::date, 'test' from t",
    )
    .bind(&agent)
    .bind(&first)
    .execute(&pool)
    .await
    .unwrap();
    let closers = agents_by_team(&app, &manager, &format!("{days}&team=Closers")).await;
    assert_eq!(
        closers,
        BTreeMap::from([(agent.clone(), "Closers".to_string())]),
        "only the mapped agent's lines, under the new team"
    );

    sqlx::query("update team set name = 'Hunters' where name = 'Closers'")
        .execute(&pool)
        .await
        .unwrap();
    let all = agents_by_team(&app, &manager, &days).await;
    assert_eq!(
        all[&agent], "Hunters",
        "a renamed team is shown by its new name"
    );
    assert!(
        agents_by_team(&app, &manager, &format!("{days}&team=Closers"))
            .await
            .is_empty()
    );

    sqlx::query("delete from agent_team where agent_id = $1")
        .bind(&agent)
        .execute(&pool)
        .await
        .unwrap();
    let after = agents_by_team(&app, &manager, &days).await;
    assert_eq!(after, before, "unmapped again: as before");
}

#[sqlx::test]
async fn reads_at_the_same_moment_settle_every_day_once(pool: PgPool) {
    use domain::reports::stale::settle;
    let tz = super::call_data_expected::TZ;
    let (_app, _records) = simulated_day(&pool).await;
    let lines = "select count(*) from report_sales_line";
    let stale = "select count(*) from report_stale_day";
    let count = |sql: &'static str| sqlx::query_scalar::<_, i64>(sql).fetch_one(&pool);
    assert!(count(stale).await.unwrap() > 0, "ingestion marked its days");

    let (first, second) = tokio::join!(settle(&pool, tz), settle(&pool, tz));
    let settled = first.unwrap() + second.unwrap();
    assert!(settled > 0, "one of the two worked the days out");
    assert_eq!(count(stale).await.unwrap(), 0);
    let once = count(lines).await.unwrap();
    assert!(once > 0);

    // Every day marked again and settled by one read alone gives the same lines.
    sqlx::query("insert into report_stale_day (organization, report_day) select distinct organization, report_day from report_sales_line")
        .execute(&pool)
        .await
        .unwrap();
    settle(&pool, tz).await.unwrap();
    assert_eq!(count(lines).await.unwrap(), once);
}
