//! The call-data reports on real Postgres and the simulator: a simulated day is ingested, and each
//! report's rows and totals (pages and CSV exports) are compared with figures computed here from
//! the raw feed alone; then bad filters and another organization's rows.

use std::collections::BTreeMap;

use serde_json::{json, Value};
use sqlx::PgPool;

use super::call_data::{dialled_simulator, ingest, settle, whole_feed};
use super::call_data_expected::TZ;
use super::helpers::{spawn_app_with, TestApp};
use super::purge_calls::call_json;

/// The report day of an instant in the report time zone.
fn day(at: &Value) -> String {
    let stamp: jiff::Timestamp = at.as_str().unwrap().parse().unwrap();
    stamp
        .to_zoned(jiff::tz::TimeZone::get(TZ).unwrap())
        .date()
        .to_string()
}

fn millis(at: &Value) -> i64 {
    at.as_str()
        .unwrap()
        .parse::<jiff::Timestamp>()
        .unwrap()
        .as_millisecond()
}

fn text(v: &Value) -> &str {
    v.as_str().unwrap_or("")
}

/// A report's CSV export as rows of column key → cell.
pub async fn csv_rows(
    app: &TestApp,
    client: &reqwest::Client,
    path: &str,
) -> Vec<BTreeMap<String, String>> {
    let response = client.get(app.url(path)).send().await.unwrap();
    assert_eq!(response.status(), 200, "{path}");
    let body = response.text().await.unwrap();
    let body = body.trim_start_matches('\u{feff}');
    let mut reader = csv::Reader::from_reader(body.as_bytes());
    let headers = reader.headers().unwrap().clone();
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            headers
                .iter()
                .map(str::to_string)
                .zip(r.iter().map(str::to_string))
                .collect()
        })
        .collect()
}

fn number(cell: &str) -> f64 {
    if cell.is_empty() {
        return 0.0;
    }
    cell.parse()
        .unwrap_or_else(|_| panic!("{cell:?} is a number"))
}

fn assert_close(got: &str, expected: Option<f64>, what: &str) {
    match expected {
        None => assert_eq!(got, "", "{what}"),
        Some(e) => assert!(
            (number(got) - e).abs() < 0.006,
            "{what}: {got} against {e:.4}"
        ),
    }
}

/// Live answers, abandons (per reason), machine answers and fast connects per Sales campaign day.
#[derive(Default, Debug)]
struct Day {
    answered: i64,
    aux: i64,
    no_agent: i64,
    machine: i64,
    fast: i64,
}

fn abandon_days(records: &[Value], organization: &str) -> BTreeMap<(String, String), Day> {
    let mut days: BTreeMap<(String, String), Day> = BTreeMap::new();
    for r in records
        .iter()
        .filter(|r| r["kind"] == "attempt" && r["organization"] == organization)
    {
        let key = (day(&r["attempt_at"]), text(&r["campaign"]).to_string());
        let result = text(&r["result"]);
        if result == "answer_machine" {
            days.entry(key.clone()).or_default().machine += 1;
        }
        if result != "answer_human" || r["answered_at"].is_null() {
            continue;
        }
        let d = days.entry(key).or_default();
        d.answered += 1;
        match text(&r["nuisance_reason"]) {
            "agent_aux" => d.aux += 1,
            "no_agent" => d.no_agent += 1,
            _ => {}
        }
        if !r["connect_at"].is_null()
            && millis(&r["connect_at"]) - millis(&r["answered_at"]) < 2_000
        {
            d.fast += 1;
        }
    }
    days.retain(|_, d| d.answered > 0);
    days
}

