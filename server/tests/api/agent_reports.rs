//! The agent and job reports against a simulated day: every figure computed here from the raw
//! feed alone (days with jiff in the report time zone) and compared with the reports' CSV exports
//! and pages.

use std::collections::BTreeMap;

use serde_json::{json, Value};
use sqlx::PgPool;

use super::call_data::{dialled_simulator, ingest, settle, whole_feed};
use super::call_data_expected::TZ;
use super::call_reports::csv_rows;
use super::helpers::{spawn_app_with, TestApp};
use super::purge_calls::call_json;

pub fn day(at: &Value) -> String {
    let stamp: jiff::Timestamp = at.as_str().unwrap().parse().unwrap();
    stamp
        .to_zoned(jiff::tz::TimeZone::get(TZ).unwrap())
        .date()
        .to_string()
}

pub fn text(v: &Value) -> &str {
    v.as_str().unwrap_or("")
}

pub fn int(v: &Value) -> i64 {
    v.as_i64().unwrap_or(0)
}

/// A settled simulated day, ingested; the feed's records up to the stored cursor.
pub async fn simulated_day(pool: &PgPool) -> (TestApp, Vec<Value>) {
    simulated_day_with(pool, &[]).await
}

/// [`simulated_day`] with settings of the test's own.
pub async fn simulated_day_with(pool: &PgPool, settings: &[(&str, &str)]) -> (TestApp, Vec<Value>) {
    simulated_hours(pool, 24, settings).await
}

/// [`simulated_day_with`] over `hours` of dialling (callbacks come due one to 48 hours after
/// they are arranged: two days hold many more of them handed over than one).
pub async fn simulated_hours(
    pool: &PgPool,
    hours: u32,
    settings: &[(&str, &str)],
) -> (TestApp, Vec<Value>) {
    let (sim, feed) = dialled_simulator(hours).await;
    settle(&sim, &feed).await;
    let mut settings = settings.to_vec();
    settings.push(("OCM_REPORT_TIME_ZONE", TZ));
    let app = spawn_app_with(pool.clone(), &settings).await;
    ingest(&app, &feed).await;
    let cursor: i64 = sqlx::query_scalar("select cursor_position from call_data_source")
        .fetch_one(pool)
        .await
        .unwrap();
    let records = whole_feed(&feed)
        .await
        .into_iter()
        .filter(|r| r["cursor"].as_i64().unwrap() <= cursor)
        .collect();
    (app, records)
}

/// The first and last report day of the records.
pub fn span(records: &[Value]) -> (String, String) {
    let days: Vec<String> = records
        .iter()
        .filter(|r| r["kind"] == "attempt")
        .map(|r| day(&r["attempt_at"]))
        .collect();
    (
        days.iter().min().unwrap().clone(),
        days.iter().max().unwrap().clone(),
    )
}

/// Each campaign's type, from its attempts.
pub fn campaign_types(records: &[Value]) -> BTreeMap<String, String> {
    records
        .iter()
        .filter(|r| r["kind"] == "attempt")
        .map(|r| {
            (
                text(&r["campaign"]).to_string(),
                text(&r["campaign_type"]).to_string(),
            )
        })
        .collect()
}

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

/// Per job of one campaign type (Sales), keyed by job id: the CSV columns the feed decides.
fn jobs(records: &[Value], kind: &str) -> BTreeMap<i64, BTreeMap<&'static str, i64>> {
    let mut jobs: BTreeMap<i64, BTreeMap<&'static str, i64>> = BTreeMap::new();
    let started: std::collections::BTreeSet<i64> = records
        .iter()
        .filter(|r| r["kind"] == "job_event" && r["event"] == "started")
        .filter(|r| r["organization"] == "Sales" && r["campaign_type"] == kind)
        .map(|r| int(&r["job_id"]))
        .collect();
    let mut add = |job: i64, column: &'static str, value: i64| {
        if started.contains(&job) {
            *jobs.entry(job).or_default().entry(column).or_default() += value;
        }
    };
    for r in records {
        let job = int(&r["job_id"]);
        match text(&r["kind"]) {
            "job_event" if r["event"] == "started" => {
                let sizes = r["list_sizes"].as_array().unwrap();
                add(
                    job,
                    "list_contacts",
                    sizes.iter().map(|s| int(&s["contacts"])).sum(),
                );
            }
            "attempt" => {
                add(job, "attempts", 1);
                add(job, "dialled", i64::from(int(&r["attempt_number"]) == 1));
                for result in [
                    "answer_human",
                    "answer_machine",
                    "busy",
                    "no_answer",
                    "failed",
                ] {
                    add(job, result, i64::from(r["result"] == result));
                }
                add(job, "connects", i64::from(!r["connect_at"].is_null()));
                add(job, "callbacks", i64::from(!r["callback_id"].is_null()));
                for (column, code) in [
                    ("nsp", "NSP"),
                    ("ntc", "CM_NTC"),
                    ("dnc_requests", "DNCREQ"),
                ] {
                    add(job, column, i64::from(r["completion_code"] == code));
                }
            }
            "sale" => add(job, "sales", 1),
            "contact_skip" => add(job, "not_attempted", 1),
            "agent_interval" if !r["job_id"].is_null() && r["state"] == "preview" => {
                add(job, "previews", 1);
            }
            _ => {}
        }
    }
    jobs
}

#[sqlx::test]
async fn the_job_summaries_agree_with_the_feed(pool: PgPool) {
    let (app, records) = simulated_day(&pool).await;
    let (first, last) = span(&records);
    let manager = app.signed_in("mgr.a").await;
    for kind in ["predictive", "preview"] {
        let expected = jobs(&records, kind);
        assert!(!expected.is_empty(), "{kind} jobs ran");
        let query = format!("type={kind}&from={first}&to={last}");
        let rows = csv_rows(
            &app,
            &manager,
            &format!("/reports/job-summary/export.csv?{query}"),
        )
        .await;
        assert_eq!(rows.len(), expected.len(), "{kind}: one line per job");
        for row in &rows {
            let want = &expected[&row["job_id"].parse::<i64>().unwrap()];
            for (column, value) in want {
                assert_eq!(
                    row[*column],
                    value.to_string(),
                    "{kind} job {} {column}",
                    row["job_id"]
                );
            }
        }
        let (status, page) = call_json(
            &app,
            &manager,
            "reports/job-summary",
            json!({ "request": { "filters": { "type": kind, "from": first, "to": last } } }),
        )
        .await;
        assert_eq!(status, 200, "{page}");
        let attempts: i64 = expected
            .values()
            .map(|j| j.get("attempts").copied().unwrap_or(0))
            .sum();
        assert_eq!(page["totals"]["attempts"], attempts, "{kind}");
    }
}
