//! Detail reports: for each filter their pages offer, the plans of the first page's statements
//! (`auto_explain` with `analyze, buffers` on a connection of its own, every statement the server
//! function runs, written to `target/bench/report-explain.txt`) and p50/p95 of the first page
//! as the server function answers it (`report::answer`), over [`REQUESTS`] requests.

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use domain::access::Ctx;
use domain::report::{answer, Summarised};
use sqlx::postgres::PgPoolOptions;
use sqlx::Executor;
use types::report::{ReportRequest, UrlQuery};

use super::{percentile, Range};

/// First-page requests per filter.
const REQUESTS: usize = 100;
/// Requests of the widest page (31 days, every row counted and charted): each takes seconds.
const WIDE_REQUESTS: usize = 10;

/// The notices `auto_explain` sends (its plans), collected by the tracing subscriber.
#[derive(Clone, Default)]
pub struct Plans(pub Arc<Mutex<Vec<u8>>>);

impl Write for Plans {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Plans {
    fn take(&self) -> String {
        String::from_utf8_lossy(&std::mem::take(&mut *self.0.lock().unwrap())).into_owned()
    }
}

/// One filter's figures.
pub struct Timed {
    pub report: &'static str,
    pub filter: String,
    pub p50: f64,
    pub p95: f64,
    pub rows: i64,
    /// Indexes the page statement read, and tables it read whole (sequential scans).
    pub indexes: Vec<String>,
    pub seq_scans: Vec<String>,
}

/// The names after `marker` on every plan line that has it.
fn names_after(plan: &str, marker: &str) -> Vec<String> {
    let mut names: Vec<String> = plan
        .lines()
        .filter_map(|line| line.split_once(marker))
        .filter_map(|(_, rest)| rest.split_whitespace().next())
        .map(str::to_string)
        .collect();
    names.sort();
    names.dedup();
    names
}

/// The page statement's plan (the kit's `ocm_total` query) among everything logged.
fn page_plan(plans: &str) -> &str {
    plans
        .split("duration: ")
        .find(|plan| plan.contains("ocm_total"))
        .unwrap_or("")
}

async fn measure<R: Summarised>(
    ctx: &Ctx,
    explain: &Ctx,
    plans: &Plans,
    file: &mut std::fs::File,
    report: &'static str,
    (query, days): (String, &str),
) -> Timed {
    let request = ReportRequest::<R::Filters>::from_query_string(&match days {
        "" => query.clone(),
        days => format!("{query}&{days}"),
    });
    plans.take();
    answer::<R>(explain, &request).await.unwrap();
    let logged = plans.take();
    writeln!(file, "\n######## {report} ?{query}\n{logged}").unwrap();
    let plan = page_plan(&logged);
    let mut indexes = names_after(plan, " using ");
    indexes.extend(names_after(plan, "Bitmap Index Scan on "));
    let seq_scans = names_after(plan, "Seq Scan on ");
    let wide = query.contains("from=");
    let mut times = Vec::new();
    let mut rows = 0;
    for _ in 0..if wide { WIDE_REQUESTS } else { REQUESTS } {
        let started = Instant::now();
        let answer = answer::<R>(ctx, &request).await.unwrap();
        times.push(started.elapsed().as_secs_f64());
        rows = answer.page.total.unwrap_or(0);
    }
    let timed = Timed {
        report,
        filter: if query.is_empty() {
            "(none)".into()
        } else {
            query
        },
        p50: percentile(&mut times, 50.0),
        p95: percentile(&mut times, 95.0),
        rows,
        indexes,
        seq_scans,
    };
    println!(
        "  {report} ?{}: p50 {:.1} ms, p95 {:.1} ms ({} rows); indexes {:?}; seq scans {:?}",
        timed.filter,
        timed.p50 * 1000.0,
        timed.p95 * 1000.0,
        timed.rows,
        timed.indexes,
        timed.seq_scans
    );
    timed
}

/// A context whose pool explains every statement (`auto_explain` sends each plan as a notice).
async fn explaining(ctx: &Ctx) -> Ctx {
    let url = std::env::var("DATABASE_URL").unwrap();
    let pool = PgPoolOptions::new()
        .max_connections(1)
        .after_connect(|connection, _| {
            Box::pin(async move {
                connection
                    .execute(
                        "load 'auto_explain'; set auto_explain.log_min_duration = 0; \
                         set auto_explain.log_analyze = on; set auto_explain.log_buffers = on; \
                         set auto_explain.log_level = notice",
                    )
                    .await?;
                Ok(())
            })
        })
        .connect(&url)
        .await
        .unwrap();
    let state = ctx.state.with_pool(pool);
    Ctx {
        state,
        user: ctx.user.clone(),
        timing: ctx.timing,
        meta: ctx.meta.clone(),
    }
}

/// Every detail report's first page with no filter and with each filter its page offers, on
/// the report's default days (Call Attempt and NSP/NTC today, the others the last 7, a job
/// filter the last 31) counted back from the store's last day, plus the widest page allowed.
pub async fn run(ctx: &Ctx, plans: &Plans, range: &Range) -> Vec<Timed> {
    use domain::reports::{
        call_attempts::CallAttempts, code_lists::CodeLists, inbound_abandoned::InboundAbandoned,
        not_attempted::NotAttempted, recalls::Recalls,
    };
    std::fs::create_dir_all("target/bench").unwrap();
    let mut file = std::fs::File::create("target/bench/report-explain.txt").unwrap();
    let explain = explaining(ctx).await;
    // Today's job of the first campaign (one job per campaign and day).
    let job = (range.days() - 1) * 12 + 1;
    let wide = format!(
        "from={}&to={}",
        range.to - time::Duration::days(30),
        range.to
    );
    let today = format!("from={0}&to={0}", range.to);
    let week = format!(
        "from={}&to={}",
        range.to - time::Duration::days(6),
        range.to
    );
    let mut out = Vec::new();
    let f = &mut file;
    for query in [
        String::new(),
        "organization=Sales".into(),
        "campaign=Sales_C0".into(),
        format!("job={job}"),
        "list=C1_List".into(),
        "result=answer_human".into(),
        "code=NSP".into(),
        "agent=Sal007".into(),
        "team=Team%203".into(),
        "search=%2B4477000012".into(),
        "search=AC0000123".into(),
        "organization=Sales&campaign=Sales_C0&result=answer_human&agent=Sal007".into(),
        wide.clone(),
    ] {
        let days = if query == wide {
            ""
        } else if query.starts_with("job=") {
            wide.as_str()
        } else {
            today.as_str()
        };
        out.push(
            measure::<CallAttempts>(ctx, &explain, plans, f, "Call Attempt", (query, days)).await,
        );
    }
    for query in [
        "kind=nsp",
        "kind=ntc",
        "kind=nsp&campaign=Sales_C0",
        "kind=nsp&agent=Sal007",
        "kind=nsp&team=Team%203",
        "kind=nsp&list=C1",
    ] {
        let query = (query.into(), today.as_str());
        out.push(measure::<CodeLists>(ctx, &explain, plans, f, "NSP/NTC", query).await);
    }
    for query in ["", "queue=Queue%201", "min_wait=60"] {
        out.push(
            measure::<InboundAbandoned>(
                ctx,
                &explain,
                plans,
                f,
                "Inbound Abandoned",
                (query.into(), &week),
            )
            .await,
        );
    }
    for query in [
        String::new(),
        "campaign=Sales_C0".into(),
        format!("job={job}"),
        "list=C0".into(),
        "reason=dnc".into(),
    ] {
        let days = if query.starts_with("job=") {
            wide.as_str()
        } else {
            week.as_str()
        };
        out.push(
            measure::<NotAttempted>(ctx, &explain, plans, f, "Not Attempted", (query, days)).await,
        );
    }
    for query in [
        "",
        "agent=Sal007",
        "team=Team%203",
        "campaign=Sales_C0",
        "state=created",
    ] {
        out.push(
            measure::<Recalls>(
                ctx,
                &explain,
                plans,
                f,
                "Agent Owned Recalls",
                (query.into(), &week),
            )
            .await,
        );
    }
    out
}
