//! Benchmark: the floor's facts (`domain::floor::facts::gather`), today's figures and charts
//! (`domain::floor::today`) and agents now (`domain::floor::agents`), what every working-out of
//! the dashboard's figures reads, for one organization with 1,000,000 attempts in the last 24
//! hours over four open jobs, with their agents' intervals, sessions and states, 20,000
//! contacts passed over and the summaries ingestion keeps; timed in the same run against one
//! plain count of the day's attempts (the least any reading of them costs).
//! The target: well under the figures' refresh interval (`domain::floor::EVERY`). Run with
//! `make bench` (needs DATABASE_URL: an empty database; migrations are applied).

use std::sync::Arc;
use std::time::{Duration, Instant};

use domain::callbacks::counts::counts_at;
use domain::callbacks::Standing;
use domain::floor::facts::{gather, Reading};
use domain::floor::progress::ProgressCache;
use domain::floor::reasons::JobFacts;
use domain::floor::today::{today, Day};
use sqlx::PgPool;

/// Attempts generated (`FLOOR_BENCH_ATTEMPTS` for a quick check; the figures use 1,000,000).
fn attempts() -> i64 {
    std::env::var("FLOOR_BENCH_ATTEMPTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000)
}
const JOBS: i64 = 4;
/// The report time zone of the summaries.
const ZONE: &str = "Europe/London";
const RUNS: usize = 7;

/// The last 24 hours' attempts in Sales over the four jobs (a quarter each, 400,000 contacts; 40 % human
/// answers), a ready/talking interval per connected call, 60 agents logged in, 20,000 contacts
/// passed over (half outside their window), their agents' newest states, and the jobs' summaries
/// as ingestion keeps them.
const GENERATE: &str = r#"
insert into call_attempt (occurred_at, session_id, organization, job_id, campaign, campaign_type,
    list_name, user_contact_id, address, phone_attribute, zone, attempt_number, attempt_at,
    answered_at, connect_at, result, completion_code, sys_completion_code, agent_id, team,
    talk_seconds, wrap_up_seconds, nuisance, feed_cursor)
select at + interval '40 seconds', 'S' || k, 'Sales', 1 + k % 4, 'Sales_C' || k % 4, 'predictive',
       'Sales_C' || k % 4 || '_List', 'C' || k % 400000, '+4477' || lpad((k % 400000)::text, 8, '0'),
       'phoneNumber1', 'London', 1 + k / 400000, at,
       case when k % 10 < 4 then at + interval '5 seconds' end,
       case when k % 10 < 4 then at + interval '6 seconds' end,
       (array['answer_human','answer_human','answer_human','answer_human','no_answer','no_answer',
              'busy','answer_machine','failed','no_answer'])[k % 10 + 1],
       'X', 'X', case when k % 10 < 4 then 'Sal' || lpad((k % 60)::text, 3, '0') end,
       case when k % 10 < 4 then 'Team 1' end, 30, 5, false, k
from (select k, now() - interval '24 hours' + (k * 86000.0 / $1) * interval '1 second' as at
      from generate_series(0, $1 - 1) k) g;

insert into agent_interval (occurred_at, organization, agent_id, start_at, team, state, seconds,
    job_id, campaign, campaign_type, feed_cursor)
select a.occurred_at, 'Sales', a.agent_id, a.connect_at, 'Team 1', 'talking', 34, a.job_id,
       a.campaign, 'predictive', a.feed_cursor
from call_attempt a where a.agent_id is not null;

insert into agent_session (occurred_at, organization, agent_id, event, team, login_at, feed_cursor)
select now() - interval '24 hours', 'Sales', 'Sal' || lpad(n::text, 3, '0'), 'login', 'Team 1',
       now() - interval '24 hours', n
from generate_series(0, 59) n;

insert into contact_skip (occurred_at, job_id, list_name, user_contact_id, organization, campaign,
    reason, contact, feed_cursor)
select now() - interval '24 hours' + n * interval '1 second', 1 + n % 4, 'Sales_C' || n % 4 || '_List',
       'K' || n, 'Sales', 'Sales_C' || n % 4,
       case when n % 2 = 0 then 'outside_window' else 'dnc' end,
       jsonb_build_object('phoneNumber1TimeZone', (array['Europe/London','America/New_York'])[n % 2 + 1]), n
from generate_series(0, 19999) n;

insert into agent_state_now (organization, agent_id, team, state, aux_reason, since, feed_cursor)
select 'Sales', 'Sal' || lpad(n::text, 3, '0'), 'Team ' || n % 4,
       (array['ready','talking','wrap_up','not_ready'])[n % 4 + 1],
       case when n % 4 = 3 then 'Break' end, now() - n * interval '10 seconds', n
from generate_series(0, 59) n;

insert into report_job (organization, job_id, campaign, campaign_type, started_at, list_contacts,
    attempts, connects, nuisance, skipped)
select 'Sales', j, 'Sales_C' || (j - 1), 'predictive', now() - interval '24 hours', 105000,
       (select count(*) from call_attempt where job_id = j), 0, 0, 5000
from generate_series(1, 4) j;

insert into report_job_skip (organization, job_id, reason, contacts)
select 'Sales', j, r, 2500 from generate_series(1, 4) j, unnest(array['outside_window', 'dnc']) r;
"#;

fn median(mut runs: Vec<Duration>) -> Duration {
    runs.sort();
    runs[runs.len() / 2]
}

async fn time_gather(pool: &PgPool, progress: &Arc<ProgressCache>) -> Duration {
    let mut jobs: Vec<JobFacts> = (1..=JOBS)
        .map(|id| JobFacts {
            campaign: format!("Sales_C{}", id - 1),
            job_id: id,
            state: "JOB_ACTIVE".into(),
            ..JobFacts::default()
        })
        .collect();
    let reading = Reading {
        pool,
        organization: "Sales",
        now: time::OffsetDateTime::now_utc(),
        window: Default::default(),
        default_zone: "Europe/London",
        progress,
    };
    let started = Instant::now();
    gather(&reading, &mut jobs).await.unwrap();
    let took = started.elapsed();
    assert!(
        jobs.iter().all(|j| j.contacts_tried > 0),
        "the facts were read"
    );
    took
}

/// Today's figures and charts (`domain::floor::today`), read from the summaries, and agents now
/// (`domain::floor::agents`).
async fn time_today(pool: &PgPool) -> Duration {
    let started = Instant::now();
    let now = time::OffsetDateTime::now_utc();
    let standing = Standing {
        organization: Some("Sales".into()),
        zone: ZONE.into(),
        now,
    };
    let callbacks = counts_at(pool, &standing).await.unwrap();
    let figures = today(&Day {
        pool,
        organization: "Sales",
        now,
        zone: ZONE,
        amd_false_positive_percent: 0.0,
        callbacks: &callbacks,
    })
    .await
    .unwrap();
    let agents = domain::floor::agents::now(pool, "Sales", time::OffsetDateTime::now_utc())
        .await
        .unwrap();
    let took = started.elapsed();
    assert!(figures.attempts > 0, "today's figures were read");
    assert!(!agents.is_empty(), "agents now were read");
    took
}

#[tokio::main]
async fn main() {
    let url = std::env::var("DATABASE_URL").expect("DATABASE_URL (make bench sets it)");
    let pool = PgPool::connect(&url).await.unwrap();
    server::startup::migrate(&pool).await.unwrap();
    let n = attempts();
    println!("floor bench: generating {n} attempts over the last 24 hours in Sales, {JOBS} jobs…");
    let started = Instant::now();
    let mut tx = pool.begin().await.unwrap();
    for statement in GENERATE.split(";\n").filter(|s| !s.trim().is_empty()) {
        let query = sqlx::query(statement);
        let query = if statement.contains("$1") {
            query.bind(n)
        } else {
            query
        };
        query.execute(&mut *tx).await.unwrap();
    }
    tx.commit().await.unwrap();
    // The summaries, as ingestion keeps them, for the days the attempts fall on.
    let today = domain::reports::today(ZONE);
    domain::call_data::rebuild::rebuild(&pool, ZONE, today - time::Duration::days(1), today)
        .await
        .unwrap();
    sqlx::query("vacuum analyze").execute(&pool).await.unwrap();
    println!("  generated in {:.1} s", started.elapsed().as_secs_f64());
    let (mut baseline, mut cold, mut warm) = (Vec::new(), Vec::new(), Vec::new());
    let mut day = Vec::new();
    for _ in 0..RUNS {
        let started = Instant::now();
        let _: i64 = sqlx::query_scalar(
            "select count(*) from call_attempt where organization = 'Sales' and attempt_at >= now() - interval '24 hours'",
        )
        .fetch_one(&pool)
        .await
        .unwrap();
        baseline.push(started.elapsed());
        // Cold: jobs' progress read from the raw attempts too (the first working-out, then
        // every 30 s); warm: the working-out of every other second.
        let progress = Arc::new(ProgressCache::default());
        cold.push(time_gather(&pool, &progress).await);
        warm.push(time_gather(&pool, &progress).await);
        day.push(time_today(&pool).await);
    }
    let ms = |runs: Vec<Duration>| median(runs).as_secs_f64() * 1000.0;
    println!(
        "floor facts for {n} attempts (medians of {RUNS}): with progress {:.0} ms, without (kept 30 s) {:.0} ms; today's figures, charts and agents now {:.0} ms; plain count of the day's attempts {:.0} ms; refresh interval {} ms",
        ms(cold),
        ms(warm),
        ms(day),
        ms(baseline),
        domain::floor::EVERY.as_millis()
    );
}
