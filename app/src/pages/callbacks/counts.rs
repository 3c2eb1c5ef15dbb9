//! The dashboard's head: the callbacks counted by section (each a link to it), by type and
//! state, and how fresh the call data is, marked as not current when it is behind.

use leptos::prelude::*;

use crate::components::format::short_time;
use crate::components::source_behind::{source_notices, stale_mark};
use crate::model::{CallbackCounts, CallbackFilters, CallbackSection, FigureSource};
use types::report::UrlQuery;

/// The counts as links to their sections (the one shown marked current), with the types,
/// states, time zone and freshness; when the call data is behind, since when, and the counts
/// marked as not current.
pub(super) fn head(
    counts: CallbackCounts,
    organization: Option<String>,
    shown: Option<String>,
) -> impl IntoView {
    let link = move |section: &CallbackSection| {
        let filters = CallbackFilters {
            section: Some(section.clone()),
            organization: organization.clone(),
            ..CallbackFilters::default()
        };
        format!("/callbacks?{}", filters.to_query_string())
    };
    let tiles = counts
        .sections
        .iter()
        .map(|(section, n)| {
            let class = format!("tile section-{}", section.as_str());
            let current = (shown.as_deref() == Some(section.as_str())).then_some("page");
            view! {
                <a class=class href=link(section) aria-current=current data-testid=format!("callbacks-count-{}", section.as_str())>
                    <span class="tile-figure">{*n}</span>
                    <span class="tile-label">{section.label().to_string()}</span>
                </a>
            }
        })
        .collect_view();
    let list = |pairs: Vec<(String, i64)>| {
        pairs
            .into_iter()
            .map(|(label, n)| format!("{label} {n}"))
            .collect::<Vec<_>>()
            .join(" · ")
    };
    let types = list(
        counts
            .types
            .iter()
            .map(|(t, n)| (t.label().to_string(), *n))
            .collect(),
    );
    let states = list(
        counts
            .states
            .iter()
            .map(|(s, n)| (s.label().to_string(), *n))
            .collect(),
    );
    let fresh = match &counts.newest_record_at {
        Some(at) => format!(
            "Call data up to {} UTC; counted {} UTC. Times below are in {}.",
            short_time(at),
            short_time(&counts.read_at),
            counts.time_zone
        ),
        None => "No call data has arrived yet.".to_string(),
    };
    let stale: Vec<_> = counts.stale.into_iter().collect();
    view! {
        {source_notices(&stale)}
        <nav class="tiles" aria-label="Callbacks by section">{tiles}</nav>
        {stale_mark(&stale, &[FigureSource::CallData], "callbacks")}
        <p class="muted small" data-testid="callbacks-breakdown">
            {format!("Open and ended today, by type: {}; by state: {}. ", if types.is_empty() { "none".into() } else { types }, if states.is_empty() { "none".into() } else { states })}
            {fresh}
        </p>
    }
}
