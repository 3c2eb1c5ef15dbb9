//! Summary reports: each one's first page as the server function answers it (`report::answer`:
//! page, total, totals row, chart) over the 90 days, against the same figures computed from the
//! raw rows by a plain `GROUP BY`, alternately in the same run; medians of [`RUNS`].

use std::time::Instant;

use domain::access::Ctx;
use domain::report::{answer, Summarised};
use sqlx::PgPool;
use types::report::{ReportRequest, UrlQuery};

use super::{median, Range, TZ};

/// Runs of each side (alternating, so both meet the same cache and load).
const RUNS: usize = 5;

/// What a summary report's figures come to from raw rows: a `GROUP BY` over the range's
/// attempts (and intervals or sales where the report shows them), `$1`/`$2` the range's
/// instants, `$3` the report time zone.
const NUISANCE_RAW: &str = r#"
select organization, (attempt_at at time zone $3)::date as day, campaign,
       count(*) as live, count(*) filter (where nuisance_reason = 'agent_aux') as aux,
       count(*) filter (where nuisance_reason = 'no_agent') as no_agent
  from call_attempt
 where attempt_at >= $1 and attempt_at < $2 and result = 'answer_human' and answered_at is not null
 group by 1, 2, 3 order by day desc, organization, campaign"#;

const COMPLIANCE_RAW: &str = r#"
select organization, (attempt_at at time zone $3)::date as day, campaign,
       count(*) filter (where result = 'answer_human' and answered_at is not null) as answered,
       count(*) filter (where result = 'answer_human' and answered_at is not null
                          and nuisance_reason is not null) as abandoned,
       count(*) filter (where result = 'answer_machine') as machine,
       count(*) filter (where result = 'answer_human' and connect_at - answered_at < interval '2 seconds') as fast
  from call_attempt
 where attempt_at >= $1 and attempt_at < $2
 group by 1, 2, 3 order by day desc, organization, campaign"#;

/// `$4`: the campaign type.
const AGENT_TIME_RAW: &str = r#"
with i as (
    select organization, (start_at at time zone $3)::date as day, agent_id,
           sum(seconds) filter (where state = 'ready') as ready,
           sum(seconds) filter (where state = 'preview') as preview,
           sum(seconds) filter (where state = 'talking') as talk,
           sum(seconds) filter (where state = 'wrap_up') as wrap,
           sum(seconds) filter (where state = 'not_ready') as not_ready
      from agent_interval
     where start_at >= $1 and start_at < $2 and coalesce(campaign_type, $4) = $4
     group by 1, 2, 3),
c as (
    select organization, (attempt_at at time zone $3)::date as day, agent_id,
           count(*) filter (where connect_at is not null) as calls,
           count(*) filter (where nuisance_reason = 'agent_aux') as nuisance_caused,
           count(*) filter (where result = 'preview_cancelled') as previews_cancelled
      from call_attempt
     where attempt_at >= $1 and attempt_at < $2 and campaign_type = $4 and agent_id is not null
     group by 1, 2, 3)
select * from i left join c using (organization, day, agent_id)
 order by organization, day desc, agent_id"#;

/// `$4`: the campaign type.
const JOB_SUMMARY_RAW: &str = r#"
with a as (
    select organization, job_id, min(campaign) as campaign, count(*) as attempts,
           count(*) filter (where attempt_number = 1) as dialled,
           count(*) filter (where result = 'answer_human') as human,
           count(*) filter (where result = 'answer_machine') as machine,
           count(*) filter (where result = 'busy') as busy,
           count(*) filter (where result = 'no_answer') as no_answer,
           count(*) filter (where connect_at is not null) as connects,
           count(*) filter (where nuisance) as nuisance,
           count(*) filter (where completion_code = 'NSP') as nsp,
           count(*) filter (where completion_code = 'CM_NTC') as ntc,
           sum(talk_seconds) as talk, sum(wrap_up_seconds) as wrap
      from call_attempt
     where attempt_at >= $1 and attempt_at < $2 and campaign_type = $4
     group by 1, 2),
i as (
    select organization, job_id, sum(seconds) as agent_seconds,
           sum(seconds) filter (where state = 'preview') as preview_seconds
      from agent_interval
     where start_at >= $1 and start_at < $2 and campaign_type = $4
     group by 1, 2)
select * from a left join i using (organization, job_id) order by job_id desc"#;

