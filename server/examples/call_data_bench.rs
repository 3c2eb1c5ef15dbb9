//! Benchmark: call-data ingestion (`domain::call_data::ingest`) of 1,000,000 attempts with their
//! agent intervals (about 2.2 million feed records) served as the feed's JSON lines by a local
//! HTTP server, timed in the same run against a plain Postgres `COPY` of the same rows into
//! unindexed tables; then the same feed replayed (must add 0 rows); resident memory before and
//! at its peak. Needs DATABASE_URL (an empty database; migrations are applied). Run with
//! `make bench`.

#[path = "shared/memory.rs"]
mod memory;

use std::sync::Arc;
use std::time::Instant;

use axum::extract::Query;
use axum::response::IntoResponse;
use domain::call_data::ingest::{ingest_once, Feed};
use serde::Deserialize;
use sqlx::PgPool;

/// Attempts fed (`CALL_DATA_BENCH_ATTEMPTS` for a quick check; the figures use 1,000,000).
fn attempts() -> u64 {
    std::env::var("CALL_DATA_BENCH_ATTEMPTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000)
}
const START_MS: i64 = 1_795_435_200_000;
const PAGE: u32 = 10_000;

fn iso(ms: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .unwrap()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap()
}

/// The records of attempt `n` (0-based): the attempt, and for the 40 % answered by a person the
/// agent's ready, talking and wrap-up intervals. Deterministic.
fn records(n: u64) -> Vec<serde_json::Value> {
    let at = START_MS + (n as i64) * 90;
    let answered = n % 5 < 2;
    let agent = format!("SAL{:03}", n % 200);
    let session = format!("J1-{n:08}");
    let end = at + if answered { 95_000 } else { 25_000 };
    let mut out = vec![serde_json::json!({
        "kind": "attempt", "session_id": session, "organization": "Sales", "job_id": 1 + n / 100_000,
        "campaign": "Bench", "campaign_type": "predictive", "list": "Bench_List",
        "user_contact_id": format!("{n:08}"), "address": format!("+447700{:06}", n % 1_000_000),
        "phone_attribute": "phoneNumber1", "zone": "London", "attempt_number": 1 + n % 3,
        "attempt_at": iso(at), "ringback_at": iso(at + 1_000),
        "answered_at": if answered { serde_json::json!(iso(at + 5_000)) } else { serde_json::Value::Null },
        "connect_at": if answered { serde_json::json!(iso(at + 5_000)) } else { serde_json::Value::Null },
        "end_at": iso(end),
        "result": if answered { "answer_human" } else { "no_answer" },
        "completion_code": if answered { "NO_SALE" } else { "Ring_No_Answer" },
        "sys_completion_code": if answered { "Answer_Human" } else { "Ring_No_Answer" },
        "agent_completion_code": if answered { serde_json::json!("NO_SALE") } else { serde_json::Value::Null },
        "agent_id": if answered { serde_json::json!(agent) } else { serde_json::Value::Null },
        "team": if answered { serde_json::json!("Team A") } else { serde_json::Value::Null },
        "talk_seconds": if answered { 90 } else { 0 }, "wrap_up_seconds": if answered { 10 } else { 0 },
        "nuisance": false, "nuisance_reason": null, "aux_reason": null, "callback_id": null,
        "contact": {"ACCOUNT_NO": format!("AC{n:08}"), "CAMP_ID": "S01", "firstName": "Ann",
                    "lastName": "Brown", "phoneNumber1": format!("+447700{:06}", n % 1_000_000)},
    })];
    if answered {
        for (state, from, to) in [
            ("ready", at - 20_000, at + 5_000),
            ("talking", at + 5_000, at + 95_000),
            ("wrap_up", at + 95_000, at + 105_000),
        ] {
            out.push(serde_json::json!({
                "kind": "agent_interval", "organization": "Sales", "agent_id": agent,
                "team": "Team A", "state": state, "aux_code": null, "aux_reason": null,
                "start_at": iso(from), "end_at": iso(to), "seconds": (to - from) / 1000,
                "session_id": if state == "ready" { serde_json::Value::Null } else { serde_json::json!(session) },
                "direction": if state == "ready" { serde_json::Value::Null } else { serde_json::json!("outbound") },
                "job_id": 1 + n / 100_000, "campaign": "Bench", "campaign_type": "predictive",
            }));
        }
    }
    out
}

/// Where the generated feed and CSV files are written.
fn dir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join("ocm-call-data-bench");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Writes the feed (JSON lines with cursors) and the same rows as CSV per raw table, before any
/// timing; returns the byte offset of every feed line (and the file's end).
fn generate() -> Vec<u64> {
    use std::io::Write;
    let open =
        |name: &str| std::io::BufWriter::new(std::fs::File::create(dir().join(name)).unwrap());
    let (mut feed, mut attempts_csv, mut intervals_csv) = (
        open("feed.jsonl"),
        open("call_attempt.csv"),
        open("agent_interval.csv"),
    );
    let mut offsets = vec![0u64];
    let mut cursor = 1u64;
    for n in 0..attempts() {
        for mut record in records(n) {
            let csv = csv_row(&record, cursor);
            if record["kind"] == "attempt" {
                attempts_csv.write_all(csv.as_bytes()).unwrap();
            } else {
                intervals_csv.write_all(csv.as_bytes()).unwrap();
            }
            record["cursor"] = cursor.into();
            let line = format!("{record}\n");
            feed.write_all(line.as_bytes()).unwrap();
            offsets.push(offsets.last().unwrap() + line.len() as u64);
            cursor += 1;
        }
    }
    offsets
}

#[derive(Deserialize)]
struct Page {
    after: u64,
    limit: u64,
}

/// Serves the generated feed as the simulator does: JSON lines after a cursor, read from the
/// file by offset.
async fn serve(offsets: Arc<Vec<u64>>) -> String {
    let file = Arc::new(std::fs::File::open(dir().join("feed.jsonl")).unwrap());
    let app = axum::Router::new().route(
        "/feed",
        axum::routing::get(move |Query(page): Query<Page>| {
            let (offsets, file) = (offsets.clone(), file.clone());
            async move {
                use std::os::unix::fs::FileExt;
                let total = offsets.len() as u64 - 1;
                let from = page.after.min(total);
                let to = (page.after + page.limit).min(total);
                let (start, end) = (offsets[from as usize], offsets[to as usize]);
                let mut body = vec![0u8; (end - start) as usize];
                file.read_exact_at(&mut body, start).unwrap();
                let headers = [
                    ("x-feed-version", "2".to_string()),
                    ("x-next-cursor", to.to_string()),
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

/// `COPY` of the same rows (the CSV files) into unindexed tables of the same columns.
async fn copy_baseline(pool: &PgPool) -> f64 {
    for table in ["call_attempt", "agent_interval"] {
        sqlx::query(&format!(
            "create table bench_{table} (like {table} including defaults)"
        ))
        .execute(pool)
        .await
        .unwrap();
    }
    let started = Instant::now();
    let mut connection = pool.acquire().await.unwrap();
    for table in ["call_attempt", "agent_interval"] {
        let mut copy = connection
            .copy_in_raw(&format!("copy bench_{table} from stdin with (format csv)"))
            .await
            .unwrap();
        let file = tokio::fs::File::open(dir().join(format!("{table}.csv")))
            .await
            .unwrap();
        copy.read_from(file).await.unwrap();
        copy.finish().await.unwrap();
    }
    started.elapsed().as_secs_f64()
}

/// A record as a CSV row in its raw table's column order.
fn csv_row(r: &serde_json::Value, cursor: u64) -> String {
    let t = |k: &str| match &r[k] {
        serde_json::Value::Null => String::new(),
        serde_json::Value::String(s) => format!("\"{}\"", s.replace('"', "\"\"")),
        other => format!("\"{}\"", other.to_string().replace('"', "\"\"")),
    };
    let fields: Vec<String> = if r["kind"] == "attempt" {
        [
            "end_at",
            "session_id",
            "organization",
            "job_id",
            "campaign",
            "campaign_type",
            "list",
            "user_contact_id",
            "address",
            "phone_attribute",
            "zone",
            "attempt_number",
            "attempt_at",
            "ringback_at",
            "answered_at",
            "connect_at",
            "result",
            "completion_code",
            "sys_completion_code",
            "agent_completion_code",
            "agent_id",
            "team",
            "talk_seconds",
            "wrap_up_seconds",
            "nuisance",
            "nuisance_reason",
            "aux_reason",
            "callback_id",
            "contact",
        ]
        .iter()
        .map(|k| t(k))
        .collect()
    } else {
        [
            "end_at",
            "organization",
            "agent_id",
            "start_at",
            "team",
            "state",
            "aux_code",
            "aux_reason",
            "seconds",
            "session_id",
            "direction",
            "job_id",
            "campaign",
            "campaign_type",
        ]
        .iter()
        .map(|k| t(k))
        .collect()
    };
    format!("{},{cursor}\n", fields.join(","))
}

#[tokio::main]
async fn main() {
    let pool = PgPool::connect(&std::env::var("DATABASE_URL").expect("DATABASE_URL"))
        .await
        .unwrap();
    sqlx::migrate!("../migrations").run(&pool).await.unwrap();
    let offsets = Arc::new(generate());
    let records_total = offsets.len() as u64 - 1;
    let url = serve(offsets).await;
    println!(
        "call-data ingestion: {} attempts, {records_total} feed records",
        attempts()
    );
    let copy = copy_baseline(&pool).await;
    println!(
        "  COPY into unindexed tables: {copy:.1} s ({:.0} records/s)",
        records_total as f64 / copy
    );
    let key = Arc::new(domain::erasure::tombstone::ErasureKey::new([7; 32]));
    let rules = domain::phone::PhoneRules::demo();
    let http = reqwest::Client::new();
    let feed = Feed {
        pool: &pool,
        http: &http,
        url: &url,
        time_zone: "Europe/London",
        page: PAGE,
        key: &key,
        rules: &rules,
    };
    let started = Instant::now();
    let mut after = 0;
    loop {
        let fetched = domain::call_data::fetch::fetch(&http, &url, after, PAGE)
            .await
            .unwrap();
        let version = fetched.version.unwrap_or(0);
        let page = domain::call_data::parse::parse_page(&fetched.body, fetched.complete, version);
        match page.last_cursor {
            Some(cursor) if cursor > after => after = cursor,
            _ => break,
        }
    }
    println!(
        "  reading and parsing the feed alone (no database): {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let (before, _) = memory::memory();
    let started = Instant::now();
    let run = ingest_once(&feed).await.unwrap();
    let ingest = started.elapsed().as_secs_f64();
    let (_, peak) = memory::memory();
    println!(
        "  ingestion (raw rows, keys, partitions, summaries; pages of {PAGE}): {ingest:.1} s \
         ({:.0} records/s), {} added; {:.2}× COPY's speed",
        records_total as f64 / ingest,
        run.added,
        copy / ingest
    );
    println!("  resident memory: {before:.0} MiB before, {peak:.0} MiB at the peak");
    sqlx::query("update call_data_source set cursor_position = 0")
        .execute(&pool)
        .await
        .unwrap();
    let started = Instant::now();
    let replay = ingest_once(&feed).await.unwrap();
    println!(
        "  replay of the same feed: {:.1} s, {} rows added",
        started.elapsed().as_secs_f64(),
        replay.added
    );
}
