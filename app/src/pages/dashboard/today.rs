//! The floor card's "Today": the day's figures in the report time zone, each a link to the
//! report or section behind it, and the charts of attempts per quarter hour (against the same
//! weekday last week) and of results; a figure whose report an admin closed to the reader's
//! role shows as closed.

use leptos::prelude::*;

use crate::components::chart::ChartView;
use crate::components::format::thousands;
use crate::model::{percent_encode, FloorDay};

/// One figure: what it counts, its value, a line saying more, and where its rows are.
struct Figure {
    key: &'static str,
    label: &'static str,
    value: String,
    detail: String,
    href: String,
    alert: bool,
}

fn percent(value: Option<f64>) -> String {
    value.map_or("—".into(), |v| format!("{v:.1} %"))
}

fn figures(day: &FloorDay, organization: &str) -> Vec<Figure> {
    let org = percent_encode(organization);
    let days = format!("from={0}&to={0}&organization={org}", day.day);
    let attempts = format!("/reports/call-attempts?{days}");
    let callbacks = |section: &str| format!("/callbacks?section={section}&organization={org}");
    // Campaign names join words with underscores: let them break after one.
    let breakable = |name: &str| name.replace('_', "_\u{200B}");
    let limit = day.abandon_limit;
    let (rate, rate_detail) = match &day.abandon_rate {
        Some((rate, campaign)) if day.abandon_breach() => (
            format!("{rate:.2} %"),
            format!("over the {limit} % limit: {}", breakable(campaign)),
        ),
        Some((rate, campaign)) => (
            format!("{rate:.2} %"),
            format!("{}; limit {limit} %", breakable(campaign)),
        ),
        None => ("—".into(), "no live answers yet".into()),
    };
    vec![
        Figure {
            key: "attempts",
            label: "Attempts",
            value: thousands(day.attempts),
            detail: "begun today".into(),
            href: attempts.clone(),
            alert: false,
        },
        Figure {
            key: "live_answers",
            label: "Live answers",
            value: thousands(day.live_answers),
            detail: "answered by a person".into(),
            href: format!("{attempts}&result=answer_human"),
            alert: false,
        },
        Figure {
            key: "connects",
            label: "Connects",
            value: thousands(day.connects),
            detail: format!(
                "put through to an agent; {} of attempts",
                percent(day.connect_rate())
            ),
            href: attempts.clone(),
            alert: false,
        },
        Figure {
            key: "abandon_rate",
            label: "Highest abandon rate (UK)",
            value: rate,
            detail: rate_detail,
            href: format!("/reports/compliance?{days}"),
            alert: day.abandon_breach(),
        },
        Figure {
            key: "sales",
            label: "Sales",
            value: thousands(day.sales),
            detail: "recorded today".into(),
            href: format!("/reports/sales?{days}"),
            alert: false,
        },
        Figure {
            key: "callbacks_overdue",
            label: "Callbacks overdue",
            value: thousands(day.callbacks_overdue),
            detail: "open, past their due time".into(),
            href: callbacks("overdue"),
            alert: day.callbacks_overdue > 0,
        },
        Figure {
            key: "callbacks_due",
            label: "Callbacks due",
            value: thousands(day.callbacks_due),
            detail: "within the next hour".into(),
            href: callbacks("next_hour"),
            alert: false,
        },
    ]
}

/// The report a figure comes from (its access key), when an admin may close it to a role.
fn report_of(key: &str) -> Option<&'static str> {
    match key {
        "attempts" | "connects" | "live_answers" => Some("call_attempts"),
        "abandon_rate" => Some("compliance"),
        "sales" => Some("sales"),
        _ => None,
    }
}

fn figure_item(figure: Figure, closed: &[String]) -> impl IntoView {
    let class = if figure.alert {
        "day-figure alert"
    } else {
        "day-figure"
    };
    let described = format!("day-{}-detail", figure.key);
    let label = view! { <span class="day-label">{figure.label}</span> };
    let shut = report_of(figure.key).is_some_and(|report| closed.iter().any(|c| c == report));
    if shut {
        return view! {
            <li class="day-figure closed" data-testid="day-figure" data-key=figure.key>
                {label}
                <span class="day-value" data-testid="day-value">"—"</span>
                <span class="day-detail muted small">"Its report is closed to your role."</span>
            </li>
        }
        .into_any();
    }
    view! {
        <li class=class data-testid="day-figure" data-key=figure.key>
            <a href=figure.href aria-describedby=described.clone()>
                {label}
                <span class="day-value" data-testid="day-value">{figure.value}</span>
            </a>
            <span class="day-detail muted small" id=described>{figure.detail}</span>
        </li>
    }
    .into_any()
}

/// Today's figures and charts for the organization the card shows.
/// `stale`: the mark saying the figures are not current, when the call data is behind.
pub fn today_view(day: FloorDay, organization: &str, stale: Option<AnyView>) -> impl IntoView {
    let heading = format!("Today ({}, {})", day.day, day.time_zone);
    let items = figures(&day, organization)
        .into_iter()
        .map(|figure| figure_item(figure, &day.closed))
        .collect_view();
    let attempts_closed = day.closed.iter().any(|c| c == "call_attempts");
    let any_quarter = day
        .by_quarter
        .points
        .iter()
        .any(|p| p.values.iter().any(|v| *v > 0.0));
    let quiet = day.attempts == 0 && !attempts_closed;
    let by_quarter =
        any_quarter.then(|| view! { <ChartView chart=day.by_quarter testid="chart-quarters"/> });
    let results =
        (day.attempts > 0).then(|| view! { <ChartView chart=day.results testid="chart-results"/> });
    view! {
        <h3 id="today-title">{heading}</h3>
        {stale}
        <ul class="day-figures" aria-labelledby="today-title" data-testid="day-figures">{items}</ul>
        {quiet.then(|| view! { <p class="muted" data-testid="today-quiet">"No attempts yet today."</p> })}
        <div class="day-charts">{by_quarter}{results}</div>
    }
}
