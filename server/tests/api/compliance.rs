//! The compliance view's formulas, each worked by hand here with its arithmetic, on summaries
//! written directly: the UK daily rate with the AMD false-positive estimate, the US 30-day
//! periods, the rolling 24 hours; a campaign over 3 % is flagged, one under is not.

use serde_json::{json, Value};
use sqlx::PgPool;

use super::call_data_expected::TZ;
use super::helpers::{spawn_app_with, TestApp};
use super::purge_calls::call_json;

/// One campaign's report day: human answers at `hour`, of which `abandoned` dropped with no
/// agent, and `machine` machine answers.
pub(super) async fn day(
    pool: &PgPool,
    campaign: &str,
    day: &str,
    hour: i16,
    (answered, abandoned, machine): (i64, i64, i64),
) {
    sqlx::query(
        "insert into report_nuisance_hour values ('Sales', $1::date, $2, $3, $4, $5, 0)
         on conflict (organization, report_day, hour, campaign) do update
            set answered = report_nuisance_hour.answered + excluded.answered,
                nuisance_no_agent = report_nuisance_hour.nuisance_no_agent + excluded.nuisance_no_agent",
    )
    .bind(day)
    .bind(hour)
    .bind(campaign)
    .bind(answered)
    .bind(abandoned)
    .execute(pool)
    .await
    .unwrap();
    sqlx::query(
        "insert into report_campaign_day values ('Sales', $1::date, $2, 'predictive',
            0, 0, $3, $4, 0, 0, 0, 0, 0, 0, $5, 0, 0, 0)
         on conflict (organization, report_day, campaign, campaign_type) do update
            set answer_machine = report_campaign_day.answer_machine + excluded.answer_machine",
    )
    .bind(day)
    .bind(campaign)
    .bind(answered)
    .bind(machine)
    .bind(abandoned)
    .execute(pool)
    .await
    .unwrap();
}

async fn rows(app: &TestApp, client: &reqwest::Client, filters: Value) -> Vec<Value> {
    let (status, page) = call_json(
        app,
        client,
        "reports/compliance",
        json!({ "request": { "filters": filters } }),
    )
    .await;
    assert_eq!(status, 200, "{page}");
    page["rows"].as_array().unwrap().clone()
}

fn close(value: &Value, expected: f64) -> bool {
    (value.as_f64().unwrap() - expected).abs() < 0.005
}

#[sqlx::test]
async fn each_formula_worked_by_hand(pool: PgPool) {
    let app = spawn_app_with(
        pool.clone(),
        &[
            ("OCM_REPORT_TIME_ZONE", TZ),
            ("OCM_COMPLIANCE_AMD_FALSE_POSITIVE_PERCENT", "10"),
        ],
    )
    .await;
    // "Breach", 2026-03-02: 100 human answers, 5 dropped, 50 machine answers.
    day(&pool, "Breach", "2026-03-02", 10, (100, 5, 50)).await;
    // "Calm", 2026-03-02: 200 human answers, 4 dropped, no machine answers.
    day(&pool, "Calm", "2026-03-02", 10, (200, 4, 0)).await;
    let manager = app.signed_in("mgr.a").await;
    let found = rows(
        &app,
        &manager,
        json!({ "from": "2026-03-02", "to": "2026-03-02" }),
    )
    .await;
    let row = |campaign: &str| {
        found
            .iter()
            .find(|r| r["campaign"] == campaign)
            .unwrap()
            .clone()
    };

    // UK, Breach: Live = 100 − 5 = 95; AMfp = 50 × 10 % = 5;
    // D′ = 5 − 5 × 5 / (5 + 95) = 5 − 0.25 = 4.75; rate = 4.75 / (4.75 + 95) = 4.7619… → 4.76 %.
    let breach = row("Breach");
    assert_eq!(breach["live"], 95);
    assert!(close(&breach["amd_false_positives"], 5.0), "{breach}");
    assert!(close(&breach["adjusted_abandoned"], 4.75), "{breach}");
    assert!(close(&breach["uk_rate"], 4.76), "{breach}");
    // Plain: 5 / 100 = 5.00 %.
    assert!(close(&breach["plain_rate"], 5.0), "{breach}");
    assert_eq!(breach["breach"], true, "4.76 % is over 3 %");

    // UK, Calm: Live = 196; AMfp = 0, so D′ = D = 4; rate = 4 / (4 + 196) = 2.00 %.
    let calm = row("Calm");
    assert!(close(&calm["adjusted_abandoned"], 4.0), "{calm}");
    assert!(close(&calm["uk_rate"], 2.0), "{calm}");
    assert_eq!(calm["breach"], false);

    // US: Breach's first day is 2026-03-02, so its first period runs to 2026-03-31.
    // 2026-03-03: 300 answers, 3 dropped → the period: (5 + 3) / (100 + 300) = 2.00 %, no breach
    // although its first day was over 3 % by the UK measure.
    // 2026-04-01 starts the second period: 50 answers, 2 dropped → 4.00 %, a breach.
    day(&pool, "Breach", "2026-03-03", 9, (300, 3, 0)).await;
    day(&pool, "Breach", "2026-04-01", 9, (50, 2, 0)).await;
    let (status, figures) = call_json(
        &app,
        &manager,
        "reports/compliance-figures",
        json!({ "filters": { "from": "2026-03-01", "to": "2026-04-01", "campaign": "Breach" } }),
    )
    .await;
    assert_eq!(status, 200, "{figures}");
    let periods = figures["us_periods"].as_array().unwrap();
    assert_eq!(periods.len(), 2, "{figures}");
    assert_eq!(periods[0]["from"], "2026-03-02");
    assert_eq!(
        (
            periods[0]["answered"].clone(),
            periods[0]["abandoned"].clone()
        ),
        (json!(400), json!(8))
    );
    assert!(close(&periods[0]["rate"], 2.0), "{figures}");
    assert_eq!(periods[0]["breach"], false);
    assert_eq!(periods[1]["from"], "2026-04-01");
    assert!(close(&periods[1]["rate"], 4.0), "{figures}");
    assert_eq!(periods[1]["breach"], true);

    // Rolling 24 hours up to the end of 2026-03-03 (London): its hours only, so the 300 answers
    // and 3 drops of that day → 1.00 %; 2026-03-02 lies outside.
    let (_, figures) = call_json(
        &app,
        &manager,
        "reports/compliance-figures",
        json!({ "filters": { "from": "2026-03-01", "to": "2026-03-03", "campaign": "Breach" } }),
    )
    .await;
    let rolling = &figures["rolling_day"][0];
    assert_eq!(rolling["answered"], 300, "{figures}");
    assert!(close(&rolling["rate"], 1.0), "{figures}");
    assert_eq!(rolling["from"], "2026-03-03 00:00");
    assert_eq!(figures["amd_false_positive_percent"], 10.0);
}
