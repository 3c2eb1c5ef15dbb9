//! The column mapping and reading choices of an unsent upload: one row per file column with the
//! POM attribute it goes to (or left out; "auto" when OCM chose it from the header), whether the
//! first row is a header, the delimiter (text files) or sheet (spreadsheets), the date format,
//! the DNC check and keeping the mapping as the list's template; "Check again" runs the
//! pre-flight with them. Until it has, the page does not send (what is sent is what was checked).

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::error::AppError;
use crate::model::{date_format_options, UploadChoices, UploadPreflight, UploadView};
use crate::pages::dnc::error_text;
use crate::server_fns::uploads::check_upload;

/// The delimiters offered, as (value sent, words).
const DELIMITERS: [(&str, &str); 4] = [
    (",", "Comma ,"),
    (";", "Semicolon ;"),
    ("tab", "Tab"),
    ("|", "Pipe |"),
];

/// The column's name in the table; an unnamed column by its position.
fn column_name(index: usize, header: &str) -> String {
    if header.trim().is_empty() {
        format!("Column {}", index + 1)
    } else {
        header.to_string()
    }
}

/// The attribute select of column `index`; `chosen` holds the attribute ("" leaves it out).
fn attribute_select(
    index: usize,
    attributes: &[String],
    chosen: RwSignal<String>,
    dirty: RwSignal<bool>,
) -> impl IntoView {
    let current = chosen.get_untracked();
    let mut names = attributes.to_vec();
    if !current.is_empty() && !names.contains(&current) {
        names.insert(0, current.clone());
    }
    let options = names
        .into_iter()
        .map(|name| {
            let selected = name == current;
            view! { <option value=name.clone() selected=selected>{name.clone()}</option> }
        })
        .collect_view();
    view! {
        <select id=format!("map-{index}") aria-labelledby=format!("map-header-{index}")
            on:change=move |ev| { chosen.set(event_target_value(&ev)); dirty.set(true); }>
            <option value="" selected=current.is_empty()>"— leave out —"</option>
            {options}
        </select>
    }
}

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
    let changed = move || dirty.set(true);
    let rows = columns
        .into_iter()
        .enumerate()
        .map(|(index, (header, chosen, automatic))| {
            let original = chosen.get_untracked();
            let auto = move || (automatic && chosen.with(|c| *c == original)).then(|| view! {
                <span class="badge auto" title="Chosen by OCM from the column's name" data-testid="upload-map-auto">"auto"</span>
            });
            view! {
                <tr data-testid="upload-map-row" data-header=header.clone()>
                    <td class="num">{index + 1}</td>
                    <th scope="row" id=format!("map-header-{index}")>{column_name(index, &header)}</th>
                    <td>{attribute_select(index, &attributes, chosen, dirty)}</td>
                    <td>{auto}</td>
                </tr>
            }
        })
        .collect_view();
    let sheet_field = show_sheet.then(|| {
        let current = sheet.get_untracked();
        view! {
            <div class="field">
                <label for="upload-sheet">"Sheet"</label>
                <select id="upload-sheet" on:change=move |ev| { sheet.set(event_target_value(&ev)); changed(); }>
                    {preflight.sheets.iter().map(|name| view! {
                        <option value=name.clone() selected=*name == current>{name.clone()}</option>
                    }).collect_view()}
                </select>
            </div>
        }
    });
    let delimiter_field = show_delimiter.then(|| {
        let current = delimiter.get_untracked();
        view! {
            <div class="field">
                <label for="upload-delimiter">"Delimiter"</label>
                <select id="upload-delimiter" on:change=move |ev| { delimiter.set(event_target_value(&ev)); changed(); }>
                    {DELIMITERS.into_iter().map(|(value, words)| view! {
                        <option value=value selected=value == current>{words}</option>
                    }).collect_view()}
                </select>
            </div>
        }
    });
    let chosen_format = date_format.get_untracked();

    view! {
        <form class="mapping-form" aria-labelledby="upload-mapping-title"
            on:submit=move |ev| { ev.prevent_default(); submit(); }>
            <h2 id="upload-mapping-title">"Columns and choices"</h2>
            {catalogue_error.map(|message| view! {
                <p class="notice warn">{format!("POM's attribute catalogue could not be read, so only the current mapping can be kept: {message}")}</p>
            })}
            <div class="table-wrap narrow">
                <table class="data mapping" data-testid="upload-mapping">
                    <caption class="sr-only">"Which POM attribute each column of the file goes to"</caption>
                    <thead>
                        <tr>
                            <th scope="col" class="num">"#"</th>
                            <th scope="col">"Column in the file"</th>
                            <th scope="col">"POM attribute"</th>
                            <th scope="col"><span class="sr-only">"Chosen by"</span></th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            <span class="field-error" role="alert" data-testid="upload-mapping-error">{mapping_error}</span>
            <div class="field-row">
                <div class="radio">
                    <input type="checkbox" id="upload-has-header" checked=has_header.get_untracked()
                        on:change=move |ev| { has_header.set(event_target_checked(&ev)); changed(); }/>
                    <label for="upload-has-header">"The first row names the columns"</label>
                </div>
            </div>
            <div class="field-row">
                {sheet_field}
                {delimiter_field}
                <div class="field">
                    <label for="upload-date-format">"Dates in the file"</label>
                    <select id="upload-date-format" aria-describedby="upload-date-format-note"
                        on:change=move |ev| { date_format.set(event_target_value(&ev)); changed(); }>
                        {date_format_options().into_iter().map(|option| {
                            let selected = option.value == chosen_format;
                            view! { <option value=option.value selected=selected>{option.label}</option> }
                        }).collect_view()}
                    </select>
                    <span id="upload-date-format-note" class="muted small">"POM receives YYYY-MM-DD."</span>
                </div>
            </div>
            <div class="radio">
                <input type="checkbox" id="upload-dnc-check" checked=dnc_check.get_untracked()
                    on:change=move |ev| { dnc_check.set(event_target_checked(&ev)); changed(); }/>
                <label for="upload-dnc-check">"Check against DNC lists"</label>
                <span class="muted small">"Phone numbers and e-mail addresses on POM's DNC lists are rejected (small files only)."</span>
            </div>
            <div class="radio">
                <input type="checkbox" id="upload-save-template"
                    on:change=move |ev| save_template.set(event_target_checked(&ev))/>
                <label for="upload-save-template">"Save as template for this list"</label>
                <span class="muted small">"The next upload to this list starts with this mapping and date format."</span>
            </div>
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

#[cfg(test)]
mod tests {
    use super::column_name;

    #[test]
    fn unnamed_columns_go_by_position() {
        assert_eq!(column_name(0, "Mobile"), "Mobile");
        assert_eq!(column_name(2, " "), "Column 3");
    }
}
