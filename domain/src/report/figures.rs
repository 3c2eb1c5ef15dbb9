//! A summarised report's figures besides its page ([`Summarised`]): the totals of every filtered
//! row and a chart of them, read with the page in one repeatable-read transaction (one snapshot)
//! so they cannot disagree; and the report time zone the answer states. A summary
//! ([`Summarised::ONCE`]) has its `select` worked out once, into a temporary table page, total,
//! totals and chart read, instead of four times.

use sqlx::{QueryBuilder, Row};
use types::report::{Chart, ChartKind, ChartPoint, ChartUnit, ReportAnswer, ReportRequest};

use super::{read_page, scoped, Report, Source};
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
    /// `true`: the answer works the `select` out once, into a temporary table the page, totals
    /// and chart read (summaries: few rows, each costly). `false`: page, totals and chart are
    /// statements of their own over the `select` (detail reports: the page stays on an index and
    /// never reads every row, which a copy of them would).
    const ONCE: bool = false;

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

/// The temporary table an answer's rows are copied to (dropped when its transaction ends).
const MATCHED: &str = "ocm_matched";

/// `with matching as (<the answer's rows>) <tail>`.
fn over_matching<R: Report>(
    (scoped, source): (&R::Scoped, Source),
    tail: &str,
) -> QueryBuilder<'static, sqlx::Postgres> {
    let mut sql = QueryBuilder::new("with matching as not materialized (");
    source.push::<R>(scoped, &mut sql);
    sql.push(") ");
    sql.push(tail.to_string());
    sql
}

/// One page of `R` with its totals, chart and the report time zone.
pub async fn answer<R: Summarised>(
    ctx: &Ctx,
    request: &ReportRequest<R::Filters>,
) -> Result<ReportAnswer<R::Row>, AppError> {
    let scoped = scoped::<R>(ctx, request).await?;
    let mut tx = ctx.state.pool.begin().await?;
    sqlx::query("set transaction isolation level repeatable read")
        .execute(&mut *tx)
        .await?;
    let source = if R::ONCE {
        let mut rows = QueryBuilder::new(format!(
            "create temporary table {MATCHED} on commit drop as "
        ));
        R::select(&scoped, &mut rows);
        rows.build().persistent(false).execute(&mut *tx).await?;
        Source::Table(MATCHED)
    } else {
        Source::Select
    };
    let page = read_page::<R>(&mut tx, (&scoped, source), request).await?;
    let totals = match R::totals(&scoped) {
        Some(tail) => {
            let row = over_matching::<R>((&scoped, source), tail)
                .build()
                .persistent(false)
                .fetch_one(&mut *tx)
                .await?;
            Some(R::decode(&row)?)
        }
        None => None,
    };
    let chart = match R::chart(&scoped) {
        Some(query) => {
            let rows = over_matching::<R>((&scoped, source), &query.sql)
                .build()
                .persistent(false)
                .fetch_all(&mut *tx)
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
    tx.commit().await?;
    Ok(ReportAnswer {
        page,
        totals,
        chart,
        time_zone: ctx.state.settings.call_data.time_zone.clone(),
    })
}
