//! "How is this computed?": a report's entries of the metric dictionary (`types::metrics`), the
//! same words `docs/reports.md` holds, folded under the page's heading.

use leptos::prelude::*;
use types::report::Metric;

/// The report's metric definitions and formulas.
#[component]
pub fn MetricsPanel(metrics: &'static [Metric]) -> impl IntoView {
    let entries = metrics
        .iter()
        .map(|m| {
            view! {
                <dt>{m.name}" "<code class="muted">{m.key}</code></dt>
                <dd>{m.definition}<br/><span class="formula"><span class="sr-only">"Formula: "</span>{m.formula}</span></dd>
            }
        })
        .collect_view();
    view! {
        <details class="metrics-panel" data-testid="metrics-panel">
            <summary>"How is this computed?"</summary>
            <dl>{entries}</dl>
        </details>
    }
}
