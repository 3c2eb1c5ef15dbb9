//! The pre-flight's sample: each row as it is in the file, as it would be sent (and, for a phone
//! number, as people write it, `+1 555-123-4567`, so the country read is plain), with a warning
//! for a number that is possible but not valid, or why it is rejected.

use leptos::prelude::*;

use crate::model::SampleRow;

/// The sample rows; rejected ones are marked by a class and their problem in words.
#[component]
pub fn SampleTable(sample: Vec<SampleRow>) -> impl IntoView {
    if sample.is_empty() {
        return view! { <p class="muted" data-testid="dnc-sample-empty">"The file has no rows to show."</p> }
            .into_any();
    }
    view! {
        <div class="table-wrap" tabindex="0" role="region" aria-label="First rows of the file">
            <table class="data dnc-sample" data-testid="dnc-sample">
                <thead>
                    <tr>
                        <th scope="col" class="num">"Row"</th>
                        <th scope="col">"In the file"</th>
                        <th scope="col">"Sent to POM as"</th>
                        <th scope="col">"Reads as"</th>
                        <th scope="col">"Problem or warning"</th>
                    </tr>
                </thead>
                <tbody>
                    {sample.into_iter().map(|row| {
                        let rejected = row.problem.is_some();
                        let warned = row.warning.is_some();
                        view! {
                            <tr class:rejected=rejected class:warned=warned data-testid="dnc-sample-row"
                                data-rejected=rejected.to_string() data-warned=warned.to_string()>
                                <td class="num">{row.row}</td>
                                <td><code>{row.original}</code></td>
                                <td data-testid="dnc-sample-sent">{row.value.map(|v| view! { <code>{v}</code> })}</td>
                                <td data-testid="dnc-sample-shown">{row.shown}</td>
                                <td class="problem" data-testid="dnc-sample-note">
                                    {row.problem}
                                    {row.warning.map(|w| view! { <span class="warning">"Accepted, but "{w}</span> })}
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}
