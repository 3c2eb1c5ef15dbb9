//! The dialling engine over HTTP: a 10,000-contact predictive campaign runs to completion with
//! the clock sped up, and the feed (JSON lines by cursor, CSV export) holds one first attempt per
//! dialled contact or a skip record for every other contact, the retries, and every other kind,
//! each with the fields `docs/call-data-feed.md` names.

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use super::helpers::{start, Harness};

/// 2026-11-23 12:00 UTC, a Monday.
pub const NOON: i64 = 1_795_435_200_000;

/// Reads the feed after `cursor`; returns the records and the next cursor.
pub async fn feed_after(h: &Harness, cursor: u64) -> (Vec<Value>, u64) {
    let response = h
        .http()
        .get(format!("{}/__sim/feed?after={cursor}", h.origin))
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["content-type"], "application/x-ndjson");
    assert_eq!(response.headers()["x-feed-version"], "3");
    let next: u64 = response.headers()["x-next-cursor"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    let body = response.text().await.unwrap();
    let records = body
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    (records, next)
}

/// Follows the feed while the job runs; returns every record once the job has completed.
pub async fn follow_job(h: &Harness, job: i64) -> (Vec<Value>, BTreeSet<String>) {
    let started = Instant::now();
    let (mut records, mut cursor) = (Vec::new(), 0);
    let mut seen_while_running = BTreeSet::new();
    loop {
        let state = h.get_json(&format!("jobs/{job}/dialing")).await["state"].clone();
        let (page, next) = feed_after(h, cursor).await;
        assert!(page.iter().all(|r| r["cursor"].as_u64().unwrap() > cursor));
        cursor = next;
        if state == "JOB_ACTIVE" {
            seen_while_running.extend(page.iter().map(|r| r["kind"].as_str().unwrap().to_string()));
        }
        records.extend(page);
        if state == "JOB_COMPLETED" {
            let (rest, _) = feed_after(h, cursor).await;
            records.extend(rest);
            return (records, seen_while_running);
        }
        assert!(
            started.elapsed() < Duration::from_secs(180),
            "job {job} still {state} after 3 minutes"
        );
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
}

#[tokio::test]
async fn a_ten_thousand_contact_campaign_completes_and_its_feed_adds_up() {
    let h = start().await;
    h.control("clock", json!({ "at_ms": NOON })).await;
    h.control("dialer", json!({ "agents_per_org": 40, "seed": 1 }))
        .await;
    let client = h.global();
    let campaign = "Sales_Spring_Promo_Predictive";
    assert!(client.run_campaign(campaign).await.unwrap());
    let job = client.get_campaign_jobs(campaign, &[]).await.unwrap()[0].0;
    h.control("clock", json!({ "speed": 2000 })).await;
    let (records, seen_while_running) = follow_job(&h, job).await;
    for kind in ["attempt", "agent_interval"] {
        assert!(
            seen_while_running.contains(kind),
            "{kind} while running: {seen_while_running:?}"
        );
    }
    let figures = h.get_json(&format!("jobs/{job}/dialing")).await;
    let stats = &figures["stats"];
    let attempts: Vec<&Value> = records
        .iter()
        .filter(|r| r["kind"] == "attempt" && r["job_id"] == job)
        .collect();
    assert_eq!(attempts.len() as u64, stats["attempts"].as_u64().unwrap());
    let mut per_contact: BTreeMap<&str, Vec<(u64, bool)>> = BTreeMap::new();
    for attempt in &attempts {
        per_contact
            .entry(attempt["user_contact_id"].as_str().unwrap())
            .or_default()
            .push((
                attempt["attempt_number"].as_u64().unwrap(),
                attempt["callback_id"].is_string(),
            ));
        let nuisance = attempt["nuisance"].as_bool().unwrap();
        assert_eq!(nuisance, attempt["sys_completion_code"] == "Nuisance_Call");
        assert_eq!(attempt["campaign_type"], "predictive");
    }
    let dialled = stats["dialled"].as_u64().unwrap();
    assert_eq!(
        per_contact.len() as u64,
        dialled,
        "one first attempt per dialled contact"
    );
    assert!(per_contact.values().all(|calls| {
        let numbers = calls.iter().map(|(n, _)| *n);
        let retries = calls.iter().filter(|(_, callback)| !callback).count();
        numbers.eq(1..=calls.len() as u64) && retries <= 3
    }));
    let skips = records
        .iter()
        .filter(|r| r["kind"] == "contact_skip" && r["job_id"] == job)
        .count() as u64;
    assert_eq!(dialled + skips, 10_000, "{stats}");
    let last_event = records
        .iter()
        .rfind(|r| r["kind"] == "job_event" && r["job_id"] == job)
        .unwrap();
    assert_eq!(last_event["event"], "completed");
    assert_eq!(
        &last_event["counters"], stats,
        "the job's last event has its counters"
    );
    assert!(
        dialled > 3_000 && stats["retries"].as_u64().unwrap() > 0,
        "{stats}"
    );
    super::feed_contract::check_records(&records);
    super::feed_contract::check_exports(&h).await;
    let kill = records.iter().find(|r| r["kind"] == "dialer_kill").unwrap();
    let address = kill["address"].as_str().unwrap();
    assert!(
        client.is_dnc(address, Some("Sales")).await.unwrap(),
        "kill-list entry on Sales DNC"
    );

    let csv = h
        .http()
        .get(format!("{}/__sim/export/attempt.csv", h.origin))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let mut lines = csv.lines();
    let header = lines.next().unwrap();
    assert!(header.starts_with("cursor,") && header.contains("user_contact_id"));
    assert_eq!(lines.count(), attempts.len());
}
