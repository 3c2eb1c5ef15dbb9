//! The compliance view's figures beside its day table: the US (FCC) rate per campaign over each
//! successive 30-day period from the campaign's first day with a live answer, the rolling 24-hour
//! rate per campaign, and how long live answers waited for an agent (histogram). Summaries only.

use sqlx::Row;
use time::{Duration, OffsetDateTime};
use types::report::{Chart, ChartKind, ChartPoint, ChartUnit};

use super::nuisance::scope;
use super::{ReportDays, LIMIT_PERCENT};
use crate::access::Ctx;
use crate::error::AppError;
use crate::model::{AbandonFilters, AbandonPeriod, ComplianceOverview};

/// Days in a US measuring period.
const US_PERIOD_DAYS: i32 = 30;

fn rate(answered: i64, abandoned: i64) -> Option<f64> {
    (answered > 0).then(|| (10_000.0 * abandoned as f64 / answered as f64).round() / 100.0)
}

fn period(row: &sqlx::postgres::PgRow) -> Result<AbandonPeriod, sqlx::Error> {
    let answered: i64 = row.try_get("answered")?;
    let abandoned: i64 = row.try_get("abandoned")?;
    let rate = rate(answered, abandoned);
    Ok(AbandonPeriod {
        organization: row.try_get("organization")?,
        campaign: row.try_get("campaign")?,
        from: row.try_get("period_from")?,
        to: row.try_get("period_to")?,
        answered,
        abandoned,
        rate,
        breach: rate.is_some_and(|r| r > LIMIT_PERCENT),
    })
}

/// The end of the rolling 24 hours: the end of the range's last day, or now when that is earlier.
fn rolling_end(days: &ReportDays, zone: &str) -> OffsetDateTime {
    let now = OffsetDateTime::now_utc();
    days.instants(zone).1.map_or(now, |end| end.min(now))
}

/// The compliance view's periods, rolling rates and connect-delay histogram for the filters.
pub async fn overview(ctx: &Ctx, q: &AbandonFilters) -> Result<ComplianceOverview, AppError> {
    crate::report::access::check::<super::compliance::Compliance>(
        ctx,
        crate::model::AuditAction::ComplianceReport,
    )
    .await?;
    let f = scope(ctx, q).await?;
    let pool = &ctx.state.pool;
    let zone = ctx.state.settings.call_data.time_zone.clone();
    let us_periods = sqlx::query(
        "with daily as (
             select organization, campaign, report_day, sum(answered)::bigint as answered,
                    sum(nuisance_no_agent + nuisance_agent_aux)::bigint as abandoned
               from report_nuisance_hour
              where ($1::text is null or organization = $1) and ($2::text is null or campaign = $2)
              group by 1, 2, 3),
           numbered as (
             select d.*, min(report_day) over (partition by organization, campaign) as first_day
               from daily d)
         select organization, campaign,
                (first_day + (report_day - first_day) / $3 * $3)::text as period_from,
                max(report_day)::text as period_to,
                sum(answered)::bigint as answered, sum(abandoned)::bigint as abandoned
           from numbered
          group by organization, campaign, first_day + (report_day - first_day) / $3 * $3
         having first_day + (report_day - first_day) / $3 * $3 <= $5
            and first_day + (report_day - first_day) / $3 * $3 + $3 - 1 >= $4
          order by organization, campaign, 3",
    )
    .bind(f.organization.clone())
    .bind(f.campaign.clone())
    .bind(US_PERIOD_DAYS)
    .bind(f.days.from)
    .bind(f.days.to)
    .fetch_all(pool)
    .await?
    .iter()
    .map(period)
    .collect::<Result<Vec<_>, _>>()?;

    let end = rolling_end(&f.days, &zone);
    let rolling_day = sqlx::query(
        "select organization, campaign,
                to_char(date_trunc('hour', ($4::timestamptz at time zone $3) + interval '1 hour'
                                           - interval '1 microsecond'), 'YYYY-MM-DD HH24:MI') as period_from,
                to_char($5::timestamptz at time zone $3, 'YYYY-MM-DD HH24:MI') as period_to,
                sum(answered)::bigint as answered,
                sum(nuisance_no_agent + nuisance_agent_aux)::bigint as abandoned
           from report_nuisance_hour
          where ($1::text is null or organization = $1) and ($2::text is null or campaign = $2)
            and report_day between ($4::timestamptz at time zone $3)::date
                               and ($5::timestamptz at time zone $3)::date
            and (report_day + make_interval(hours => hour::int)) at time zone $3 >= $4
            and (report_day + make_interval(hours => hour::int)) at time zone $3 < $5
          group by organization, campaign order by organization, campaign",
    )
    .bind(f.organization.clone())
    .bind(f.campaign.clone())
    .bind(zone.clone())
    .bind(end - Duration::hours(24))
    .bind(end)
    .fetch_all(pool)
    .await?
    .iter()
    .map(period)
    .collect::<Result<Vec<_>, _>>()?;

    let mut buckets = [0_f64; 12];
    let mut sql = sqlx::QueryBuilder::new(
        "select bucket, sum(answers)::bigint as answers from report_connect_delay_day where true",
    );
    super::nuisance::push_filters(&f, &mut sql);
    sql.push(" group by bucket");
    for row in sql.build().fetch_all(pool).await? {
        let bucket: i16 = row.try_get("bucket")?;
        let answers: i64 = row.try_get("answers")?;
        let index = usize::try_from(bucket + 1).unwrap_or(0).min(11);
        buckets[index] += answers as f64;
    }
    let mut points: Vec<ChartPoint> = (0..11)
        .map(|b| ChartPoint {
            label: if b == 10 {
                "5 s or more".to_string()
            } else {
                format!("{:.1}–{:.1} s", b as f64 / 2.0, (b + 1) as f64 / 2.0)
            },
            values: vec![buckets[b + 1]],
        })
        .collect();
    points.push(ChartPoint {
        label: "Dropped".into(),
        values: vec![buckets[0]],
    });
    Ok(ComplianceOverview {
        time_zone: zone,
        amd_false_positive_percent: ctx.state.settings.call_data.amd_false_positive_percent,
        limit_percent: LIMIT_PERCENT,
        us_periods,
        rolling_day,
        connect_delays: Chart {
            title: "Human answers by seconds waited for an agent (dropped: never reached one)"
                .into(),
            kind: ChartKind::Bars,
            unit: ChartUnit::Count,
            series: vec!["Human answers".into()],
            points,
            limit: None,
        },
    })
}
