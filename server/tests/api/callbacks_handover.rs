//! An agent-owned callback handed to another agent, on the callback dashboard: in the
//! simulator one agent works alone and arranges callbacks for themselves (every call a person
//! answers ends `CALLBACK`), then goes on a long break; when those callbacks come due POM gives
//! them to the other agent after five minutes, who fulfils them. The dashboard's rows (page,
//! export) show the owner, that each was handed over and who fulfilled it.

use serde_json::{json, Value};

use super::call_data_expected::TZ;
use super::call_reports::csv_rows;
use super::purge_calls::call_json;
use super::why_idle::{dial_for, on_break, started, Setup};

const OWNER: &str = "SAL001";
const OTHER: &str = "SAL002";

#[sqlx::test]
async fn an_agent_owned_callback_handed_over_shows_who_fulfilled_it(pool: sqlx::PgPool) {
    let setup = Setup {
        agents: 2,
        contacts: 300,
        codes: vec!["CALLBACK"],
        // Callbacks dialled again two minutes after a call nobody answered, for ten hours.
        rules: json!({
            "window_start_minute": 0, "window_end_minute": 1440, "max_attempts": 1,
            "retry_after_secs": 120, "callback_expiry_minutes": 600,
        }),
        ..Setup::default()
    };
    let report_zone = [("OCM_REPORT_TIME_ZONE", TZ)];
    let (sim, app, sup, _) = started(pool.clone(), setup, &report_zone).await;
    // Three hours of the owner dialling alone: the callbacks it arranges are its own (due one
    // to 48 hours after the call).
    on_break(&sim, &[OTHER], "Training", 180).await;
    dial_for(&sim, &app, 180 * 60_000).await;
    // The owner is away for days: every one of its callbacks that comes due now is handed over.
    on_break(&sim, &[OWNER], "Personal", 4 * 24 * 60).await;
    dial_for(&sim, &app, 3 * 24 * 3_600_000).await;

    let filters = json!({ "section": "ended", "callback_type": "agent_owned", "owner": OWNER });
    let (status, page) = call_json(
        &app,
        &sup,
        "callbacks/board",
        json!({ "request": { "filters": filters } }),
    )
    .await;
    assert_eq!(status, 200, "{page}");
    let rows = page["rows"].as_array().unwrap();
    assert!(!rows.is_empty(), "the owner arranged callbacks: {page}");
    let handed: Vec<&Value> = rows
        .iter()
        .filter(|r| r["handed_over"] == true && r["state"] == "completed")
        .collect();
    assert!(
        !handed.is_empty(),
        "an agent-owned callback handed over and fulfilled: {page}"
    );
    for row in &handed {
        assert_eq!(row["owner"], OWNER, "{row}");
        assert_eq!(
            row["fulfilled_by"], OTHER,
            "fulfilled by the agent it went to: {row}"
        );
        assert_eq!(row["agent"], OTHER, "{row}");
    }
    // A callback fulfilled is fulfilled by someone; one that ended otherwise by nobody.
    for row in rows {
        let fulfilled = row["fulfilled_by"].as_str().unwrap();
        assert_eq!(row["state"] == "completed", !fulfilled.is_empty(), "{row}");
    }
    // The simulator's own account: the owner never took one of them after going away.
    let ids: Vec<&str> = handed
        .iter()
        .map(|r| r["callback_id"].as_str().unwrap())
        .collect();
    let dialled_by_owner: i64 = sqlx::query_scalar(
        "select count(*) from callback_event
          where callback_id = any($1) and event = 'dialled' and agent_id = $2",
    )
    .bind(&ids)
    .bind(OWNER)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(dialled_by_owner, 0);

    // The export reads as the page: owner, handed over, fulfilled by.
    let path =
        format!("/callbacks/export.csv?section=ended&callback_type=agent_owned&owner={OWNER}");
    let exported = csv_rows(&app, &sup, &path).await;
    let first = exported
        .iter()
        .find(|r| r["callback_id"] == ids[0])
        .unwrap_or_else(|| panic!("{exported:?}"));
    assert_eq!(
        (
            first["owner"].as_str(),
            first["handed_over"].as_str(),
            first["fulfilled_by"].as_str()
        ),
        (OWNER, "Yes", OTHER)
    );
    // And the page's table has the columns.
    let html = sup
        .get(app.url(&format!("/callbacks?section=ended&owner={OWNER}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("Fulfilled by") && html.contains("Handed over"),
        "the dashboard's columns"
    );
}
