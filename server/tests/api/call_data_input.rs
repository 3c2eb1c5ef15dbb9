//! Bad input on the call-data feed, served by a small HTTP feed of hand-written pages: records
//! that cannot be stored, unknown kinds, unknown organizations, a clock ahead, a page Postgres
//! refuses because of one record, a feed that goes back to its start and one that cannot be
//! reached. Each is recorded once with its reason and the rest of the feed is stored.

use std::sync::{Arc, Mutex};

use axum::extract::Query;
use axum::response::IntoResponse;
use serde_json::{json, Value};
use sqlx::PgPool;

use super::call_data::ingest;
use super::helpers::spawn_app;

fn sale(cursor: i64, organization: &str, product: &str, amount: &str, at: &str) -> Value {
    json!({
        "cursor": cursor, "kind": "sale", "sale_id": format!("S{cursor}"), "session_id": "1-1",
        "organization": organization, "job_id": 1, "campaign": "C", "list": "L",
        "user_contact_id": "U", "agent_id": "A", "team": "T", "product": product,
        "category": "secured", "amount": amount, "currency": "GBP", "submitted_at": at
    })
}

#[derive(serde::Deserialize)]
struct Page {
    after: i64,
}

/// Serves `lines` (each with its cursor) after the asked cursor; `X-Next-Cursor` is `next` when
/// set (a feed that went back to its start), else the last line's cursor.
pub async fn serve(lines: Arc<Mutex<Vec<(i64, String)>>>, next: Arc<Mutex<Option<i64>>>) -> String {
    let app = axum::Router::new().route(
        "/feed",
        axum::routing::get(move |Query(page): Query<Page>| {
            let (lines, next) = (lines.clone(), next.clone());
            async move {
                let lines = lines.lock().unwrap();
                let after: Vec<&(i64, String)> =
                    lines.iter().filter(|(c, _)| *c > page.after).collect();
                let body: String = after.iter().map(|(_, l)| format!("{l}\n")).collect();
                let last = after.last().map_or(page.after, |(c, _)| *c);
                let next = next.lock().unwrap().unwrap_or(last);
                let headers = [
                    ("x-feed-version", "2".to_string()),
                    ("x-next-cursor", next.to_string()),
                ];
                (headers, body).into_response()
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{address}/feed")
}

async fn problems(pool: &PgPool) -> Vec<(String, i64)> {
    sqlx::query_as("select reason, occurrences from call_data_problem order by reason")
        .fetch_all(pool)
        .await
        .unwrap()
}

#[sqlx::test]
async fn bad_records_are_set_aside_with_their_reasons_and_the_rest_is_stored(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    // A constraint standing for any value Postgres refuses that the reader let through.
    sqlx::query("alter table sale add constraint refuse_for_test check (product <> 'REFUSED')")
        .execute(&pool)
        .await
        .unwrap();
    let now = "2026-12-01T10:00:00Z";
    let job_event = json!({
        "cursor": 5, "kind": "job_event", "job_id": 9, "organization": "Sales", "campaign": "C",
        "campaign_type": "predictive", "event": "started", "state": "JOB_RUNNING", "at": now,
        "finish_reason": null, "list_sizes": {"L": 3}, "counters": null
    });
    let lines: Vec<(i64, String)> = vec![
        (1, sale(1, "Sales", "Loan", "12.50", now).to_string()),
        (
            2,
            r#"{"cursor": 2, "kind": "queue_snapshot", "depth": 4}"#.to_string(),
        ),
        (3, sale(3, "Sales", "Loan\u{0}", "1", now).to_string()),
        (
            4,
            sale(4, "Sales", "Loan", "99999999999999", now).to_string(),
        ),
        (5, job_event.to_string()),
        (6, sale(6, "Nowhere Ltd", "Loan", "1", now).to_string()),
        (
            7,
            sale(7, "Sales", "Loan", "1", "2099-01-01T00:00:00Z").to_string(),
        ),
        (8, sale(8, "Sales", "REFUSED", "1", now).to_string()),
        (9, sale(9, "Sales", "Card", "2", now).to_string()),
    ];
    let next = Arc::new(Mutex::new(None));
    let feed = serve(Arc::new(Mutex::new(lines)), next.clone()).await;

    let run = ingest(&app, &feed).await;
    assert_eq!(run.added, 4, "sales 1, 6, 7 and 9: {run:?}");
    let sales: Vec<String> = sqlx::query_scalar("select sale_id from sale order by sale_id")
        .fetch_all(&pool)
        .await
        .unwrap();
    assert_eq!(sales, ["S1", "S6", "S7", "S9"]);
    let aside: Vec<(i64, Option<String>)> =
        sqlx::query_as("select feed_cursor, problem from call_data_unknown order by 1")
            .fetch_all(&pool)
            .await
            .unwrap();
    let cursors: Vec<i64> = aside.iter().map(|(c, _)| *c).collect();
    assert_eq!(cursors, [2, 4, 5], "{aside:?}");
    let reasons: Vec<String> = problems(&pool).await.into_iter().map(|p| p.0).collect();
    assert_eq!(
        reasons,
        [
            "clock_skew",
            "page_refused",
            "record_breaks_contract",
            "record_refused",
            "record_with_nul",
            "unknown_organization"
        ]
    );
    let position: i64 =
        sqlx::query_scalar("select cursor_position from call_data_source where name = 'feed'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(position, 9, "the feed is read past every bad record");

    // Read again: nothing added, nothing recorded twice.
    assert_eq!(ingest(&app, &feed).await.added, 0);
    // The feed goes back to its start (a dialer reset): said once, read from the start again.
    *next.lock().unwrap() = Some(0);
    ingest(&app, &feed).await;
    let reset: Vec<(String, i64)> = problems(&pool)
        .await
        .into_iter()
        .filter(|(r, _)| r == "feed_reset")
        .collect();
    assert_eq!(reset, [("feed_reset".to_string(), 1)]);
    let sales: i64 = sqlx::query_scalar("select count(*) from sale")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(sales, 4, "the replay from the start adds nothing");
}

#[sqlx::test]
async fn an_unreachable_feed_is_recorded_and_stops_only_its_run(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/feed", closed.local_addr().unwrap());
    drop(closed);
    let settings = &app.state.settings;
    let http = reqwest::Client::new();
    let run = domain::call_data::ingest::ingest_once(&domain::call_data::ingest::Feed {
        pool: &app.pool,
        http: &http,
        url: &url,
        time_zone: "Europe/London",
        page: 100,
        key: &settings.erasure_key,
        rules: &settings.phone,
    })
    .await;
    assert!(run.unwrap_err().contains("cannot be reached"));
    let reasons: Vec<String> = problems(&pool).await.into_iter().map(|p| p.0).collect();
    assert_eq!(reasons, ["feed_unreachable"]);
}
