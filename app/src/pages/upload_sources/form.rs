//! Adding or changing a data source mapping: POM's data source name, the organization and its
//! contact list, append or replace (with what replace means), the file's path on the SFTP drop,
//! and the layout the data source reads (delimiter, header row, columns).

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::checks::Problems;
use super::table::delimiter_word;
use crate::model::{DataSourceInput, DataSourceRow, UploadTarget};
use crate::pages::dnc_upload::focus_later;
use crate::server_fns::uploads::save_data_source;

/// The delimiters offered, as (value, words).
const DELIMITERS: [(&str, &str); 4] = [
    (",", "Comma ,"),
    (";", "Semicolon ;"),
    ("|", "Pipe |"),
    ("tab", "Tab"),
];

/// The suggested path for a list's file.
fn suggested_path(list_name: &str) -> String {
    format!("/ocm/{list_name}.csv")
}

/// A field's message, read from the form's problems.
fn message(
    problems: RwSignal<Problems>,
    pick: fn(&Problems) -> &Option<String>,
) -> impl Fn() -> Option<String> + Copy {
    move || problems.with(|p| pick(p).clone())
}

fn invalid(
    problems: RwSignal<Problems>,
    pick: fn(&Problems) -> &Option<String>,
) -> impl Fn() -> Option<&'static str> + Copy {
    move || problems.with(|p| pick(p).is_some().then_some("true"))
}

