//! The data-source form's groups of fields: where the file goes (organization and contact list,
//! which suggest the path), append or replace, and the layout the data source reads. Each shows
//! its fields' problems from the form.

use leptos::prelude::*;

use super::checks::Problems;
use crate::model::UploadTarget;

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
pub fn message(
    problems: RwSignal<Problems>,
    pick: fn(&Problems) -> &Option<String>,
) -> impl Fn() -> Option<String> + Copy {
    move || problems.with(|p| pick(p).clone())
}

/// A field's `aria-invalid`, from the form's problems.
pub fn invalid(
    problems: RwSignal<Problems>,
    pick: fn(&Problems) -> &Option<String>,
) -> impl Fn() -> Option<&'static str> + Copy {
    move || problems.with(|p| pick(p).is_some().then_some("true"))
}

/// The organization and its contact list (`targets` offer them); choosing a list suggests the
/// file's path until a path is typed.
#[component]
pub fn TargetFields(
    targets: Vec<UploadTarget>,
    organization: RwSignal<String>,
    list_name: RwSignal<String>,
    remote_path: RwSignal<String>,
    problems: RwSignal<Problems>,
) -> impl IntoView {
    let initial = organization.get_untracked();
    let mut organizations: Vec<String> = targets.iter().map(|t| t.organization.clone()).collect();
    organizations.sort();
    organizations.dedup();
    let targets = StoredValue::new(targets);
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

    view! {
        <div class="field">
            <label for="source-organization">"Organization"</label>
            <select id="source-organization" aria-invalid=invalid(problems, |p| &p.organization)
                aria-describedby="source-organization-error"
                on:change=move |ev| { organization.set(event_target_value(&ev)); list_name.set(String::new()); }>
                <option value="" selected=initial.is_empty()>"Choose an organization"</option>
                {organizations.into_iter().map(|o| {
                    let selected = o == initial;
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
    }
}

/// Append or replace, with what replace does to the list.
#[component]
pub fn KindFields(kind: RwSignal<String>, problems: RwSignal<Problems>) -> impl IntoView {
    let replace = kind.with_untracked(|k| k == "replace");
    view! {
        <fieldset class="choices" aria-describedby="source-kind-error">
            <legend>"Type"</legend>
            <div class="radio">
                <input type="radio" id="source-kind-append" name="kind" value="append" checked=!replace
                    on:change=move |_| kind.set("append".into())/>
                <label for="source-kind-append">"Append: adds the file's contacts to the list"</label>
            </div>
            <div class="radio">
                <input type="radio" id="source-kind-replace" name="kind" value="replace" checked=replace
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
    }
}

/// The file's layout: delimiter, header row and the columns in order.
#[component]
pub fn LayoutFields(
    delimiter: RwSignal<String>,
    header_row: RwSignal<bool>,
    columns: RwSignal<String>,
    problems: RwSignal<Problems>,
) -> impl IntoView {
    let chosen_delimiter = delimiter.get_untracked();
    view! {
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
                <input type="checkbox" id="source-header-row" checked=header_row.get_untracked()
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
