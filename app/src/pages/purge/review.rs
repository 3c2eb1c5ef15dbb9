//! Step 2: the dry run — the exact count, what it means in words, the effect per campaign, and a
//! sample of the contacts that would go.

use leptos::prelude::*;

use crate::components::campaign_table::CampaignTable;

use crate::components::pager::thousands;
use crate::model::DryRun;

/// The dry run's result. The count is printed as plain digits: it is what the user types to confirm.
#[component]
pub fn DryRunView(dry: DryRun) -> impl IntoView {
    let matched = dry.matched;
    let unreadable = dry.unreadable_dates;
    let has_campaigns = !dry.campaigns.is_empty();
    let has_sample = !dry.sample.is_empty();
    let sample_title = format!(
        "Sample: {} of the {} contacts that would be deleted",
        dry.sample.len(),
        thousands(matched)
    );
    view! {
        <p class="dry-count">
            <strong data-testid="dry-run-count" data-count=matched>{matched}</strong>
            {format!(" of {} contacts will be deleted", thousands(dry.list_total))}
            <span class="muted">{format!(" from “{}” (#{})", dry.list_name, dry.list_id)}</span>
        </p>
        <p class="explanation" data-testid="dry-run-explanation">{dry.explanation}</p>
        <Show when=move || dry.direct>
            <p class="muted small">"Direct purge: everything except the given values is deleted."</p>
        </Show>
        <Show when=move || { unreadable > 0 }>
            <p class="notice warn" data-testid="dry-run-unreadable">
                {format!(
                    "{} {} a date that could not be read; date filters never match them, so they stay.",
                    thousands(unreadable),
                    if unreadable == 1 { "contact has" } else { "contacts have" }
                )}
            </p>
        </Show>
        <Show when=move || has_campaigns>
            <h3>"Per campaign"</h3>
            <CampaignTable campaigns=dry.campaigns.clone() testid="dry-run-campaigns"/>
        </Show>
        <Show when=move || has_sample>
            <h3>{sample_title.clone()}</h3>
            <div class="table-wrap">
                <table class="data" data-testid="dry-run-sample">
                    <thead>
                        <tr>{dry.columns.iter().map(|c| view! { <th scope="col">{c.clone()}</th> }).collect_view()}</tr>
                    </thead>
                    <tbody>
                        {dry.sample.iter().map(|row| view! {
                            <tr>{row.iter().map(|v| view! { <td>{v.clone()}</td> }).collect_view()}</tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </Show>
    }
}