/// The form, filled from `initial` when editing; `targets` offer the organizations and lists.
#[component]
pub fn SourceForm(
    initial: Option<DataSourceRow>,
    targets: Vec<UploadTarget>,
    on_saved: Callback<DataSourceRow>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let editing = initial.as_ref().map(|r| r.data_source_id);
    let start = initial.clone().unwrap_or(DataSourceRow {
        data_source_id: 0,
        name: String::new(),
        organization: String::new(),
        list_name: String::new(),
        kind: "append".into(),
        remote_path: String::new(),
        delimiter: ",".into(),
        header_row: true,
        columns: Vec::new(),
        updated_by: String::new(),
        updated_at: String::new(),
    });
    let mut organizations: Vec<String> = targets.iter().map(|t| t.organization.clone()).collect();
    organizations.sort();
    organizations.dedup();
    let targets = StoredValue::new(targets);
    let name = RwSignal::new(start.name.clone());
    let organization = RwSignal::new(start.organization.clone());
    let list_name = RwSignal::new(start.list_name.clone());
    let kind = RwSignal::new(start.kind.clone());
    let remote_path = RwSignal::new(start.remote_path.clone());
    let delimiter = RwSignal::new(delimiter_word(&start.delimiter));
    let header_row = RwSignal::new(start.header_row);
    let columns = RwSignal::new(start.columns.join(", "));
    let problems = RwSignal::new(Problems::default());
    let tried = RwSignal::new(false);
    let busy = RwSignal::new(false);

    let input = move || DataSourceInput {
        data_source_id: editing,
        name: name.get(),
        organization: organization.get(),
        list_name: list_name.get(),
        kind: kind.get(),
        remote_path: remote_path.get(),
        delimiter: delimiter.get(),
        header_row: header_row.get(),
        columns: columns.get(),
    };
    // Once the form has been tried, problems follow the input as it is corrected.
    Effect::new(move |_| {
        let current = input();
        if tried.get_untracked() {
            problems.set(Problems::of_input(&current));
        }
    });
    let lists = Memo::new(move |_| {
        let organization = organization.get();
        targets.with_value(|all| {
            all.iter()
                .filter(|t| t.organization == organization)
                .map(|t| t.list_name.clone())
                .collect::<Vec<_>>()
        })
    });
    let choose_list = move |chosen: String| {
        // The suggested path follows the list until the path is typed.
        let previous = list_name.get_untracked();
        if remote_path.with_untracked(|p| p.is_empty() || *p == suggested_path(&previous))
            && !chosen.is_empty()
        {
            remote_path.set(suggested_path(&chosen));
        }
        list_name.set(chosen);
    };
    let submit = move || {
        tried.set(true);
        let current = input();
        let found = Problems::of_input(&current);
        if let Some(field) = found.first_field() {
            problems.set(found);
            focus_later(field);
            return;
        }
        busy.set(true);
        problems.set(Problems::default());
        spawn_local(async move {
            match save_data_source(current).await {
                Ok(row) => on_saved.run(row),
                Err(error) => {
                    let refused = Problems::of_error(&error);
                    if let Some(field) = refused.first_field() {
                        focus_later(field);
                    }
                    problems.set(refused);
                }
            }
            busy.set(false);
        });
    };
    let chosen_delimiter = delimiter.get_untracked();
    let title = if editing.is_some() {
        format!("Edit {}", start.name)
    } else {
        "Add a data source".to_string()
    };

    view! {
        <form class="panel source-form" aria-labelledby="source-form-title" data-testid="source-form"
            on:submit=move |ev| { ev.prevent_default(); submit(); }>
            <h2 id="source-form-title" tabindex="-1">{title}</h2>
            <div class="form-grid">
                <div class="field">
                    <label for="source-name">"POM data source name"</label>
                    <input id="source-name" type="text" autocomplete="off" spellcheck="false" prop:value=move || name.get()
                        aria-invalid=invalid(problems, |p| &p.name) aria-describedby="source-name-error"
                        on:input=move |ev| name.set(event_target_value(&ev))/>
                    <span id="source-name-error" class="field-error">{message(problems, |p| &p.name)}</span>
                </div>
                <div class="field">
                    <label for="source-organization">"Organization"</label>
                    <select id="source-organization" aria-invalid=invalid(problems, |p| &p.organization)
                        aria-describedby="source-organization-error"
                        on:change=move |ev| { organization.set(event_target_value(&ev)); list_name.set(String::new()); }>
                        <option value="" selected=start.organization.is_empty()>"Choose an organization"</option>
                        {organizations.into_iter().map(|o| {
                            let selected = o == start.organization;
                            view! { <option value=o.clone() selected=selected>{o.clone()}</option> }
                        }).collect_view()}
                    </select>
                    <span id="source-organization-error" class="field-error">{message(problems, |p| &p.organization)}</span>
                </div>
                <div class="field">
                    <label for="source-list">"Contact list"</label>
                    <select id="source-list" aria-invalid=invalid(problems, |p| &p.list_name) aria-describedby="source-list-error"
                        on:change=move |ev| choose_list(event_target_value(&ev))>
                        <option value="" prop:selected=move || list_name.with(String::is_empty)>
                            {move || if organization.with(String::is_empty) { "Choose the organization first" } else { "Choose a contact list" }}
                        </option>
                        {move || lists.get().into_iter().map(|l| {
                            let value = l.clone();
                            let mine = l.clone();
                            view! { <option value=value prop:selected=move || list_name.with(|c| *c == mine)>{l}</option> }
                        }).collect_view()}
                    </select>
                    <span id="source-list-error" class="field-error">{message(problems, |p| &p.list_name)}</span>
                </div>
                <div class="field">
                    <label for="source-remote-path">"File on the SFTP drop"</label>
                    <input id="source-remote-path" type="text" autocomplete="off" spellcheck="false" placeholder="/ocm/<list>.csv"
                        prop:value=move || remote_path.get() aria-invalid=invalid(problems, |p| &p.remote_path)
                        aria-describedby="source-remote-path-error source-remote-path-note"
                        on:input=move |ev| remote_path.set(event_target_value(&ev))/>
                    <span id="source-remote-path-error" class="field-error">{message(problems, |p| &p.remote_path)}</span>
                    <span id="source-remote-path-note" class="muted small">"Where POM's data source reads its file, e.g. /ocm/Sales_Leads.csv."</span>
                </div>
            </div>
            <fieldset class="choices" aria-describedby="source-kind-error">
                <legend>"Type"</legend>
                <div class="radio">
                    <input type="radio" id="source-kind-append" name="kind" value="append" checked=start.kind != "replace"
                        on:change=move |_| kind.set("append".into())/>
                    <label for="source-kind-append">"Append: adds the file's contacts to the list"</label>
                </div>
                <div class="radio">
                    <input type="radio" id="source-kind-replace" name="kind" value="replace" checked=start.kind == "replace"
                        on:change=move |_| kind.set("replace".into())/>
                    <label for="source-kind-replace">"Replace: POM empties the list, then imports the file"</label>
                </div>
                <span id="source-kind-error" class="field-error">{message(problems, |p| &p.kind)}</span>
            </fieldset>
            <Show when=move || kind.with(|k| k == "replace")>
                <p class="notice warn small" data-testid="source-replace-warning">
                    "Every upload through a replace data source deletes every contact of the list that is not in the file. Uploads to it ask for a confirmation."
                </p>
            </Show>
            <div class="field-row">
                <div class="field">
                    <label for="source-delimiter">"Delimiter"</label>
                    <select id="source-delimiter" aria-invalid=invalid(problems, |p| &p.delimiter) aria-describedby="source-delimiter-error"
                        on:change=move |ev| delimiter.set(event_target_value(&ev))>
                        {DELIMITERS.into_iter().map(|(value, words)| view! {
                            <option value=value selected=value == chosen_delimiter>{words}</option>
                        }).collect_view()}
                    </select>
                    <span id="source-delimiter-error" class="field-error">{message(problems, |p| &p.delimiter)}</span>
                </div>
                <div class="field checkbox">
                    <input type="checkbox" id="source-header-row" checked=start.header_row
                        on:change=move |ev| header_row.set(event_target_checked(&ev))/>
                    <label for="source-header-row">"The file has a header row"</label>
                </div>
            </div>
            <div class="field">
                <label for="source-columns">"Columns"</label>
                <input id="source-columns" type="text" autocomplete="off" spellcheck="false" class="wide-input"
                    placeholder="userContactId, firstName, lastName, phoneNumber1"
                    prop:value=move || columns.get() aria-invalid=invalid(problems, |p| &p.columns)
                    aria-describedby="source-columns-error source-columns-note"
                    on:input=move |ev| columns.set(event_target_value(&ev))/>
                <span id="source-columns-error" class="field-error">{message(problems, |p| &p.columns)}</span>
                <span id="source-columns-note" class="muted small">"Attributes in order, comma-separated; empty = header names."</span>
            </div>
            {move || problems.with(|p| p.other.clone()).map(|m| view! { <p class="notice error" role="alert" data-testid="source-error">{m}</p> })}
            <div class="actions">
                <button type="submit" class="primary" data-testid="source-save" disabled=move || busy.get()>
                    {if editing.is_some() { "Save changes" } else { "Add data source" }}
                </button>
                {editing.map(|_| view! {
                    <button type="button" data-testid="source-cancel" on:click=move |_| on_cancel.run(())>"Cancel"</button>
                })}
            </div>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::suggested_path;

    #[test]
    fn the_path_follows_the_list_name() {
        assert_eq!(suggested_path("Sales_Leads"), "/ocm/Sales_Leads.csv");
    }
}
