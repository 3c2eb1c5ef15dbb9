//! The floor's figures for today in the report time zone, read from the summaries ingestion
//! keeps (never the raw attempts, so a day of a million attempts costs what a quiet one does):
//! attempts, connects, live answers and results (`report_campaign_day`), the highest campaign's
//! UK abandoned-call rate (the compliance report's own query), sales (`report_sales_day`),
//! callbacks overdue and due (the callback dashboard's sections), and attempts and connects per
//! quarter hour against the same weekday last week (`report_attempt_quarter`).

use sqlx::{PgPool, QueryBuilder};
use time::{Date, OffsetDateTime};
use types::report::{Chart, ChartKind, ChartPoint, ChartUnit};

use crate::error::AppError;
use crate::model::{CallbackCounts, CallbackSection, FloorDay};
use crate::report::Report;
use crate::reports::compliance::{Compliance, Scoped};
use crate::reports::{local_clock, ReportDays, LIMIT_PERCENT};

/// What today's figures are read for.
pub struct Day<'a> {
    pub pool: &'a PgPool,
    pub organization: &'a str,
    pub now: OffsetDateTime,
    /// `OCM_REPORT_TIME_ZONE`.
    pub zone: &'a str,
    pub amd_false_positive_percent: f64,
    /// The organization's callbacks now, as the callback dashboard counts them.
    pub callbacks: &'a CallbackCounts,
}

/// Quarter hours in a day, labelled by their local start.
const QUARTERS: usize = 96;

/// Today's figures and charts for one organization.
pub async fn today(day: &Day<'_>) -> Result<FloorDay, AppError> {
    let (pool, org) = (day.pool, day.organization);
    let date = local(day.now, day.zone).0;
    let counts = sqlx::query!(
        r#"
        select coalesce(sum(attempts), 0)::bigint as "attempts!",
               coalesce(sum(connects), 0)::bigint as "connects!",
               coalesce(sum(answer_human), 0)::bigint as "answer_human!",
               coalesce(sum(answer_machine), 0)::bigint as "answer_machine!",
               coalesce(sum(busy), 0)::bigint as "busy!",
               coalesce(sum(no_answer), 0)::bigint as "no_answer!",
               coalesce(sum(failed), 0)::bigint as "failed!",
               coalesce(sum(fax), 0)::bigint as "fax!",
               coalesce(sum(preview_cancelled), 0)::bigint as "preview_cancelled!",
               (select coalesce(sum(sales), 0)::bigint from report_sales_day
                 where organization = $1 and report_day = $2) as "sales!"
          from report_campaign_day
         where organization = $1 and report_day = $2
        "#,
        org,
        date,
    )
    .fetch_one(pool)
    .await?;
    let section = |wanted: CallbackSection| {
        day.callbacks
            .sections
            .iter()
            .find(|(s, _)| *s == wanted)
            .map_or(0, |(_, n)| *n)
    };
    // Short words: the chart's labels share a narrow card.
    let results = [
        ("Live answer", counts.answer_human),
        ("Machine", counts.answer_machine),
        ("Busy", counts.busy),
        ("No answer", counts.no_answer),
        ("Failed", counts.failed),
        ("Fax", counts.fax),
        ("Preview cancelled", counts.preview_cancelled),
    ];
    Ok(FloorDay {
        day: date.to_string(),
        time_zone: day.zone.to_string(),
        attempts: counts.attempts,
        connects: counts.connects,
        live_answers: counts.answer_human,
        abandon_rate: highest_abandon_rate(
            day.pool,
            day.organization,
            date,
            day.amd_false_positive_percent,
        )
        .await?,
        abandon_limit: LIMIT_PERCENT,
        sales: counts.sales,
        callbacks_overdue: section(CallbackSection::Overdue),
        callbacks_due: section(CallbackSection::NextHour),
        by_quarter: by_quarter(day, date).await?,
        closed: Vec::new(),
        results: Chart {
            title: "Today's attempts by result".into(),
            kind: ChartKind::Bars,
            unit: ChartUnit::Count,
            series: vec!["Attempts".into()],
            points: results
                .into_iter()
                .map(|(result, n)| ChartPoint {
                    label: result.to_string(),
                    values: vec![n as f64],
                })
                .collect(),
            limit: None,
        },
    })
}

/// The highest UK rate of any campaign of `organization` on `date`, by the compliance report's
/// query (the floor's figure and the metrics' alike).
pub async fn highest_abandon_rate(
    pool: &PgPool,
    organization: &str,
    date: Date,
    amd_false_positive_percent: f64,
) -> Result<Option<(f64, String)>, AppError> {
    let scoped = Scoped::day_of(organization, date, amd_false_positive_percent);
    let mut sql = QueryBuilder::new("select c.uk_rate, c.campaign from (");
    Compliance::select(&scoped, &mut sql);
    sql.push(") c where c.uk_rate is not null order by c.uk_rate desc, c.campaign limit 1");
    let row: Option<(f64, String)> = sql
        .build_query_as()
        .persistent(false)
        .fetch_optional(pool)
        .await?;
    Ok(row)
}

