//! The pre-flight's sample: the first rows as they will be sent (the converted file's columns),
//! or why a row is rejected.

use leptos::prelude::*;

use crate::model::ContactSampleRow;

/// The sample; rejected rows are marked by a class and their problem in words.
#[component]
pub fn SampleTable(columns: Vec<String>, sample: Vec<ContactSampleRow>) -> impl IntoView {
    if sample.is_empty() {
        return view! { <p class="muted" data-testid="upload-sample-empty">"The file has no rows to show."</p> }
            .into_any();
    }
    let width = columns.len();
    view! {
        <div class="table-wrap" tabindex="0" role="region" aria-label="First rows of the file">
            <table class="data dnc-sample" data-testid="upload-sample">
                <thead>
                    <tr>
                        <th scope="col" class="num">"Row"</th>
                        {columns.into_iter().map(|c| view! { <th scope="col">{c}</th> }).collect_view()}
                        <th scope="col">"Problem"</th>
                    </tr>
                </thead>
                <tbody>
                    {sample.into_iter().map(|row| {
                        let rejected = row.problem.is_some();
                        let mut values = row.values;
                        values.resize(width.max(values.len()), String::new());
                        view! {
                            <tr class:rejected=rejected data-testid="upload-sample-row" data-rejected=rejected.to_string()>
                                <td class="num">{row.row}</td>
                                {values.into_iter().map(|v| view! { <td>{v}</td> }).collect_view()}
                                <td class="problem">
                                    {row.problem}
                                    {row.flag.map(|flag| view! { <span class="warning">"Sent, flagged: "{flag}</span> })}
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
