//! The detail reports against a simulated day: the NSP and NTC lists, Agent Owned Recalls,
//! Inbound Abandoned and List Accounts Not Attempted, each compared with the raw feed.

use std::collections::BTreeMap;

use serde_json::{json, Value};
use sqlx::PgPool;

use super::agent_reports::{day, simulated_day, simulated_hours, span, text};
use super::call_reports::csv_rows;
use super::purge_calls::call_json;

#[sqlx::test]
async fn the_nsp_and_ntc_lists_hold_every_call_closed_so_with_its_contact(pool: PgPool) {
    let (app, records) = simulated_day(&pool).await;
    let (first, last) = span(&records);
    let manager = app.signed_in("mgr.a").await;
    for (kind, code) in [("nsp", "NSP"), ("ntc", "CM_NTC")] {
        let calls: BTreeMap<String, &Value> = records
            .iter()
            .filter(|r| r["kind"] == "attempt" && r["organization"] == "Sales")
            .filter(|r| r["completion_code"] == code)
            .map(|r| (text(&r["session_id"]).to_string(), r))
            .collect();
        assert!(!calls.is_empty(), "agents closed calls with {code}");
        let rows = csv_rows(
            &app,
            &manager,
            &format!("/reports/codes/export.csv?kind={kind}&from={first}&to={last}"),
        )
        .await;
        assert_eq!(rows.len(), calls.len(), "{kind}");
        let by_contact: BTreeMap<(String, String), &Value> = calls
            .values()
            .map(|r| {
                (
                    (
                        text(&r["list"]).to_string(),
                        text(&r["user_contact_id"]).to_string(),
                    ),
                    *r,
                )
            })
            .collect();
        for row in &rows {
            assert_eq!(row["code"], code);
            let call = by_contact[&(row["list"].clone(), row["contact_id"].clone())];
            let contact: Value = serde_json::from_str(&row["contact"]).unwrap();
            assert_eq!(contact, call["contact"], "the record as dialled");
            assert_eq!(row["phone"], text(&call["address"]));
            assert_eq!(day(&call["attempt_at"]), row["attempt_at"][..10]);
        }
        let (status, page) = call_json(
            &app,
            &manager,
            "reports/codes",
            json!({ "request": { "filters": { "kind": kind, "from": first, "to": last } } }),
        )
        .await;
        assert_eq!(status, 200, "{page}");
        assert_eq!(page["total"], calls.len() as i64);
    }
}

fn millis(at: &Value) -> i64 {
    at.as_str()
        .unwrap()
        .parse::<jiff::Timestamp>()
        .unwrap()
        .as_millisecond()
}

const RANKS: [&str; 7] = [
    "created",
    "pending",
    "dialled",
    "rescheduled",
    "completed",
    "cancelled",
    "expired",
];

/// An agent-owned callback as the feed tells it: state, fulfilled by, handed over, lateness.
#[derive(Debug, Default)]
struct Recall {
    owner: String,
    events: Vec<(i64, usize, String, String, bool, Option<i64>)>,
}

#[sqlx::test]
async fn agent_owned_recalls_follow_each_callback_to_its_end(pool: PgPool) {
    // Two days: a day holds few callbacks handed over, and some of them end unfulfilled.
    let (app, records) = simulated_hours(&pool, 48, &[]).await;
    let (first, last) = span(&records);
    let mut recalls: BTreeMap<String, Recall> = BTreeMap::new();
    for r in records.iter().filter(|r| r["organization"] == "Sales") {
        let id = text(&r["callback_id"]).to_string();
        match text(&r["kind"]) {
            "callback" if r["callback_type"] == "agent_owned" => {
                recalls.entry(id).or_default().owner = text(&r["agent_id"]).to_string();
            }
            "callback_event" => {
                let rank = RANKS.iter().position(|e| *e == r["event"]).unwrap();
                let due = r["due_at"].as_str().map(|_| millis(&r["due_at"]));
                recalls.entry(id).or_default().events.push((
                    millis(&r["at"]),
                    rank,
                    text(&r["event"]).to_string(),
                    text(&r["agent_id"]).to_string(),
                    r["handed_over"] == true,
                    due,
                ));
            }
            _ => {}
        }
    }
    recalls.retain(|_, r| !r.owner.is_empty());
    assert!(recalls.len() > 5, "{} agent-owned callbacks", recalls.len());
    let manager = app.signed_in("mgr.a").await;
    let rows = csv_rows(
        &app,
        &manager,
        &format!("/reports/recalls/export.csv?from={first}&to={last}"),
    )
    .await;
    assert_eq!(rows.len(), recalls.len(), "every agent-owned callback once");
    let mut handed = 0;
    for row in &rows {
        let recall = recalls
            .get_mut(&row["callback_id"].clone())
            .unwrap_or_else(|| panic!("{row:?}"));
        recall.events.sort();
        let (_, _, state, agent, _, _) = recall.events.last().unwrap().clone();
        assert_eq!(row["owner"], recall.owner);
        let words = types::model::CallbackState::from(state.clone());
        assert_eq!(
            row["state"],
            words.label(),
            "files read as the page: {row:?}"
        );
        let fulfilled = if state == "completed" {
            agent
        } else {
            String::new()
        };
        assert_eq!(row["fulfilled_by"], fulfilled, "{row:?}");
        let handed_over = recall.events.iter().any(|e| e.4);
        handed += i64::from(handed_over);
        assert_eq!(row["handed_over"], if handed_over { "Yes" } else { "" });
        let first_dial = recall
            .events
            .iter()
            .filter(|e| e.2 == "dialled")
            .map(|e| e.0)
            .min();
        let lateness = first_dial.map(|dial| {
            let due = recall
                .events
                .iter()
                .filter(|e| (e.2 == "created" || e.2 == "rescheduled") && e.0 <= dial)
                .filter_map(|e| e.5)
                .next_back()
                .unwrap();
            ((dial - due) as f64 / 1000.0).round() as i64
        });
        let shown = (!row["lateness_seconds"].is_empty())
            .then(|| row["lateness_seconds"].parse::<i64>().unwrap());
        assert_eq!(shown, lateness, "{row:?}");
    }
    let (status, page) = call_json(
        &app,
        &manager,
        "reports/recalls",
        json!({ "request": { "filters": { "from": first, "to": last, "state": "completed" } } }),
    )
    .await;
    assert_eq!(status, 200, "{page}");
    let completed = rows.iter().filter(|r| r["state"] == "Completed").count();
    assert_eq!(page["total"], completed as i64);
    let points = page["chart"]["points"].as_array().unwrap();
    let charted: f64 = points
        .iter()
        .map(|p| p["values"][1].as_f64().unwrap())
        .sum();
    let handed_completed = rows
        .iter()
        .filter(|r| r["state"] == "Completed" && r["handed_over"] == "Yes")
        .count();
    assert_eq!(charted as usize, handed_completed);
    // The day has callbacks handed over, and one of them was fulfilled by the agent it was
    // handed to, not by its owner (one handed back to its owner later would name the owner).
    assert!(handed > 0, "an agent-owned callback handed over in the day");
    let by_another = rows.iter().find(|r| {
        r["handed_over"] == "Yes"
            && r["state"] == "Completed"
            && !r["fulfilled_by"].is_empty()
            && r["fulfilled_by"] != r["owner"]
    });
    assert!(
        by_another.is_some(),
        "a callback handed over and fulfilled by another agent: {:?}",
        rows.iter()
            .filter(|r| r["handed_over"] == "Yes")
            .collect::<Vec<_>>()
    );
}
