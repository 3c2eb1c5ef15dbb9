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
