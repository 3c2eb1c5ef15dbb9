//! Benchmark: how soon the demo's 10,000-contact predictive job is in the summary tables after
//! it ends. The simulator runs the job with its clock sped up (×2000, 40 agents) while OCM's
//! ingestion reads the feed every `OCM_CALL_DATA_EVERY_MS` (5 s, the default), as `ocm serve`
//! does; the time from the simulator marking the job completed to `report_job` holding its end
//! (and all its attempts) is measured in wall-clock time. Needs DATABASE_URL (an empty database).
//! Run with `make bench`.

use std::sync::Arc;
use std::time::{Duration, Instant};

use domain::call_data::ingest::{ingest_once, Feed};
use pom_sim::{Sim, SimSettings};
use sqlx::PgPool;

const EVERY: Duration = Duration::from_secs(5);

#[tokio::main]
async fn main() {
    let pool = PgPool::connect(&std::env::var("DATABASE_URL").expect("DATABASE_URL"))
        .await
        .unwrap();
    sqlx::migrate!("../migrations").run(&pool).await.unwrap();
    let sim = Sim::new(SimSettings {
        demo: true,
        ..SimSettings::default()
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let (address, _) = pom_sim::spawn(listener, sim.clone()).unwrap();
    let url = format!("http://{address}/__sim/feed");
    let job = sim.with_world(|world, now| {
        world.dialer.config.agents_per_org = 40;
        let campaign = world
            .campaign_by_name("Sales_Spring_Promo_Predictive")
            .unwrap()
            .id;
        let caller = pom_sim::rules::Caller {
            user: "pomadmin".into(),
            organization: None,
        };
        world.start_job(&caller, campaign, now).unwrap()
    });
    pom_sim::guard::control_client(&sim)
        .post(format!("http://{address}/__sim/clock"))
        .json(&serde_json::json!({ "speed": 2000 }))
        .send()
        .await
        .unwrap();
    let reader = {
        let (pool, url) = (pool.clone(), url.clone());
        tokio::spawn(async move {
            let key = Arc::new(domain::erasure::tombstone::ErasureKey::new([7; 32]));
            let rules = domain::phone::PhoneRules::demo();
            let http = reqwest::Client::new();
            let mut ticker = tokio::time::interval(EVERY);
            loop {
                ticker.tick().await;
                let feed = Feed {
                    pool: &pool,
                    http: &http,
                    url: &url,
                    time_zone: "Europe/London",
                    page: 5_000,
                    key: &key,
                    rules: &rules,
                };
                ingest_once(&feed).await.unwrap();
            }
        })
    };
    let started = Instant::now();
    while sim.with_world(|w, _| w.jobs[&job].state.clone()) != "JOB_COMPLETED" {
        assert!(
            started.elapsed() < Duration::from_secs(600),
            "the job did not end"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let ended = Instant::now();
    let attempts = sim.with_world(|w, _| w.dialer.runs[&job].stats.attempts) as i64;
    loop {
        let stored: Option<(bool, i64)> = sqlx::query_as(
            "select finished_at is not null, attempts from report_job where job_id = $1",
        )
        .bind(job)
        .fetch_optional(&pool)
        .await
        .unwrap();
        if stored == Some((true, attempts)) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    reader.abort();
    println!(
        "10,000-contact predictive job ({attempts} attempts, {:.0} s of wall time at ×2000): in the \
         summaries {:.1} s after it ended (feed read every {} s)",
        ended.duration_since(started).as_secs_f64(),
        ended.elapsed().as_secs_f64(),
        EVERY.as_secs()
    );
}