/// Attempts and connects per quarter hour from the day's first activity (today or a week
/// before) to the quarter under way (or today's last, if later), against the same local times a week earlier. A quarter
/// hour repeated by a daylight-saving change is added into one.
async fn by_quarter(day: &Day<'_>, date: Date) -> Result<Chart, AppError> {
    let week_before = date - time::Duration::days(7);
    let span = |d: Date| {
        ReportDays {
            from: Some(d),
            to: Some(d),
        }
        .instants(day.zone)
    };
    let (Some(today_from), Some(today_to)) = span(date) else {
        return Err(AppError::Internal(format!("No day {date} in {}", day.zone)));
    };
    let (Some(before_from), Some(before_to)) = span(week_before) else {
        return Err(AppError::Internal(format!(
            "No day {week_before} in {}",
            day.zone
        )));
    };
    let rows = sqlx::query!(
        r#"
        select (extract(hour from q.quarter at time zone $2) * 4
                + extract(minute from q.quarter at time zone $2) / 15)::int as "slot!",
               q.quarter >= $3 as "today!",
               sum(q.attempts)::bigint as "attempts!", sum(q.connects)::bigint as "connects!"
          from report_attempt_quarter q
         where q.organization = $1
           and ((q.quarter >= $3 and q.quarter < $4) or (q.quarter >= $5 and q.quarter < $6))
         group by 1, 2
        "#,
        day.organization,
        day.zone,
        today_from,
        today_to,
        before_from,
        before_to,
    )
    .fetch_all(day.pool)
    .await?;
    let mut figures = vec![[0.0_f64; 4]; QUARTERS];
    for row in rows {
        let Some(slot) = usize::try_from(row.slot).ok().filter(|s| *s < QUARTERS) else {
            continue;
        };
        let at = if row.today { 0 } else { 2 };
        figures[slot][at] += row.attempts as f64;
        figures[slot][at + 1] += row.connects as f64;
    }
    // To the quarter under way, or later when POM's clock runs ahead of OCM's.
    let now = local(day.now, day.zone).1;
    let last = figures
        .iter()
        .rposition(|f| f[0] > 0.0)
        .map_or(now, |l| l.max(now));
    let first = figures
        .iter()
        .position(|f| f.iter().any(|v| *v > 0.0))
        .unwrap_or(now)
        .min(now);
    let weekday = week_before.weekday();
    // A week without figures is said, not drawn as a flat zero that reads as an idle day.
    let before = figures.iter().any(|f| f[2] > 0.0);
    let (title, series, width) = if before {
        (
            format!("Attempts and connects per 15 minutes, today against last {weekday}"),
            vec![
                "Attempts today".into(),
                "Connects today".into(),
                format!("Attempts last {weekday}"),
                format!("Connects last {weekday}"),
            ],
            4,
        )
    } else {
        (
            format!("Attempts and connects per 15 minutes today (no figures for last {weekday})"),
            vec!["Attempts today".into(), "Connects today".into()],
            2,
        )
    };
    Ok(Chart {
        title,
        kind: ChartKind::Lines,
        unit: ChartUnit::Count,
        series,
        points: (first..=last)
            .map(|slot| {
                let under_way = if slot == now { " (so far)" } else { "" };
                ChartPoint {
                    label: format!("{:02}:{:02}{under_way}", slot / 4, slot % 4 * 15),
                    values: figures[slot][..width].to_vec(),
                }
            })
            .collect(),
        limit: None,
    })
}

/// The local date of `now` in `zone` and its quarter hour of the day (UTC for an unknown zone).
fn local(now: OffsetDateTime, zone: &str) -> (Date, usize) {
    let (date, hour, minute) = local_clock(now, zone);
    (date, usize::from(hour) * 4 + usize::from(minute) / 15)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn the_local_day_and_quarter_follow_the_zone() {
        let late = datetime!(2026-12-07 23:50 UTC);
        assert_eq!(
            local(late, "UTC"),
            (time::macros::date!(2026 - 12 - 07), 95)
        );
        assert_eq!(
            local(late, "Europe/Berlin"),
            (time::macros::date!(2026 - 12 - 08), 3),
            "00:50 in Berlin: the next day's fourth quarter"
        );
        assert_eq!(
            local(datetime!(2026-07-01 03:10 UTC), "America/New_York"),
            (time::macros::date!(2026 - 06 - 30), 92),
            "23:10 EDT"
        );
        assert_eq!(
            local(late, "Nowhere/Unknown").1,
            95,
            "an unknown zone reads as UTC"
        );
    }
}
