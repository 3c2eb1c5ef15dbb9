//! Call-data ingestion while the feed fails one page in ten (issue 22, part 1), alternately with
//! a 503 and with a 200 answer that is not the feed: each run keeps the pages read before its
//! failure, the next goes on from there, and at the end every record is stored exactly once and
//! every summary equals the figures computed from the raw feed.

use domain::call_data::ingest::{ingest_once, Feed};
use serde_json::json;
use sqlx::PgPool;

use super::call_data::{dialled_simulator, settle, whole_feed};
use super::call_data_expected::{check_summaries, TZ};
use super::helpers::spawn_app_with;

#[sqlx::test]
async fn every_record_is_stored_once_while_the_feed_fails_one_page_in_ten(pool: PgPool) {
    let (sim, feed) = dialled_simulator(6).await;
    settle(&sim, &feed).await;
    let app = spawn_app_with(pool.clone(), &[("OCM_REPORT_TIME_ZONE", TZ)]).await;
    let records = whole_feed(&feed).await;
    let last = records.last().unwrap()["cursor"].as_i64().unwrap();
    let control = pom_sim::guard::control_client(&sim);
    let faults = feed.replace("/feed", "/faults");

    let http = reqwest::Client::new();
    let settings = &app.state.settings;
    let feed_settings = Feed {
        pool: &pool,
        http: &http,
        url: &feed,
        time_zone: TZ,
        page: 200,
        key: &settings.erasure_key,
        rules: &settings.phone,
    };
    let (mut failures, mut runs, mut cursor) = (0_i64, 0, 0_i64);
    while cursor < last {
        runs += 1;
        assert!(runs < 500, "ingestion never caught up ({cursor} of {last})");
        let kind = if runs % 2 == 0 {
            json!("malformed")
        } else {
            json!({ "status": 503 })
        };
        let rules = json!([{ "endpoint": "feed", "error_rate": 0.1, "kind": kind }]);
        control.post(&faults).json(&rules).send().await.unwrap();
        if ingest_once(&feed_settings).await.is_err() {
            failures += 1;
        }
        cursor = sqlx::query_scalar("select cursor_position from call_data_source")
            .fetch_one(&pool)
            .await
            .unwrap();
    }
    assert!(
        failures >= 2,
        "the run met failed pages of both kinds ({failures})"
    );
    check_summaries(&pool, &records).await;
    let attempts = records.iter().filter(|r| r["kind"] == "attempt").count() as i64;
    let stored: i64 = sqlx::query_scalar("select count(*) from call_attempt")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(stored, attempts, "each attempt stored once");
    let problems: i64 = sqlx::query_scalar(
        "select coalesce(sum(occurrences), 0)::bigint from call_data_problem
          where reason in ('feed_unreachable', 'feed_version')",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(
        problems, failures,
        "each failure recorded for the admins' page"
    );
}
