//! Adding or changing a data source mapping: POM's data source name, the organization and its
//! contact list, append or replace (with what replace means), the file's path on the SFTP drop,
//! and the layout the data source reads (delimiter, header row, columns); the groups of fields
//! are in `fields.rs`. Checked as typed once tried, then saved.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::checks::Problems;
use super::fields::{invalid, message, KindFields, LayoutFields, TargetFields};
use super::table::delimiter_word;
use crate::model::{DataSourceInput, DataSourceRow, UploadTarget};
use crate::pages::dnc_upload::focus_later;
use crate::server_fns::uploads::save_data_source;

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
                <TargetFields targets=targets organization=organization list_name=list_name
                    remote_path=remote_path problems=problems/>
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
            <KindFields kind=kind problems=problems/>
            <LayoutFields delimiter=delimiter header_row=header_row columns=columns problems=problems/>
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
