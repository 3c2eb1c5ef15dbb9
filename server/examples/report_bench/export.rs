//! Exports of about 1,000,000 Call Attempt rows: the product's CSV and XLSX paths (the export
//! route's own `report_export::csv::produce` and `report_export::workbook::build`, bodies read to
//! the end and thrown away) against Postgres `COPY (select … the same rows …) TO STDOUT CSV` read
//! through sqlx's `copy_out_raw`. Each path runs in a child process of its own (this example run
//! again with `export <path> <from> <to>`), so the peak resident memory its `/proc/self/status`
//! reports (`VmHWM`) is that path's alone.

use std::process::Command;
use std::time::Instant;

use domain::access::Ctx;
use domain::report::{Order, Report};
use domain::reports::call_attempts::CallAttempts;
use futures::StreamExt;
use server::edge::report_export::{csv, workbook};
use types::model::CallAttemptFilters;
use types::report::UrlQuery;

use super::{memory, Range, TZ};

/// Rows exported (the days that hold about this many attempts).
pub const ROWS: i64 = 1_000_000;

/// The rows of the Call Attempt export for the days, in its order, with its columns as the
/// database writes them: `$1`/`$2` the range's instants, `$3` the report time zone.
const COPY: &str = "copy (select to_char(a.attempt_at at time zone $3, 'YYYY-MM-DD HH24:MI:SS'), \
    a.organization, a.campaign, a.job_id, a.list_name, a.user_contact_id, \
    coalesce(a.contact->>'ACCOUNT_NO', ''), coalesce(a.address, ''), a.attempt_number, \
    to_char(a.ringback_at at time zone $3, 'YYYY-MM-DD HH24:MI:SS'), \
    to_char(a.connect_at at time zone $3, 'YYYY-MM-DD HH24:MI:SS'), \
    to_char(a.occurred_at at time zone $3, 'YYYY-MM-DD HH24:MI:SS'), \
    extract(epoch from coalesce(a.answered_at, a.occurred_at) - a.ringback_at)::bigint, a.result, \
    a.sys_completion_code, coalesce(a.agent_completion_code, ''), coalesce(a.agent_id, ''), \
    coalesce(a.team, ''), a.talk_seconds, a.wrap_up_seconds, a.nuisance \
    from call_attempt a where a.attempt_at >= '{low}' and a.attempt_at < '{high}' \
     and a.occurred_at >= '{low}' and a.occurred_at < '{high}'::timestamptz + interval '1 day' \
    order by a.attempt_at desc, a.row_id desc) to stdout with (format csv)";

/// One path's figures.
pub struct Timed {
    pub path: &'static str,
    pub seconds: f64,
    pub rows: u64,
    pub bytes: u64,
    pub peak_mib: f64,
    pub start_mib: f64,
}

/// Runs one path in this process and prints its figures on one line for the parent.
pub async fn child(ctx: &Ctx, path: &str, from: &str, to: &str) {
    let (start_mib, _) = memory();
    let query = format!("from={from}&to={to}");
    let scoped = CallAttempts::scope(ctx, &CallAttemptFilters::from_query_string(&query))
        .await
        .unwrap();
    let pool = ctx.state.pool.clone();
    let started = Instant::now();
    let (mut rows, mut bytes) = (0u64, 0u64);
    match path {
        "copy" => {
            let parse = |d: &str| time::Date::parse(d, super::DAY).unwrap();
            let (low, high) = Range::instants(parse(from), parse(to));
            let sql = COPY
                .replace("$3", &format!("'{TZ}'"))
                .replace("{low}", &super::rfc3339(low))
                .replace("{high}", &super::rfc3339(high));
            let mut connection = pool.acquire().await.unwrap();
            let mut stream = connection.copy_out_raw(&sql).await.unwrap();
            while let Some(chunk) = stream.next().await {
                let chunk = chunk.unwrap();
                bytes += chunk.len() as u64;
                rows += chunk.iter().filter(|b| **b == b'\n').count() as u64;
            }
        }
        "csv" => {
            let (sender, mut receiver) = tokio::sync::mpsc::channel(csv::CHANNEL);
            let slot = csv::slot().unwrap();
            tokio::spawn(csv::produce::<CallAttempts>(
                pool,
                (scoped, Order::Own),
                sender,
                slot,
            ));
            while let Some(chunk) = receiver.recv().await {
                let chunk = chunk.unwrap();
                bytes += chunk.len() as u64;
                rows += chunk.windows(2).filter(|w| w == b"\r\n").count() as u64;
            }
            // The header line.
            rows -= 1;
        }
        _ => {
            let built = workbook::build::<CallAttempts>(&pool, (&scoped, Order::Own))
                .await
                .unwrap();
            rows = built.rows() as u64;
            let mut body = built.into_body().into_data_stream();
            while let Some(chunk) = body.next().await {
                bytes += chunk.unwrap().len() as u64;
            }
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    let (_, peak_mib) = memory();
    println!("RESULT {seconds} {rows} {bytes} {peak_mib} {start_mib}");
}

/// Runs `path` in a child process and reads its figures.
fn in_child(path: &'static str, from: &str, to: &str) -> Timed {
    let output = Command::new(std::env::current_exe().unwrap())
        .args(["export", path, from, to])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let Some(line) = stdout.lines().find_map(|l| l.strip_prefix("RESULT ")) else {
        panic!(
            "the {path} export failed: {stdout}{}",
            String::from_utf8_lossy(&output.stderr)
        );
    };
    let figures: Vec<f64> = line.split(' ').map(|f| f.parse().unwrap()).collect();
    Timed {
        path,
        seconds: figures[0],
        rows: figures[1] as u64,
        bytes: figures[2] as u64,
        peak_mib: figures[3],
        start_mib: figures[4],
    }
}

/// The last days of `range` holding about [`ROWS`] attempts, each path on them in turn.
pub fn run(range: &Range, per_day: i64) -> Vec<Timed> {
    let days = ((ROWS + per_day - 1) / per_day.max(1)).clamp(1, range.days());
    let from = (range.to - time::Duration::days(days - 1)).to_string();
    let to = range.to.to_string();
    let mut out = Vec::new();
    for path in ["copy", "csv", "xlsx"] {
        let timed = in_child(path, &from, &to);
        println!(
            "  {path}: {} rows, {:.1} MiB in {:.2} s ({:.0} rows/s); peak resident memory {:.0} MiB \
             (at start {:.0} MiB)",
            timed.rows,
            timed.bytes as f64 / 1_048_576.0,
            timed.seconds,
            timed.rows as f64 / timed.seconds,
            timed.peak_mib,
            timed.start_mib
        );
        out.push(timed);
    }
    out
}