#[sqlx::test]
async fn every_call_report_agrees_with_the_feed(pool: PgPool) {
    let (sim, feed) = dialled_simulator(24).await;
    settle(&sim, &feed).await;
    let app = spawn_app_with(
        pool.clone(),
        &[
            ("OCM_REPORT_TIME_ZONE", TZ),
            ("OCM_COMPLIANCE_AMD_FALSE_POSITIVE_PERCENT", "10"),
        ],
    )
    .await;
    ingest(&app, &feed).await;
    let records = whole_feed(&feed).await;
    let cursor: i64 = sqlx::query_scalar("select cursor_position from call_data_source")
        .fetch_one(&pool)
        .await
        .unwrap();
    let records: Vec<Value> = records
        .into_iter()
        .filter(|r| r["cursor"].as_i64().unwrap() <= cursor)
        .collect();
    let manager = app.signed_in("mgr.a").await;

    // Call Attempt: the busiest Sales day, every attempt of it, by result.
    let attempts: Vec<&Value> = records
        .iter()
        .filter(|r| r["kind"] == "attempt" && r["organization"] == "Sales")
        .collect();
    let mut per_day: BTreeMap<String, Vec<&Value>> = BTreeMap::new();
    for a in &attempts {
        per_day.entry(day(&a["attempt_at"])).or_default().push(a);
    }
    let (busiest, of_day) = per_day.iter().max_by_key(|(_, v)| v.len()).unwrap();
    let filters = json!({ "from": busiest, "to": busiest });
    let (status, page) = call_json(
        &app,
        &manager,
        "reports/call-attempts",
        json!({ "request": { "filters": filters } }),
    )
    .await;
    assert_eq!(status, 200, "{page}");
    assert_eq!(
        page["total"],
        of_day.len() as i64,
        "every attempt of {busiest}"
    );
    assert_eq!(page["time_zone"], TZ);
    let mut by_result: BTreeMap<String, i64> = BTreeMap::new();
    for a in of_day {
        *by_result.entry(text(&a["result"]).to_string()).or_default() += 1;
    }
    let chart: i64 = page["chart"]["points"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["values"][0].as_f64().unwrap() as i64)
        .sum();
    assert_eq!(
        chart,
        of_day.len() as i64,
        "the chart counts every attempt once"
    );
    assert_eq!(
        page["chart"]["points"].as_array().unwrap().len(),
        by_result.len()
    );
    // The first row is an attempt of the latest start (several may share its millisecond).
    let latest = of_day
        .iter()
        .map(|a| millis(&a["attempt_at"]))
        .max()
        .unwrap();
    let first = &page["rows"][0];
    let newest = of_day
        .iter()
        .filter(|a| millis(&a["attempt_at"]) == latest)
        .find(|a| a["address"] == first["phone"])
        .unwrap_or_else(|| panic!("{first} is not among the latest attempts"));
    assert_eq!(first["account"], newest["contact"]["ACCOUNT_NO"], "{first}");
    assert_eq!(first["result"], newest["result"]);
    for (result, count) in &by_result {
        let filters = json!({ "from": busiest, "to": busiest, "result": result });
        let (_, page) = call_json(
            &app,
            &manager,
            "reports/call-attempts",
            json!({ "request": { "filters": filters } }),
        )
        .await;
        assert_eq!(page["total"], *count, "{result}");
    }
    let rows = csv_rows(
        &app,
        &manager,
        &format!("/reports/call-attempts/export.csv?from={busiest}&to={busiest}"),
    )
    .await;
    assert_eq!(
        rows.len(),
        of_day.len(),
        "the export holds exactly what is filtered"
    );
    let phones: std::collections::BTreeSet<&str> =
        of_day.iter().map(|a| text(&a["address"])).collect();
    assert!(
        rows.iter().all(|r| phones.contains(r["phone"].as_str())),
        "phone numbers intact, + kept"
    );

    // Outbound Nuisance and compliance: every Sales campaign day.
    let expected = abandon_days(&records, "Sales");
    let all_days = {
        let first = expected.keys().map(|(d, _)| d.clone()).min().unwrap();
        let last = expected.keys().map(|(d, _)| d.clone()).max().unwrap();
        (first, last)
    };
    let query = format!("from={}&to={}", all_days.0, all_days.1);
    let rows = csv_rows(
        &app,
        &manager,
        &format!("/reports/nuisance/export.csv?{query}"),
    )
    .await;
    assert_eq!(rows.len(), expected.len(), "one row per campaign day");
    for row in &rows {
        let d = &expected[&(row["report_day"].clone(), row["campaign"].clone())];
        assert_eq!(row["organization"], "Sales");
        assert_eq!(number(&row["live_answers"]) as i64, d.answered);
        assert_eq!(number(&row["nuisance_agent_aux"]) as i64, d.aux);
        assert_eq!(number(&row["nuisance_no_agent"]) as i64, d.no_agent);
        let percent = 100.0 * (d.aux + d.no_agent) as f64 / d.answered as f64;
        assert_close(&row["nuisance_percent"], Some(percent), "nuisance %");
    }
    let (status, page) = call_json(
        &app,
        &manager,
        "reports/nuisance",
        json!({ "request": { "filters": { "from": all_days.0, "to": all_days.1 } } }),
    )
    .await;
    assert_eq!(status, 200, "{page}");
    let live: i64 = expected.values().map(|d| d.answered).sum();
    let nuisance: i64 = expected.values().map(|d| d.aux + d.no_agent).sum();
    assert_eq!(page["totals"]["live_answers"], live);
    assert_eq!(page["totals"]["nuisance"], nuisance);
    assert_eq!(page["chart"]["limit"][0], 3.0);

    let rows = csv_rows(
        &app,
        &manager,
        &format!("/reports/compliance/export.csv?{query}"),
    )
    .await;
    assert_eq!(rows.len(), expected.len());
    for row in &rows {
        let d = &expected[&(row["report_day"].clone(), row["campaign"].clone())];
        let abandoned = (d.aux + d.no_agent) as f64;
        let live = d.answered as f64 - abandoned;
        let amfp = d.machine as f64 * 0.10;
        let adjusted = if amfp + live > 0.0 {
            abandoned - abandoned * amfp / (amfp + live)
        } else {
            abandoned
        };
        let uk = (adjusted + live > 0.0).then(|| 100.0 * adjusted / (adjusted + live));
        assert_eq!(number(&row["machine_answers"]) as i64, d.machine, "{row:?}");
        assert_close(&row["amd_false_positives"], Some(amfp), "AMfp");
        assert_close(&row["adjusted_abandoned"], Some(adjusted), "D′");
        assert_close(&row["uk_rate"], uk, "UK rate");
        assert_close(
            &row["within_two_seconds"],
            (live > 0.0).then(|| 100.0 * d.fast as f64 / live),
            "≤ 2 s",
        );
        // Files read as the page does: "Yes" over the limit.
        let breach = if uk.is_some_and(|r| r > 3.0) {
            "Yes"
        } else {
            ""
        };
        assert_eq!(row["breach"], breach, "{row:?}");
    }
    let (status, figures) = call_json(
        &app,
        &manager,
        "reports/compliance-figures",
        json!({ "filters": { "from": all_days.0, "to": all_days.1 } }),
    )
    .await;
    assert_eq!(status, 200, "{figures}");
    let histogram: f64 = figures["connect_delays"]["points"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["values"][0].as_f64().unwrap())
        .sum();
    assert_eq!(histogram as i64, live, "every live answer in one bucket");
    let fast: f64 = figures["connect_delays"]["points"].as_array().unwrap()[..4]
        .iter()
        .map(|p| p["values"][0].as_f64().unwrap())
        .sum();
    assert_eq!(fast as i64, expected.values().map(|d| d.fast).sum::<i64>());
    let us_answered: i64 = figures["us_periods"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["answered"].as_i64().unwrap())
        .sum();
    assert_eq!(
        us_answered, live,
        "a day of data lies in one 30-day period per campaign"
    );

    // Another organization's supervisor reads none of it.
    let other = app.signed_in("sup.b").await;
    let rows = csv_rows(
        &app,
        &other,
        &format!("/reports/call-attempts/export.csv?from={busiest}&to={busiest}"),
    )
    .await;
    assert!(
        rows.iter().all(|r| r["organization"] == "Collections"),
        "only Collections"
    );
    let (status, page) = call_json(
        &app,
        &other,
        "reports/nuisance",
        json!({ "request": { "filters": { "organization": "Sales" } } }),
    )
    .await;
    assert_eq!(status, 400, "{page}");
    assert!(page.to_string().contains("organization"), "{page}");
}

