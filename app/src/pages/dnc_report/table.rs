//! The report's table: one row per address request, newest first as the server sends them.

use leptos::prelude::*;

use crate::components::dnc_state::DncStateBadge;
use crate::model::DncEntryRow;
use crate::pages::audit::short_time;

/// What was asked for, in words; an action this page does not know yet shows as sent.
fn action_word(action: &str) -> &str {
    match action {
        "add" => "Add",
        "remove" => "Remove",
        "mark_uncallable" => "Mark uncallable",
        other => other,
    }
}

/// The entries of one report page.
#[component]
pub fn EntriesTable(rows: Vec<DncEntryRow>) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p class="muted" data-testid="dnc-report-empty">"No addresses match."</p> }
            .into_any();
    }
    view! {
        <div class="table-wrap">
            <table class="data" data-testid="dnc-report-table">
                <thead>
                    <tr>
                        <th scope="col">"Requested (UTC)"</th>
                        <th scope="col">"Address"</th>
                        <th scope="col">"Action"</th>
                        <th scope="col">"Source"</th>
                        <th scope="col">"List"</th>
                        <th scope="col">"Requested by"</th>
                        <th scope="col">"File"</th>
                        <th scope="col">"State"</th>
                        <th scope="col">"Confirmed (UTC)"</th>
                        <th scope="col">"Outcome"</th>
                    </tr>
                </thead>
                <tbody>
                    {rows.into_iter().map(|row| {
                        let file = row.file_name.map(|name| {
                            let title = row.file_sha256.map(|hash| format!("SHA-256 {hash}"));
                            view! { <span title=title>{name}</span> }
                        });
                        view! {
                            <tr data-testid="dnc-report-row" data-source=row.source data-entry-id=row.entry_id>
                                <td class="nowrap">{short_time(&row.requested_at)}</td>
                                <td><code>{row.address}</code></td>
                                <td>{action_word(&row.action).to_string()}</td>
                                <td>{row.source_label}</td>
                                <td>{row.list}</td>
                                <td>{row.requested_by}</td>
                                <td class="file">{file}</td>
                                <td><DncStateBadge state=row.state/></td>
                                <td class="nowrap">{row.confirmed_at.as_deref().map(short_time)}</td>
                                <td class="outcome-text">{row.outcome}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::action_word;

    #[test]
    fn actions_read_as_words() {
        assert_eq!(action_word("mark_uncallable"), "Mark uncallable");
        assert_eq!(action_word("purge"), "purge");
    }
}
