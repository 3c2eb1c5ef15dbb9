//! Benchmark of the call-data reports (issue 17): a generated store of `OCM_BENCH_ATTEMPTS`
//! (default 10,000,000) attempts and their agent intervals over the 90 days up to today; each
//! summary report's first page against a plain `GROUP BY` of the raw rows ([`summaries`]);
//! each detail report's first page per filter, plans and p50/p95 ([`details`]); exports of
//! 1,000,000 Call Attempt rows as CSV and XLSX against `COPY` ([`export`]). A store already
//! holding attempts is reused (delete the database to generate again), measured up to
//! `OCM_BENCH_TODAY` (YYYY-MM-DD; default today) when it was generated on an earlier day.
//! Needs DATABASE_URL.
//! Run with `make bench`.

#[path = "shared/memory.rs"]
mod memory;

#[path = "report_bench/details.rs"]
mod details;
#[path = "report_bench/export.rs"]
mod export;
#[path = "report_bench/store.rs"]
mod store;
#[path = "report_bench/summaries.rs"]
mod summaries;

use memory::memory;

use std::collections::HashMap;

use domain::access::Ctx;
use domain::request_meta::RequestMeta;
use sqlx::PgPool;
use time::Date;
use types::model::{CurrentUser, Role, SessionTiming};

/// The report time zone (the product's default).
pub const TZ: &str = "Europe/London";
/// Days of the store.
const DAYS: i64 = 90;
pub const DAY: &[time::format_description::FormatItem<'static>] =
    time::macros::format_description!("[year]-[month]-[day]");

fn attempts() -> i64 {
    std::env::var("OCM_BENCH_ATTEMPTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000_000)
}

/// Report days, both inclusive.
pub struct Range {
    pub from: Date,
    pub to: Date,
}

impl Range {
    pub fn days(&self) -> i64 {
        (self.to - self.from).whole_days() + 1
    }

    /// The instants from `from`'s midnight to the midnight after `to` in the report zone.
    pub fn instants(from: Date, to: Date) -> (time::OffsetDateTime, time::OffsetDateTime) {
        let days = domain::reports::ReportDays {
            from: Some(from),
            to: Some(to),
        };
        let (low, high) = days.instants(TZ);
        (low.unwrap(), high.unwrap())
    }
}

pub fn rfc3339(at: time::OffsetDateTime) -> String {
    at.format(&time::format_description::well_known::Rfc3339)
        .unwrap()
}

pub fn median(values: &mut [f64]) -> f64 {
    percentile(values, 50.0)
}

/// The nearest-rank percentile.
pub fn percentile(values: &mut [f64], p: f64) -> f64 {
    values.sort_by(f64::total_cmp);
    let rank = ((p / 100.0) * values.len() as f64).ceil() as usize;
    values[rank.clamp(1, values.len()) - 1]
}

/// The product's state on DATABASE_URL, and an admin reading every organization (the widest
/// default a report page has).
async fn context() -> Ctx {
    let env: HashMap<&str, String> = HashMap::from([
        (
            "DATABASE_URL",
            std::env::var("DATABASE_URL").expect("DATABASE_URL"),
        ),
        ("OCM_REPORT_TIME_ZONE", TZ.to_string()),
    ]);
    let config = server::config::Config::from_lookup(&|var| env.get(var).cloned()).unwrap();
    let pool = server::startup::connect(&config).await.unwrap();
    server::startup::migrate(&pool).await.unwrap();
    let state = server::startup::build_state(&config, pool, None).unwrap();
    Ctx {
        state,
        user: CurrentUser {
            user_id: 0,
            username: "bench.admin".into(),
            display_name: "Bench".into(),
            role: Role::Admin,
            team: String::new(),
            organization_id: 0,
            organization: "Sales".into(),
            must_change_password: false,
            must_enrol_two_factor: false,
            api_client: None,
        },
        timing: SessionTiming {
            idle_timeout_secs: 900,
            warning_secs: 60,
            remaining_secs: 900,
        },
        meta: RequestMeta::background("bench"),
    }
}

async fn stored(pool: &PgPool) -> i64 {
    sqlx::query_scalar("select count(*) from call_attempt")
        .fetch_one(pool)
        .await
        .unwrap()
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let [_, mode, path, from, to] = args.as_slice() {
        if mode == "export" {
            export::child(&context().await, path, from, to).await;
            return;
        }
    }
    let plans = details::Plans::default();
    let writer = plans.clone();
    tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_env_filter(tracing_subscriber::EnvFilter::new(
            "sqlx::postgres::notice=info",
        ))
        .without_time()
        .with_level(false)
        .with_target(false)
        .with_ansi(false)
        .init();
    let ctx = context().await;
    let pool = ctx.state.pool.clone();
    // A store generated on an earlier day is measured up to its own last day.
    let to = std::env::var("OCM_BENCH_TODAY")
        .ok()
        .map(|day| Date::parse(&day, DAY).expect("OCM_BENCH_TODAY: YYYY-MM-DD"))
        .unwrap_or_else(|| domain::reports::today(TZ));
    let range = Range {
        from: to - time::Duration::days(DAYS - 1),
        to,
    };
    let wanted = attempts();
    println!(
        "report bench: {wanted} attempts over {} to {} ({TZ})",
        range.from, range.to
    );
    if stored(&pool).await == 0 {
        store::generate(&pool, &range, wanted).await;
    } else {
        println!("  reusing the stored attempts");
    }
    let count = stored(&pool).await;
    let intervals: i64 = sqlx::query_scalar("select count(*) from agent_interval")
        .fetch_one(&pool)
        .await
        .unwrap();
    println!("  store: {count} attempts, {intervals} agent intervals");
    println!("summary reports (first page over {DAYS} days vs GROUP BY of raw rows):");
    let summaries = summaries::run(&ctx, &range).await;
    println!("detail reports (first page, default days):");
    let details = details::run(&ctx, &plans, &range).await;
    println!("exports:");
    let exports = export::run(&range, count / DAYS);

    println!("\n| Summary report | First page (median) | GROUP BY (median) | Ratio | ≥ 50× |");
    for s in &summaries {
        println!(
            "| {} | {:.1} ms | {:.0} ms ({} groups) | {:.0}× | {} |",
            s.name,
            s.product * 1000.0,
            s.raw * 1000.0,
            s.groups,
            s.raw / s.product,
            if s.raw / s.product >= 50.0 {
                "reached"
            } else {
                "not reached"
            }
        );
    }
    println!("\n| Detail report | Filter | Rows | p50 | p95 | Indexes | Seq scans |");
    for d in &details {
        println!(
            "| {} | `{}` | {} | {:.1} ms | {:.1} ms | {} | {} |",
            d.report,
            d.filter,
            d.rows,
            d.p50 * 1000.0,
            d.p95 * 1000.0,
            d.indexes.join(", "),
            if d.seq_scans.is_empty() {
                "none".to_string()
            } else {
                d.seq_scans.join(", ")
            }
        );
    }
    let copy = exports[0].seconds;
    println!("\n| Export | Rows | Size | Time | Speed ÷ COPY | Peak RSS |");
    for e in &exports {
        println!(
            "| {} | {} | {:.0} MiB | {:.2} s | {:.2}× | {:.0} MiB |",
            e.path,
            e.rows,
            e.bytes as f64 / 1_048_576.0,
            e.seconds,
            copy / e.seconds,
            e.peak_mib
        );
    }
}