#[sqlx::test]
async fn bad_filters_name_their_field(pool: PgPool) {
    let app = spawn_app_with(pool, &[("OCM_REPORT_TIME_ZONE", TZ)]).await;
    let manager = app.signed_in("mgr.a").await;
    for (endpoint, filters, field) in [
        (
            "reports/call-attempts",
            json!({ "from": "2026-13-01" }),
            "from",
        ),
        (
            "reports/call-attempts",
            json!({ "from": "2026-11-02", "to": "2026-11-01" }),
            "to",
        ),
        ("reports/call-attempts", json!({ "job": "twelve" }), "job"),
        (
            "reports/call-attempts",
            json!({ "from": "2026-01-01", "to": "2026-03-01" }),
            "range",
        ),
        (
            "reports/call-attempts",
            json!({ "agent": "nobody" }),
            "agent",
        ),
        (
            "reports/nuisance",
            json!({ "campaign": "No such campaign" }),
            "campaign",
        ),
        (
            "reports/compliance",
            json!({ "organization": "Collections" }),
            "organization",
        ),
        (
            "reports/agent-time",
            json!({ "from": "0001-01-01", "to": "9999-12-31" }),
            "from",
        ),
        ("reports/sales", json!({ "to": "-9999-01-01" }), "to"),
        (
            "reports/call-attempts",
            json!({ "job": "19", "from": "2026-01-01", "to": "2026-06-01" }),
            "range",
        ),
    ] {
        let (status, answer) = call_json(
            &app,
            &manager,
            endpoint,
            json!({ "request": { "filters": filters } }),
        )
        .await;
        assert_eq!(status, 400, "{endpoint} {filters}: {answer}");
        assert!(
            answer.to_string().contains(&format!("\"{field}\"")),
            "{endpoint} {filters} names {field}: {answer}"
        );
    }
    // The range too long for a page is exported whole.
    let response = manager
        .get(app.url("/reports/call-attempts/export.csv?from=2026-01-01&to=2026-03-01"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
}
