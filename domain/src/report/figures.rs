//! A summarised report's figures besides its page ([`Summarised`]): the totals of every filtered
//! row and a chart of them, each one more statement over the same `select` the page reads, so
//! page, totals and chart cannot disagree; and the report time zone the answer states.

use sqlx::{QueryBuilder, Row};
use types::report::{Chart, ChartKind, ChartPoint, ChartUnit, ReportAnswer, ReportRequest};

use super::{page, Report};
use crate::access::Ctx;
use crate::error::AppError;

/// A chart's description and its query: `select label, values from matching …`, with `label`
/// text and `values` a `float8[]` holding one value per series.
pub struct ChartQuery {
    pub title: String,
    pub kind: ChartKind,
    pub unit: ChartUnit,
    pub series: Vec<String>,
    pub limit: Option<(f64, String)>,
    pub sql: String,
}

/// A report with totals and a chart over everything its filters match.
pub trait Summarised: Report {
    /// `select … from matching`: one row of the report's columns adding up every matching row
    /// (its key columns included, any value); `None`: no totals row.
    fn totals(_scoped: &Self::Scoped) -> Option<&'static str> {
        None
    }

    /// The chart of the matching rows, if the report has one.
    fn chart(_scoped: &Self::Scoped) -> Option<ChartQuery> {
        None
    }
}

/// `with matching as (<the report's select>) <tail>`.
fn over_matching<R: Report>(
    scoped: &R::Scoped,
    tail: &str,
) -> QueryBuilder<'static, sqlx::Postgres> {
    let mut sql = QueryBuilder::new("with matching as not materialized (");
    R::select(scoped, &mut sql);
    sql.push(") ");
    sql.push(tail.to_string());
    sql
}

/// One page of `R` with its totals, chart and the report time zone.
pub async fn answer<R: Summarised>(
    ctx: &Ctx,
    request: &ReportRequest<R::Filters>,
) -> Result<ReportAnswer<R::Row>, AppError> {
    let page = page::<R>(ctx, request).await?;
    let scoped = R::scope(ctx, &request.filters).await?;
    let pool = &ctx.state.pool;
    let totals = match R::totals(&scoped) {
        Some(tail) => {
            let row = over_matching::<R>(&scoped, tail)
                .build()
                .persistent(false)
                .fetch_one(pool)
                .await?;
            Some(R::decode(&row)?)
        }
        None => None,
    };
    let chart = match R::chart(&scoped) {
        Some(query) => {
            let rows = over_matching::<R>(&scoped, &query.sql)
                .build()
                .persistent(false)
                .fetch_all(pool)
                .await?;
            let points = rows
                .iter()
                .map(|row| {
                    Ok(ChartPoint {
                        label: row.try_get("label")?,
                        values: row.try_get("values")?,
                    })
                })
                .collect::<Result<Vec<_>, sqlx::Error>>()?;
            Some(Chart {
                title: query.title,
                kind: query.kind,
                unit: query.unit,
                series: query.series,
                points,
                limit: query.limit,
            })
        }
        None => None,
    };
    Ok(ReportAnswer {
        page,
        totals,
        chart,
        time_zone: ctx.state.settings.call_data.time_zone.clone(),
    })
}
