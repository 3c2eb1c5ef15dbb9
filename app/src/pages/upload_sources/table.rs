//! The data sources table: each mapping of a contact list to POM's file data source, its SFTP
//! path and file layout, who changed it last, with Edit and Delete.

use leptos::prelude::*;

use crate::components::format::short_time;
use crate::model::DataSourceRow;

/// The delimiter in words (a tab cannot be seen).
pub fn delimiter_word(delimiter: &str) -> String {
    match delimiter {
        "\t" | "tab" => "tab".into(),
        other => other.into(),
    }
}

/// The data sources; `edit` and `remove` receive the row whose button was pressed; `ready` once
/// the buttons work (the browser runs the page).
#[component]
pub fn SourcesTable(
    rows: Vec<DataSourceRow>,
    edit: Callback<DataSourceRow>,
    remove: Callback<DataSourceRow>,
    ready: RwSignal<bool>,
) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p class="muted" data-testid="sources-empty">"No data sources yet. Add the first one below."</p> }
            .into_any();
    }
    view! {
        <div class="table-wrap" tabindex="0" role="region" aria-label="Data sources">
            <table class="data dense" data-testid="sources-table">
                <thead>
                    <tr>
                        <th scope="col">"Data source"</th>
                        <th scope="col">"Contact list · organization"</th>
                        <th scope="col">"Type"</th>
                        <th scope="col">"Remote path"</th>
                        <th scope="col">"Delimiter"</th>
                        <th scope="col">"Header row"</th>
                        <th scope="col">"Columns"</th>
                        <th scope="col">"Updated (UTC) · by"</th>
                        <th scope="col"><span class="sr-only">"Actions"</span></th>
                    </tr>
                </thead>
                <tbody>
                    {rows.into_iter().map(|row| {
                        let columns = if row.columns.is_empty() {
                            "header names".to_string()
                        } else {
                            row.columns.join(", ")
                        };
                        let edit_label = format!("Edit {}", row.name);
                        let delete_label = format!("Delete {}", row.name);
                        let (for_edit, for_remove) = (row.clone(), row.clone());
                        view! {
                            <tr data-testid="source-row" data-source-id=row.data_source_id data-name=row.name.clone()>
                                <td class="campaign-name">{row.name.clone()}</td>
                                <td>{row.list_name.clone()}<span class="muted small sub">{row.organization.clone()}</span></td>
                                <td><span class=format!("source-kind {}", row.kind)>{row.kind.clone()}</span></td>
                                <td><code>{row.remote_path.clone()}</code></td>
                                <td><code>{delimiter_word(&row.delimiter)}</code></td>
                                <td>{if row.header_row { "Yes" } else { "No" }}</td>
                                <td class="lists">{columns}</td>
                                <td class="nowrap">{short_time(&row.updated_at)}<span class="muted small sub">{row.updated_by.clone()}</span></td>
                                <td class="row-actions">
                                    <div class="actions">
                                        <button type="button" class="small" data-testid="source-edit" aria-label=edit_label
                                            disabled=move || !ready.get() on:click=move |_| edit.run(for_edit.clone())>"Edit"</button>
                                        <button type="button" class="small" data-testid="source-delete" aria-label=delete_label
                                            disabled=move || !ready.get() on:click=move |_| remove.run(for_remove.clone())>"Delete"</button>
                                    </div>
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

#[cfg(test)]
mod tests {
    use super::delimiter_word;

    #[test]
    fn a_tab_is_named() {
        assert_eq!(delimiter_word("\t"), "tab");
        assert_eq!(delimiter_word(";"), ";");
    }
}
