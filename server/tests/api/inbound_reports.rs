//! Inbound Abandoned and List Accounts Not Attempted against a simulated day: each row's matched
//! contact, call back and last attempt found here in the raw feed.

use std::collections::BTreeMap;

use serde_json::{json, Value};
use sqlx::PgPool;

use super::agent_reports::{simulated_day, span, text};
use super::call_reports::csv_rows;
use super::purge_calls::call_json;

fn millis(at: &Value) -> i64 {
    at.as_str()
        .unwrap()
        .parse::<jiff::Timestamp>()
        .unwrap()
        .as_millisecond()
}

/// Sales attempts, oldest first.
fn attempts(records: &[Value]) -> Vec<&Value> {
    let mut attempts: Vec<&Value> = records
        .iter()
        .filter(|r| r["kind"] == "attempt" && r["organization"] == "Sales")
        .collect();
    attempts.sort_by_key(|a| millis(&a["attempt_at"]));
    attempts
}

#[sqlx::test]
async fn abandoned_calls_are_matched_and_followed_to_their_call_back(pool: PgPool) {
    let (app, records) = simulated_day(&pool).await;
    let (first, last) = span(&records);
    let attempts = attempts(&records);
    let abandons: BTreeMap<String, &Value> = records
        .iter()
        .filter(|r| r["kind"] == "inbound_abandon" && r["organization"] == "Sales")
        .map(|r| (text(&r["call_id"]).to_string(), r))
        .collect();
    assert!(!abandons.is_empty());
    let manager = app.signed_in("mgr.a").await;
    let rows = csv_rows(
        &app,
        &manager,
        &format!("/reports/inbound-abandoned/export.csv?from={first}&to={last}"),
    )
    .await;
    assert_eq!(rows.len(), abandons.len());
    let mut matched = 0;
    for row in &rows {
        let call = abandons[&row["call_id"]];
        let to_caller: Vec<&&Value> = attempts
            .iter()
            .filter(|a| a["address"] == call["caller"])
            .collect();
        let latest = to_caller.last();
        assert_eq!(
            row["matched_contact"],
            latest.map_or("", |a| text(&a["user_contact_id"])),
            "{row:?}"
        );
        matched += usize::from(latest.is_some());
        let back = to_caller
            .iter()
            .find(|a| millis(&a["attempt_at"]) >= millis(&call["abandoned_at"]));
        assert_eq!(
            row["called_back_result"],
            back.map_or("", |a| text(&a["result"])),
            "{row:?}"
        );
        assert_eq!(row["wait_seconds"], call["wait_seconds"].to_string());
    }
    assert!(matched > 0, "some callers are the organization's contacts");
    let (status, page) = call_json(
        &app,
        &manager,
        "reports/inbound-abandoned",
        json!({ "request": { "filters": { "from": first, "to": last, "min_wait": "abc" } } }),
    )
    .await;
    assert_eq!(status, 400, "{page}");
    assert!(page.to_string().contains("min_wait"));
    let (_, page) = call_json(
        &app,
        &manager,
        "reports/inbound-abandoned",
        json!({ "request": { "filters": { "from": first, "to": last } } }),
    )
    .await;
    let per_hour: f64 = page["chart"]["points"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["values"][0].as_f64().unwrap())
        .sum();
    assert_eq!(
        per_hour as usize,
        abandons.len(),
        "every abandon in its hour"
    );
}

#[sqlx::test]
async fn contacts_passed_over_carry_their_reason_and_last_attempt(pool: PgPool) {
    let (app, records) = simulated_day(&pool).await;
    let (first, last) = span(&records);
    let attempts = attempts(&records);
    let skips: Vec<&Value> = records
        .iter()
        .filter(|r| r["kind"] == "contact_skip" && r["organization"] == "Sales")
        .collect();
    assert!(!skips.is_empty());
    let manager = app.signed_in("mgr.a").await;
    let rows = csv_rows(
        &app,
        &manager,
        &format!("/reports/not-attempted/export.csv?from={first}&to={last}"),
    )
    .await;
    assert_eq!(rows.len(), skips.len());
    let mut by_contact: BTreeMap<(&str, &str), Vec<&Value>> = BTreeMap::new();
    for a in &attempts {
        let key = (text(&a["list"]), text(&a["user_contact_id"]));
        by_contact.entry(key).or_default().push(a);
    }
    let shown: BTreeMap<(String, String, String), &BTreeMap<String, String>> = rows
        .iter()
        .map(|r| {
            (
                (
                    r["job_id"].clone(),
                    r["list"].clone(),
                    r["contact_id"].clone(),
                ),
                r,
            )
        })
        .collect();
    let mut by_reason: BTreeMap<String, usize> = BTreeMap::new();
    for skip in &skips {
        *by_reason
            .entry(text(&skip["reason"]).to_string())
            .or_default() += 1;
        let key = (
            skip["job_id"].to_string(),
            text(&skip["list"]).to_string(),
            text(&skip["user_contact_id"]).to_string(),
        );
        let row = shown.get(&key).unwrap_or_else(|| panic!("{skip}"));
        let at = millis(&skip["at"]);
        let last_attempt = by_contact
            .get(&(text(&skip["list"]), text(&skip["user_contact_id"])))
            .and_then(|tried| tried.iter().rfind(|a| millis(&a["attempt_at"]) <= at));
        assert_eq!(
            row["last_result"],
            last_attempt.map_or("", |a| text(&a["result"])),
            "{row:?}"
        );
    }
    for (reason, count) in &by_reason {
        let (status, page) = call_json(
            &app,
            &manager,
            "reports/not-attempted",
            json!({ "request": { "filters": { "from": first, "to": last, "reason": reason } } }),
        )
        .await;
        assert_eq!(status, 200, "{page}");
        assert_eq!(page["total"], *count as i64, "{reason}");
    }
}