const SALES_RAW: &str = r#"
with a as (
    select organization, (attempt_at at time zone $3)::date as day, agent_id, campaign,
           count(*) as connects
      from call_attempt
     where attempt_at >= $1 and attempt_at < $2 and connect_at is not null
     group by 1, 2, 3, 4),
s as (
    select organization, (occurred_at at time zone $3)::date as day, agent_id, campaign,
           count(*) filter (where category = 'secured') as secured,
           sum(amount_minor) filter (where category = 'secured') as secured_amount,
           count(*) filter (where category = 'unsecured') as unsecured,
           sum(amount_minor) filter (where category = 'unsecured') as unsecured_amount
      from sale
     where occurred_at >= $1 and occurred_at < $2
     group by 1, 2, 3, 4)
select * from a full join s using (organization, day, agent_id, campaign)
 order by day desc, organization, agent_id, campaign"#;

/// One summary report's timings: product first page and raw `GROUP BY`, medians in seconds.
pub struct Timed {
    pub name: &'static str,
    pub product: f64,
    pub raw: f64,
    pub groups: usize,
}

async fn time_answer<R: Summarised>(ctx: &Ctx, query: &str) -> (f64, i64) {
    let request = ReportRequest::<R::Filters>::from_query_string(query);
    let started = Instant::now();
    let answer = answer::<R>(ctx, &request).await.unwrap();
    (
        started.elapsed().as_secs_f64(),
        answer.page.total.unwrap_or(0),
    )
}

async fn time_raw(pool: &PgPool, sql: &str, range: &Range, kind: Option<&str>) -> (f64, usize) {
    let (low, high) = Range::instants(range.from, range.to);
    let mut query = sqlx::query(sql).bind(low).bind(high).bind(TZ);
    if let Some(kind) = kind {
        query = query.bind(kind.to_string());
    }
    let started = Instant::now();
    let rows = query.fetch_all(pool).await.unwrap();
    (started.elapsed().as_secs_f64(), rows.len())
}

/// Times `R`'s first page for `query` against `raw`, alternating.
async fn compare<R: Summarised>(
    ctx: &Ctx,
    name: &'static str,
    query: &str,
    raw: &str,
    kind: Option<&str>,
    range: &Range,
) -> Timed {
    let (mut product, mut baseline) = (Vec::new(), Vec::new());
    let (mut total, mut groups) = (0, 0);
    for _ in 0..RUNS {
        let (seconds, rows) = time_answer::<R>(ctx, query).await;
        product.push(seconds);
        total = rows;
        let (seconds, rows) = time_raw(&ctx.state.pool, raw, range, kind).await;
        baseline.push(seconds);
        groups = rows;
    }
    let timed = Timed {
        name,
        product: median(&mut product),
        raw: median(&mut baseline),
        groups,
    };
    println!(
        "  {name}: first page {:.1} ms ({total} rows in the report), GROUP BY {:.0} ms ({groups} groups): {:.0}×",
        timed.product * 1000.0,
        timed.raw * 1000.0,
        timed.raw / timed.product
    );
    timed
}

/// Every summary report over `range`, with default filters (all organizations: the admin's view).
pub async fn run(ctx: &Ctx, range: &Range) -> Vec<Timed> {
    use domain::reports::{
        agent_time::AgentTime, compliance::Compliance, job_summary::JobSummary, nuisance::Nuisance,
        sales::Sales,
    };
    let days = format!("from={}&to={}", range.from, range.to);
    let mut out = Vec::new();
    out.push(compare::<Nuisance>(ctx, "Outbound Nuisance", &days, NUISANCE_RAW, None, range).await);
    out.push(
        compare::<Compliance>(
            ctx,
            "Compliance day table",
            &days,
            COMPLIANCE_RAW,
            None,
            range,
        )
        .await,
    );
    for kind in ["predictive", "preview"] {
        let query = format!("{days}&type={kind}");
        let name = if kind == "predictive" {
            "Agent Time Summary, predictive"
        } else {
            "Agent Time Summary, preview"
        };
        out.push(compare::<AgentTime>(ctx, name, &query, AGENT_TIME_RAW, Some(kind), range).await);
        let name = if kind == "predictive" {
            "Job Performance Summary"
        } else {
            "Preview Job Summary"
        };
        out.push(
            compare::<JobSummary>(ctx, name, &query, JOB_SUMMARY_RAW, Some(kind), range).await,
        );
    }
    out.push(compare::<Sales>(ctx, "Secured/Unsecured", &days, SALES_RAW, None, range).await);
    out
}
