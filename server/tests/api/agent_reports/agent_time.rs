//! The agent time summary (`/reports/agent-time`) against a simulated day: each Sales agent-day's
//! staffed, state, call, sale and nuisance figures of one campaign type worked out from the feed,
//! and the team totals, compared with the CSV export and the page.

use std::collections::BTreeMap;

use serde_json::{json, Value};
use sqlx::PgPool;

use super::{campaign_types, day, int, simulated_day, span, text};
use crate::call_reports::csv_rows;
use crate::purge_calls::call_json;

/// Agent-day figures of one campaign type for Sales, keyed (day, agent): staffed, ready,
/// preview, talk, wrap, not ready, pending, calls, sales, nuisances caused, previews cancelled.
fn agent_days(records: &[Value], kind: &str) -> BTreeMap<(String, String), [i64; 11]> {
    let types = campaign_types(records);
    let mut days: BTreeMap<(String, String), [i64; 11]> = BTreeMap::new();
    let mut of_type = std::collections::BTreeSet::new();
    // Every interval of the agent-day, whatever its type: staffed time while no session ended.
    let mut states: BTreeMap<(String, String), i64> = BTreeMap::new();
    let sales = records.iter().filter(|r| r["organization"] == "Sales");
    for r in sales {
        let agent = text(&r["agent_id"]).to_string();
        match text(&r["kind"]) {
            "agent_interval" => {
                *states
                    .entry((day(&r["start_at"]), agent.clone()))
                    .or_default() += int(&r["seconds"]);
                let campaign_type = text(&r["campaign_type"]);
                if campaign_type != kind && !campaign_type.is_empty() {
                    continue;
                }
                let key = (day(&r["start_at"]), agent);
                if campaign_type == kind {
                    of_type.insert(key.clone());
                }
                let slot = match text(&r["state"]) {
                    "ready" => 1,
                    "preview" => 2,
                    "talking" => 3,
                    "wrap_up" => 4,
                    "not_ready" => 5,
                    "pending_not_ready" => 6,
                    _ => continue,
                };
                days.entry(key).or_default()[slot] += int(&r["seconds"]);
            }
            "agent_session" if r["event"] == "logout" => {
                days.entry((day(&r["login_at"]), agent)).or_default()[0] += int(&r["seconds"]);
            }
            "attempt" if r["campaign_type"] == kind && !r["agent_id"].is_null() => {
                let entry = days.entry((day(&r["attempt_at"]), agent)).or_default();
                entry[7] += i64::from(!r["connect_at"].is_null());
                entry[9] += i64::from(r["nuisance_reason"] == "agent_aux");
                entry[10] += i64::from(r["result"] == "preview_cancelled");
            }
            "sale" if types.get(text(&r["campaign"])).map(String::as_str) == Some(kind) => {
                days.entry((day(&r["submitted_at"]), agent)).or_default()[8] += 1;
            }
            _ => {}
        }
    }
    days.retain(|key, _| of_type.contains(key));
    for (key, figures) in days.iter_mut() {
        figures[0] = figures[0].max(states.get(key).copied().unwrap_or(0));
    }
    days
}

const COLUMNS: [&str; 11] = [
    "staffed_seconds",
    "ready_seconds",
    "preview_seconds",
    "talk_seconds",
    "wrap_up_seconds",
    "not_ready_seconds",
    "pending_not_ready_seconds",
    "calls",
    "sales",
    "nuisance_caused",
    "previews_cancelled",
];

#[sqlx::test]
async fn the_agent_time_summaries_agree_with_the_feed(pool: PgPool) {
    let (app, records) = simulated_day(&pool).await;
    let (first, last) = span(&records);
    // One agent mapped to a team; the others show as "(no team)".
    let mapped = records
        .iter()
        .find(|r| r["kind"] == "agent_interval" && r["organization"] == "Sales")
        .map(|r| text(&r["agent_id"]).to_string())
        .unwrap();
    sqlx::query(
        "insert into agent_team (agent_id, team_id, valid_from, created_by)
         select $1, team_id, '2000-01-01', 'test' from team where name = 'Sales Floor'",
    )
    .bind(&mapped)
    .execute(&pool)
    .await
    .unwrap();
    let manager = app.signed_in("mgr.a").await;
    for kind in ["predictive", "preview"] {
        let expected = agent_days(&records, kind);
        assert!(!expected.is_empty(), "{kind} agents worked");
        let query = format!("type={kind}&from={first}&to={last}");
        let rows = csv_rows(
            &app,
            &manager,
            &format!("/reports/agent-time/export.csv?{query}"),
        )
        .await;
        let agent_rows: Vec<_> = rows.iter().filter(|r| !r["agent"].is_empty()).collect();
        assert_eq!(
            agent_rows.len(),
            expected.len(),
            "{kind}: one line per agent-day"
        );
        let mut teams: BTreeMap<String, [i64; 11]> = BTreeMap::new();
        for row in &agent_rows {
            let want = expected[&(row["report_day"].clone(), row["agent"].clone())];
            for (i, column) in COLUMNS.iter().enumerate() {
                assert_eq!(row[*column], want[i].to_string(), "{kind} {column} {row:?}");
            }
            let team = if row["agent"] == mapped {
                "Sales Floor"
            } else {
                "(no team)"
            };
            assert_eq!(row["team"], team, "{row:?}");
            let sums = teams.entry(team.to_string()).or_default();
            for (sum, value) in sums.iter_mut().zip(want) {
                *sum += value;
            }
        }
        for (team, sums) in &teams {
            let total = rows
                .iter()
                .find(|r| r["agent"].is_empty() && &r["team"] == team)
                .unwrap_or_else(|| panic!("{kind}: a total for {team}"));
            for (i, column) in COLUMNS.iter().enumerate() {
                assert_eq!(
                    total[*column],
                    sums[i].to_string(),
                    "{kind} {team} {column}"
                );
            }
        }
        let (status, page) = call_json(
            &app,
            &manager,
            "reports/agent-time",
            json!({ "request": { "filters": { "type": kind, "from": first, "to": last } } }),
        )
        .await;
        assert_eq!(status, 200, "{page}");
        let calls: i64 = expected.values().map(|v| v[7]).sum();
        assert_eq!(page["totals"]["calls"], calls, "{kind}");
        assert_eq!(page["chart"]["kind"], "stacked_bars");
    }
}
