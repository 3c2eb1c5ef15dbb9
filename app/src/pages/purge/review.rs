//! Step 2: the dry run — the exact count, what it means in words, the effect per campaign, and a
//! sample of the contacts that would go.

use leptos::prelude::*;

use crate::components::campaign_table::CampaignTable;

use crate::components::pager::thousands;
use crate::model::DryRun;

/// What to say about "is one of" values no contact had: the heading, the values shown, and how
/// many more there are; `None` when every value matched.
fn unmatched_notice(values: &[String], more: i64) -> Option<(String, Vec<String>, Option<String>)> {
    if values.is_empty() {
        return None;
    }
    let total = values.len() as i64 + more;
    let heading = if total == 1 {
        "1 value matched no contact in the list; check it for a typo:".to_string()
    } else {
        format!(
            "{} values matched no contact in the list; check them for typos:",
            thousands(total)
        )
    };
    let more = (more > 0).then(|| format!("… and {} more.", thousands(more)));
    Some((heading, values.to_vec(), more))
}

/// The dry run's result. The count is printed as plain digits: it is what the user types to confirm.
#[component]
pub fn DryRunView(dry: DryRun) -> impl IntoView {
    let matched = dry.matched;
    let unreadable = dry.unreadable_dates;
    let has_campaigns = !dry.campaigns.is_empty();
    let has_sample = !dry.sample.is_empty();
    let unmatched = unmatched_notice(&dry.unmatched_values, dry.unmatched_more);
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
        {unmatched.map(|(heading, values, more)| view! {
            <div class="notice warn" data-testid="dry-run-unmatched">
                <p>{heading}</p>
                <p data-testid="dry-run-unmatched-values">
                    {values.into_iter().enumerate().map(|(i, v)| view! {
                        {(i > 0).then_some(", ")}<code>{v}</code>
                    }).collect_view()}
                </p>
                {more.map(|more| view! { <p class="small">{more}</p> })}
            </div>
        })}
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
            <div class="table-wrap" tabindex="0" role="region" aria-label="Sample of the contacts to purge">
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

#[cfg(test)]
mod tests {
    use super::unmatched_notice;

    #[test]
    fn unmatched_values_are_counted_in_plain_words() {
        assert_eq!(unmatched_notice(&[], 0), None);
        let (heading, values, more) = unmatched_notice(&["C9x".into()], 0).unwrap();
        assert!(
            heading.starts_with("1 value matched no contact"),
            "{heading}"
        );
        assert_eq!((values.len(), more), (1, None));
        let fifty: Vec<String> = (0..50).map(|n| n.to_string()).collect();
        let (heading, _, more) = unmatched_notice(&fifty, 1_200).unwrap();
        assert!(heading.starts_with("1,250 values matched"), "{heading}");
        assert_eq!(more.as_deref(), Some("… and 1,200 more."));
    }
}
