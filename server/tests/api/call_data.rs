//! Call data on real Postgres and the simulator: a simulated day read from the feed by the real
//! `ocm` binary, which is killed mid-page and run again; every summary then equals the figures
//! `call_data_expected.rs` computes from the raw feed; replaying the feed adds nothing; a rebuild
//! gives the same tables byte for byte.

use std::process::Command;

use domain::call_data::ingest::{ingest_once, Feed, Run};
use pom_sim::{Sim, SimSettings};
use serde_json::{json, Value};
use sqlx::PgPool;

use super::call_data_expected::{check_summaries, TZ};
use super::helpers::{spawn_app_with, TestApp};

/// One ingestion run against `feed` with the app's settings.
pub async fn ingest(app: &TestApp, feed: &str) -> Run {
    let http = reqwest::Client::new();
    let settings = &app.state.settings;
    ingest_once(&Feed {
        pool: &app.pool,
        http: &http,
        url: feed,
        time_zone: TZ,
        page: 1_000,
        key: &settings.erasure_key,
        rules: &settings.phone,
    })
    .await
    .unwrap()
}

/// A demo simulator that has been dialling for `hours`; returns its feed's address.
pub async fn dialled_simulator(hours: u32) -> (std::sync::Arc<Sim>, String) {
    let sim = Sim::new(SimSettings {
        demo: true,
        demo_history_hours: hours,
        ..SimSettings::default()
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let (address, _) = pom_sim::spawn(listener, sim.clone()).unwrap();
    (sim, format!("http://{address}/__sim/feed"))
}

/// Stops every job (so agents log out), lets an hour pass, then nearly stops the clock: the feed
/// hardly grows while a test reads it.
pub async fn settle(sim: &Sim, feed: &str) {
    sim.with_world(|world, now| {
        let caller = pom_sim::rules::Caller {
            user: "pomadmin".into(),
            organization: None,
        };
        let active: Vec<i64> = world
            .jobs
            .values()
            .filter(|j| j.state == "JOB_ACTIVE")
            .map(|j| j.id)
            .collect();
        for job in active {
            world.job_action(&caller, job, "stop", now).unwrap();
        }
    });
    let control = pom_sim::guard::control_client(sim);
    let clock = feed.replace("/feed", "/clock");
    for change in [json!({ "advance_ms": 3_600_000 }), json!({ "speed": 0.01 })] {
        control.post(&clock).json(&change).send().await.unwrap();
    }
}

/// Every record of the feed, read here on its own.
pub async fn whole_feed(feed: &str) -> Vec<Value> {
    let (mut records, mut after) = (Vec::new(), 0);
    loop {
        let body = reqwest::get(format!("{feed}?after={after}"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let page: Vec<Value> = body
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        let Some(last) = page.last() else {
            return records;
        };
        after = last["cursor"].as_i64().unwrap();
        records.extend(page);
    }
}

fn database_url(database: &str) -> String {
    let base = std::env::var("DATABASE_URL").expect("DATABASE_URL is set for the tests");
    let base = base.split('?').next().unwrap();
    format!("{}/{database}", &base[..base.rfind('/').unwrap()])
}

/// Runs `ocm reports ingest` against the test database; true when it exited normally.
async fn ingest_with_binary(pool: &PgPool, feed: &str, crash: Option<&str>) -> bool {
    let database: String = sqlx::query_scalar("select current_database()")
        .fetch_one(pool)
        .await
        .unwrap();
    let mut command = Command::new(env!("CARGO_BIN_EXE_ocm"));
    command
        .args(["reports", "ingest"])
        .current_dir(env!("CARGO_TARGET_TMPDIR"))
        .env("DATABASE_URL", database_url(&database))
        .env("OCM_POM_FEED_URL", feed)
        .env("OCM_CALL_DATA_PAGE", "1000")
        .env("OCM_REPORT_TIME_ZONE", TZ)
        .env("OCM_ERASURE_KEY", "5e".repeat(32));
    if let Some(crash) = crash {
        command.env("OCM_CALL_DATA_CRASH", crash);
    }
    let status = tokio::task::spawn_blocking(move || command.status().unwrap())
        .await
        .unwrap();
    status.success()
}

async fn count(pool: &PgPool, table: &str) -> i64 {
    sqlx::query_scalar(&format!("select count(*) from {table}"))
        .fetch_one(pool)
        .await
        .unwrap()
}

/// Every summary table as text, row by row in a fixed order (the agent time lines settled first,
/// as a report read does).
async fn dump(pool: &PgPool) -> Vec<String> {
    domain::reports::stale::settle(pool, TZ).await.unwrap();
    let mut lines = Vec::new();
    for table in [
        "report_campaign_day",
        "report_attempt_quarter",
        "report_nuisance_hour",
        "report_connect_delay_day",
        "report_agent_campaign_day",
        "report_agent_reason_day",
        "report_job_outcome",
        "report_job_code",
        "report_agent_day",
        "report_agent_login_day",
        "report_sales_day",
        "report_inbound_hour",
        "report_job",
        "report_job_skip",
        "report_callback",
        "report_agent_time_day",
        "report_sales_line",
    ] {
        let rows: Vec<String> =
            sqlx::query_scalar(&format!("select t::text from {table} t order by 1"))
                .fetch_all(pool)
                .await
                .unwrap();
        lines.extend(rows.into_iter().map(|r| format!("{table} {r}")));
    }
    lines
}

#[sqlx::test]
async fn a_simulated_day_survives_a_crash_and_every_summary_agrees_with_the_feed(pool: PgPool) {
    let (sim, feed) = dialled_simulator(24).await;
    settle(&sim, &feed).await;
    let app = spawn_app_with(pool.clone(), &[("OCM_REPORT_TIME_ZONE", TZ)]).await;
    let records = whole_feed(&feed).await;
    assert!(records.len() > 20_000, "{} records", records.len());

    assert!(
        !ingest_with_binary(&pool, &feed, Some("mid-page:3")).await,
        "the crash happened"
    );
    let cursor: i64 = sqlx::query_scalar("select cursor_position from call_data_source")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(
        cursor,
        records[1_999]["cursor"].as_i64().unwrap(),
        "two pages were kept"
    );
    // A report read between the two runs settles the lines of the two pages kept; the rest
    // must mark their days stale again, or the lines would differ from a rebuild's below.
    assert!(domain::reports::stale::settle(&pool, TZ).await.unwrap() > 0);
    assert!(ingest_with_binary(&pool, &feed, None).await);
    let cursor: i64 = sqlx::query_scalar("select cursor_position from call_data_source")
        .fetch_one(&pool)
        .await
        .unwrap();
    let records: Vec<Value> = whole_feed(&feed)
        .await
        .into_iter()
        .filter(|r| r["cursor"].as_i64().unwrap() <= cursor)
        .collect();
    check_summaries(&pool, &records).await;
    let attempts = records.iter().filter(|r| r["kind"] == "attempt").count() as i64;
    assert_eq!(count(&pool, "call_attempt").await, attempts);

    let admin = app.signed_in("admin").await;
    let page: Value = app
        .call(&admin, "admin/call-data", &[])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(page["source"]["records"], records.len() as i64, "{page}");
    assert_eq!(page["source"]["cursor"], cursor);
    assert_eq!(page["time_zone"], TZ);
    assert!(
        page["unmapped_agents"]
            .as_array()
            .is_some_and(|a| !a.is_empty()),
        "{page}"
    );

    let before = dump(&pool).await;
    sqlx::query("update call_data_source set cursor_position = 0")
        .execute(&pool)
        .await
        .unwrap();
    let replay = ingest(&app, &feed).await;
    assert_eq!(replay.added, 0, "a replay adds nothing");
    assert_eq!(dump(&pool).await, before);

    let days: (time::Date, time::Date) =
        sqlx::query_as("select min(report_day), max(report_day) from report_agent_day")
            .fetch_one(&pool)
            .await
            .unwrap();
    let rebuilt = domain::call_data::rebuild::rebuild(&pool, TZ, days.0, days.1)
        .await
        .unwrap();
    assert!(rebuilt.jobs >= 5, "{rebuilt:?}");
    assert_eq!(
        dump(&pool).await,
        before,
        "a rebuild gives the same summaries"
    );

    // A year on, with a month of retention: the raw rows' partitions are dropped whole, the
    // summaries stay, and partitions wait for the coming months.
    let later = time::OffsetDateTime::now_utc().date() + time::Duration::days(400);
    // A record older than every partition sits in the default partition until retention.
    sqlx::query(
        "insert into call_attempt select '2020-01-01T00:00:00Z', 'OLD-1', organization, job_id,
             campaign, campaign_type, list_name, user_contact_id, address, phone_attribute, zone,
             attempt_number, attempt_at, ringback_at, answered_at, connect_at, result,
             completion_code, sys_completion_code, agent_completion_code, agent_id, team,
             talk_seconds, wrap_up_seconds, nuisance, nuisance_reason, aux_reason, callback_id,
             contact, feed_cursor from call_attempt limit 1",
    )
    .execute(&pool)
    .await
    .unwrap();
    let upkeep = domain::call_data::upkeep::run(&pool, later, 1)
        .await
        .unwrap();
    assert!(
        upkeep
            .dropped
            .iter()
            .any(|p| p.starts_with("call_attempt_")),
        "{upkeep:?}"
    );
    assert!(upkeep.blocked.is_empty());
    assert_eq!(upkeep.default_rows_deleted, 1, "{upkeep:?}");
    assert_eq!(count(&pool, "call_attempt").await, 0);
    assert_eq!(count(&pool, "contact_skip").await, 0);
    assert_eq!(dump(&pool).await, before, "summaries outlive the raw rows");
    let ahead = format!(
        "call_attempt_{}",
        (later + time::Duration::days(62))
            .format(time::macros::format_description!("[year]_[month]"))
            .unwrap()
    );
    let exists: bool = sqlx::query_scalar("select to_regclass($1) is not null")
        .bind(&ahead)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert!(exists, "{ahead} made ahead");
}

/// The folder input: the simulator's per-kind CSV exports dropped in a folder give the same
/// summaries as the feed; the same rows again add nothing; a broken file does not stop the rest.
#[sqlx::test]
async fn csv_files_in_the_import_folder_give_the_same_summaries(pool: PgPool) {
    let (sim, feed) = dialled_simulator(6).await;
    settle(&sim, &feed).await;
    let app = spawn_app_with(pool.clone(), &[("OCM_REPORT_TIME_ZONE", TZ)]).await;
    let dir = Scratch::new("folder");
    let mut cursors = std::collections::BTreeSet::new();
    for kind in pom_sim::feed::KINDS {
        let csv = reqwest::get(feed.replace("/feed", &format!("/export/{kind}.csv")))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        cursors.extend(
            csv.lines()
                .skip(1)
                .filter_map(|l| l.split(',').next()?.parse::<i64>().ok()),
        );
        std::fs::write(dir.path().join(format!("{kind}-day1.csv")), csv).unwrap();
    }
    std::fs::write(
        dir.path().join("sale-broken.csv"),
        "cursor,sale_id,amount\n1,X,ten\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("attempt-huge.csv"),
        format!("cursor\n{}\n", "9".repeat(300_000)),
    )
    .unwrap();
    // One quoted cell of many short lines: each line is fine, the row is not.
    let lines = vec!["x".repeat(1_000); 2_000].join("\n");
    std::fs::write(
        dir.path().join("attempt-quoted.csv"),
        format!("cursor,session_id\n1,\"{lines}\"\n"),
    )
    .unwrap();
    let records: Vec<Value> = whole_feed(&feed)
        .await
        .into_iter()
        .filter(|r| cursors.contains(&r["cursor"].as_i64().unwrap()))
        .collect();
    let folder = |dir| domain::call_data::folder::Folder {
        pool: &app.pool,
        dir,
        time_zone: TZ,
        page: 1_000,
        key: &app.state.settings.erasure_key,
        rules: &app.state.settings.phone,
    };
    let run = domain::call_data::folder::ingest_folder(&folder(dir.path()))
        .await
        .unwrap();
    assert_eq!(run.added, records.len() as i64, "{run:?}");
    check_summaries(&pool, &records).await;
    let problems: Vec<String> =
        sqlx::query_scalar("select reason from call_data_problem order by 1")
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(
        problems,
        ["file_unreadable", "record_breaks_contract"],
        "the broken files are named"
    );
    let unreadable: i64 = sqlx::query_scalar(
        "select occurrences from call_data_problem where reason = 'file_unreadable'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(unreadable, 2, "the over-long line and the over-long row");

    let before = dump(&pool).await;
    let done = dir.path().join("done");
    assert!(
        done.join("attempt-day1.csv").exists(),
        "read files are moved to done/"
    );
    let again = Scratch::new("again");
    for kind in ["attempt", "agent_interval", "sale"] {
        std::fs::copy(
            done.join(format!("{kind}-day1.csv")),
            again.path().join(format!("{kind}-copy.csv")),
        )
        .unwrap();
    }
    let replay = domain::call_data::folder::ingest_folder(&folder(again.path()))
        .await
        .unwrap();
    assert_eq!(
        replay.added, 0,
        "the same rows under other names add nothing"
    );
    assert_eq!(dump(&pool).await, before);
}

/// A folder of its own under the system's temporary folder, removed at the end.
struct Scratch(std::path::PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos();
        let path = std::env::temp_dir().join(format!(
            "ocm-call-data-{name}-{}-{nanos}",
            std::process::id()
        ));
        std::fs::create_dir_all(&path).unwrap();
        Scratch(path)
    }

    fn path(&self) -> &std::path::Path {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
