//! Charts drawn on the server as SVG (no script needed): bars, stacked bars or lines over labelled
//! points, a y axis with round ticks, an optional limit line (the 3 % abandon limit), and the
//! same figures as a table for screen readers and for anyone who would rather read them.

use leptos::prelude::*;
use types::report::{Chart, ChartKind, ChartUnit};

const WIDTH: f64 = 720.0;
const HEIGHT: f64 = 220.0;
const LEFT: f64 = 48.0;
const RIGHT: f64 = 12.0;
const TOP: f64 = 12.0;
const BOTTOM: f64 = 40.0;
/// X labels shown at most (every n-th point past that).
const MAX_LABELS: usize = 12;

/// A value as the axis and the table say it.
fn amount(unit: ChartUnit, value: f64) -> String {
    match unit {
        ChartUnit::Percent => format!("{value:.2} %"),
        ChartUnit::Seconds => format!("{value:.0} s"),
        ChartUnit::Hours => format!("{value:.1} h"),
        ChartUnit::Count => types::words::thousands(value.round() as i64),
    }
}

/// A round axis top at or above `max`: 1, 2 or 5 times a power of ten.
fn nice_top(max: f64) -> f64 {
    if max <= 0.0 {
        return 1.0;
    }
    let power = 10_f64.powf(max.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * power)
        .find(|top| *top >= max)
        .unwrap_or(10.0 * power)
}

/// How many gridline steps divide a round top into round steps (5 → 1s, 2 → halves, 1 → fifths).
fn divisions(top: f64) -> u32 {
    let mantissa = top / 10_f64.powf(top.log10().floor());
    if (mantissa - 2.0).abs() < 1e-9 {
        4
    } else {
        5
    }
}

/// The largest value the chart must fit: the tallest stack, bar or point, and the limit.
fn highest(chart: &Chart) -> f64 {
    let points = chart.points.iter().map(|p| match chart.kind {
        ChartKind::StackedBars => p.values.iter().sum(),
        _ => p.values.iter().copied().fold(0.0, f64::max),
    });
    points
        .chain(chart.limit.as_ref().map(|(v, _)| *v))
        .fold(0.0, f64::max)
}

