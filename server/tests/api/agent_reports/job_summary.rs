//! The job summary (`/reports/job-summary`) against a simulated day: each Sales job's list size,
//! attempts by result, connects, callbacks, sales and codes worked out from the feed, compared
//! with the CSV export and the page.

use std::collections::BTreeMap;

use serde_json::{json, Value};
use sqlx::PgPool;

use super::{int, simulated_day, span, text};
use crate::call_reports::csv_rows;
use crate::purge_calls::call_json;

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
