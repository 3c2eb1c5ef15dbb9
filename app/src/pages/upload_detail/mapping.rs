//! The column mapping and reading choices of an unsent upload: the mapping table
//! (`mapping_table.rs`: one row per file column with the POM attribute it goes to), how the file
//! is read and checked (`reading.rs`); "Check again" runs the pre-flight with them. Until it has,
//! the page does not send (what is sent is what was checked).

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::mapping_table::MappingTable;
use super::reading::{CheckOptions, ReadingChoices};
use crate::components::format::error_text;
use crate::error::AppError;
use crate::model::{UploadChoices, UploadPreflight, UploadView};
use crate::server_fns::uploads::check_upload;

/// The reading choices (`upload` in `preflight`); `dirty` turns on at any change and the
/// upload the server answers with goes to `on_checked`.
#[component]
pub fn MappingForm(
    upload: UploadView,
    preflight: UploadPreflight,
    attributes: Result<Vec<String>, AppError>,
    dirty: RwSignal<bool>,
    on_checked: Callback<UploadView>,
) -> impl IntoView {
    let upload_id = upload.upload_id;
    let choices = upload.choices;
    let (attributes, catalogue_error) = match attributes {
        Ok(names) => (names, None),
        Err(error) => (Vec::new(), Some(error_text(&error))),
    };
    let columns: Vec<(String, RwSignal<String>, bool)> = preflight
        .columns
        .iter()
        .map(|c| {
            let attribute = c.attribute.clone().unwrap_or_default();
            (c.header.clone(), RwSignal::new(attribute), c.automatic)
        })
        .collect();
    let headers = StoredValue::new(columns.clone());
    let has_header = RwSignal::new(preflight.has_header);
    let delimiter = RwSignal::new(preflight.delimiter.clone().unwrap_or_default());
    let sheet = RwSignal::new(
        preflight
            .sheet
            .clone()
            .or_else(|| preflight.sheets.first().cloned())
            .unwrap_or_default(),
    );
    let date_format = RwSignal::new(if choices.date_format.is_empty() {
        "ymd".to_string()
    } else {
        choices.date_format.clone()
    });
    let dnc_check = RwSignal::new(choices.dnc_check);
    let save_template = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<AppError>);
    let show_delimiter = preflight.delimiter.is_some();
    let show_sheet = preflight.sheets.len() > 1;

    let submit = move || {
        let mapping = headers.with_value(|columns| {
            columns
                .iter()
                .map(|(header, chosen, _)| {
                    (
                        header.clone(),
                        Some(chosen.get_untracked()).filter(|a| !a.is_empty()),
                    )
                })
                .collect()
        });
        let choices = UploadChoices {
            sheet: Some(sheet.get_untracked()).filter(|s| show_sheet && !s.is_empty()),
            delimiter: Some(delimiter.get_untracked()).filter(|d| show_delimiter && !d.is_empty()),
            has_header: Some(has_header.get_untracked()),
            mapping,
            date_format: date_format.get_untracked(),
            dnc_check: dnc_check.get_untracked(),
            save_template: save_template.get_untracked(),
        };
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            match check_upload(upload_id, choices).await {
                Ok(view) => on_checked.run(view),
                Err(problem) => error.set(Some(problem)),
            }
            busy.set(false);
        });
    };
    let mapping_error = move || match error.get() {
        Some(AppError::Validation { field, message }) if field == "mapping" => Some(message),
        _ => None,
    };
    let other_error = move || match error.get() {
        Some(AppError::Validation { field, .. }) if field == "mapping" => None,
        Some(problem) => Some(error_text(&problem)),
        None => None,
    };

    view! {
        <form class="mapping-form" aria-labelledby="upload-mapping-title"
            on:submit=move |ev| { ev.prevent_default(); submit(); }>
            <h2 id="upload-mapping-title">"Columns and choices"</h2>
            {catalogue_error.map(|message| view! {
                <p class="notice warn">{format!("POM's attribute catalogue could not be read, so only the current mapping can be kept: {message}")}</p>
            })}
            <MappingTable columns=columns attributes=attributes dirty=dirty/>
            <span class="field-error" role="alert" data-testid="upload-mapping-error">{mapping_error}</span>
            <ReadingChoices has_header=has_header sheets=preflight.sheets sheet=sheet
                show_delimiter=show_delimiter delimiter=delimiter date_format=date_format dirty=dirty/>
            <CheckOptions dnc_check=dnc_check save_template=save_template dirty=dirty/>
            <div class="actions">
                <button type="submit" data-testid="upload-recheck" disabled=move || busy.get()>
                    {move || if busy.get() { "Checking…" } else { "Check again" }}
                </button>
                <Show when=move || dirty.get()>
                    <span class="notice warn small" data-testid="upload-unchecked">"Changed: check again before sending."</span>
                </Show>
            </div>
            {move || other_error().map(|message| view! {
                <p class="notice error" role="alert" data-testid="upload-check-error">{message}</p>
            })}
        </form>
    }
}