/// The chart, its legend and its figures as a table.
#[component]
pub fn ChartView(chart: Chart, testid: &'static str) -> impl IntoView {
    let top = nice_top(highest(&chart));
    let plot_w = WIDTH - LEFT - RIGHT;
    let plot_h = HEIGHT - TOP - BOTTOM;
    let y = move |v: f64| TOP + plot_h - (v / top) * plot_h;
    let n = chart.points.len().max(1);
    let slot = plot_w / n as f64;
    let x = move |i: usize| LEFT + slot * (i as f64 + 0.5);
    let every = n.div_ceil(MAX_LABELS);
    let unit = chart.unit;
    let steps = divisions(top);
    let ticks = (0..=steps)
        .map(|t| {
            let value = top * f64::from(t) / f64::from(steps);
            let at = y(value);
            view! {
                <line x1=LEFT x2=WIDTH - RIGHT y1=at y2=at class="grid"/>
                <text x=LEFT - 4.0 y=at + 4.0 class="tick" text-anchor="end">{amount(unit, value)}</text>
            }
        })
        .collect_view();
    let labels = chart
        .points
        .iter()
        .enumerate()
        .filter(|(i, _)| i % every == 0)
        .map(|(i, p)| {
            view! { <text x=x(i) y=HEIGHT - BOTTOM + 16.0 class="tick" text-anchor="middle">{p.label.clone()}</text> }
        })
        .collect_view();
    let series = chart.series.len().max(1);
    let marks = match chart.kind {
        ChartKind::Lines => (0..series)
            .map(|s| {
                let path: String = chart
                    .points
                    .iter()
                    .enumerate()
                    .map(|(i, p)| format!("{:.1},{:.1} ", x(i), y(p.values.get(s).copied().unwrap_or(0.0))))
                    .collect();
                let dots = chart
                    .points
                    .iter()
                    .enumerate()
                    .map(|(i, p)| {
                        let v = p.values.get(s).copied().unwrap_or(0.0);
                        let tip = format!("{}: {}", p.label, amount(unit, v));
                        view! { <circle cx=x(i) cy=y(v) r="3" class=format!("series-{s}")><title>{tip}</title></circle> }
                    })
                    .collect_view();
                view! { <polyline points=path class=format!("line series-{s}")/>{dots} }
            })
            .collect_view()
            .into_any(),
        ChartKind::Bars | ChartKind::StackedBars => {
            let stacked = chart.kind == ChartKind::StackedBars;
            let width = if stacked { slot * 0.7 } else { slot * 0.7 / series as f64 };
            chart
                .points
                .iter()
                .enumerate()
                .flat_map(|(i, p)| {
                    let mut base = 0.0;
                    (0..series).map(move |s| {
                        let v = p.values.get(s).copied().unwrap_or(0.0);
                        let (left, bottom) = if stacked {
                            (x(i) - width / 2.0, base)
                        } else {
                            (x(i) - slot * 0.35 + width * s as f64, 0.0)
                        };
                        base += v;
                        let tip = format!("{}: {}", p.label, amount(unit, v));
                        view! {
                            <rect x=left y=y(bottom + v) width=width height=(y(bottom) - y(bottom + v)).max(0.0)
                                class=format!("bar series-{s}")><title>{tip}</title></rect>
                        }
                    })
                    .collect::<Vec<_>>()
                })
                .collect_view()
                .into_any()
        }
    };
    let limit = chart.limit.clone().map(|(value, label)| {
        let at = y(value);
        view! {
            <line x1=LEFT x2=WIDTH - RIGHT y1=at y2=at class="limit"/>
            <text x=WIDTH - RIGHT - 4.0 y=at - 4.0 class="limit-label" text-anchor="end">{label}</text>
        }
    });
    let legend = (chart.series.len() > 1).then(|| {
        chart
            .series
            .iter()
            .enumerate()
            .map(|(s, name)| view! { <li><span class=format!("swatch series-{s}") aria-hidden="true"></span>{name.clone()}</li> })
            .collect_view()
    });
    let title_id = format!("{testid}-title");
    let figures_id = format!("{testid}-figures");
    let rows = chart
        .points
        .iter()
        .map(|p| {
            let cells = p
                .values
                .iter()
                .map(|v| view! { <td class="num">{amount(unit, *v)}</td> })
                .collect_view();
            view! { <tr><th scope="row">{p.label.clone()}</th>{cells}</tr> }
        })
        .collect_view();
    let headings = chart
        .series
        .iter()
        .map(|s| view! { <th scope="col" class="num">{s.clone()}</th> })
        .collect_view();
    view! {
        <figure class="chart" data-testid=testid>
            <figcaption id=title_id.clone()>{chart.title.clone()}</figcaption>
            <svg viewBox=format!("0 0 {WIDTH} {HEIGHT}") role="img" aria-labelledby=title_id.clone()
                aria-describedby=figures_id.clone() preserveAspectRatio="xMidYMid meet">
                {ticks}{marks}{limit}{labels}
            </svg>
            {legend.map(|items| view! { <ul class="legend">{items}</ul> })}
            <details class="chart-data">
                <summary>"The chart's figures"</summary>
                <table class="data dense" id=figures_id>
                    <caption class="sr-only">{chart.title.clone()}</caption>
                    <thead><tr><th scope="col">"Point"</th>{headings}</tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </details>
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axis_tops_are_round_and_cover_the_limit() {
        assert_eq!(nice_top(0.0), 1.0);
        assert_eq!(nice_top(3.2), 5.0);
        assert_eq!(nice_top(1234.0), 2000.0);
        assert_eq!(nice_top(100.0), 100.0);
        assert_eq!(divisions(5.0), 5, "steps of 1");
        assert_eq!(divisions(2000.0), 4, "steps of 500");
        assert_eq!(divisions(100.0), 5, "steps of 20");
        let chart = Chart {
            title: String::new(),
            kind: ChartKind::Lines,
            unit: ChartUnit::Percent,
            series: vec!["Rate".into()],
            points: vec![types::report::ChartPoint {
                label: "d".into(),
                values: vec![1.0],
            }],
            limit: Some((3.0, "3 %".into())),
        };
        assert_eq!(
            highest(&chart),
            3.0,
            "the limit line stays inside the chart"
        );
    }
}
