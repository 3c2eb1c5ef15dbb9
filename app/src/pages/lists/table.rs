//! The lists table: header buttons that sort (with `aria-sort`), one row per list.

use leptos::prelude::*;

use super::sorting::{view_rows, Column, Sort};
use crate::components::format::short_time;
use crate::components::pager::thousands;
use crate::model::ContactListRow;

/// POM's ISO time shortened to seconds; anything else as POM sent it.
fn display_time(value: &str) -> String {
    if value.as_bytes().get(10) == Some(&b'T') {
        short_time(value)
    } else {
        value.to_string()
    }
}

/// The lists matching the typed name, in the URL's order. `go` moves to another view.
#[component]
pub fn ListsTable(
    rows: Vec<ContactListRow>,
    typed: RwSignal<String>,
    manual: Memo<bool>,
    sort: Memo<Sort>,
    go: Callback<(bool, Sort)>,
) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p class="muted" data-testid="lists-empty">"No contact lists."</p> }
            .into_any();
    }
    let total = rows.len();
    // The organization only tells something apart when there is more than one.
    let several_orgs = rows.iter().any(|r| r.organization != rows[0].organization);
    let columns: Vec<Column> = Column::ALL
        .into_iter()
        .filter(|c| *c != Column::Organization || several_orgs)
        .collect();
    let shown = Memo::new(move |_| typed.with(|q| view_rows(&rows, q, sort.get())));

    let header = columns
        .iter()
        .map(|&column| {
            let class = if column.numeric() { "num" } else { "" };
            view! {
                <th scope="col" class=class aria-sort=move || sort.get().aria(column)>
                    // A submit button of the filter form, so sorting also works without JavaScript.
                    <button type="submit" form="lists-filter" name="sort" class="sort"
                        value=move || sort.get().toggled(column).key()
                        on:click=move |ev| {
                            ev.prevent_default();
                            go.run((manual.get_untracked(), sort.get_untracked().toggled(column)));
                        }>
                        {column.label()}
                        <span class="sort-mark" aria-hidden="true">{move || match sort.get().aria(column) {
                            Some("ascending") => "▲",
                            Some(_) => "▼",
                            None => "",
                        }}</span>
                    </button>
                </th>
            }
        })
        .collect_view();

    view! {
        <p class="muted small" data-testid="lists-total" aria-live="polite">
            {move || format!("{} of {} lists", shown.with(Vec::len), total)}
        </p>
        <div class="table-wrap" tabindex="0" role="region" aria-label="Contact lists">
            <table class="data" data-testid="lists-table">
                <thead><tr>{header}</tr></thead>
                <tbody>
                    {move || shown.get().into_iter().map(|row| {
                        let href = format!("/lists/{}", row.list_id);
                        view! {
                            <tr data-testid="list-row" data-list-id=row.list_id>
                                <td><a href=href>{row.name}</a></td>
                                <td class="num">{row.list_id}</td>
                                <Show when=move || several_orgs>
                                    <td>{row.organization.clone()}</td>
                                </Show>
                                <td>{row.zone.unwrap_or_default()}</td>
                                <td class="num">{thousands(row.total)}</td>
                                <td class="num">{thousands(row.available)}</td>
                                <td class="num">{thousands(row.excluded)}</td>
                                <td class="nowrap">{row.last_update.as_deref().map(display_time).unwrap_or_default()}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        <Show when=move || shown.with(Vec::is_empty)>
            <p class="muted" data-testid="lists-empty">"No list names contain that text."</p>
        </Show>
    }
    .into_any()
}
