//! How an unsent upload's file is read and checked: header row, sheet (spreadsheets with several),
//! delimiter (text files), the date format, the DNC check and keeping the mapping as the list's
//! template. Any change but the template sets `dirty`.

use leptos::prelude::*;

use crate::model::date_format_options;

/// The delimiters offered, as (value sent, words).
const DELIMITERS: [(&str, &str); 4] = [
    (",", "Comma ,"),
    (";", "Semicolon ;"),
    ("tab", "Tab"),
    ("|", "Pipe |"),
];

/// Header row, sheet (offered when `sheets` has several), delimiter (offered when
/// `show_delimiter`) and the date format.
#[component]
pub fn ReadingChoices(
    has_header: RwSignal<bool>,
    sheets: Vec<String>,
    sheet: RwSignal<String>,
    show_delimiter: bool,
    delimiter: RwSignal<String>,
    date_format: RwSignal<String>,
    dirty: RwSignal<bool>,
) -> impl IntoView {
    let changed = move || dirty.set(true);
    let sheet_field = (sheets.len() > 1).then(|| {
        let current = sheet.get_untracked();
        view! {
            <div class="field">
                <label for="upload-sheet">"Sheet"</label>
                <select id="upload-sheet" on:change=move |ev| { sheet.set(event_target_value(&ev)); changed(); }>
                    {sheets.iter().map(|name| view! {
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
    }
}

/// The DNC check and keeping the mapping as the list's template.
#[component]
pub fn CheckOptions(
    dnc_check: RwSignal<bool>,
    save_template: RwSignal<bool>,
    dirty: RwSignal<bool>,
) -> impl IntoView {
    view! {
        <div class="radio">
            <input type="checkbox" id="upload-dnc-check" checked=dnc_check.get_untracked()
                on:change=move |ev| { dnc_check.set(event_target_checked(&ev)); dirty.set(true); }/>
            <label for="upload-dnc-check">"Check against DNC lists"</label>
            <span class="muted small">"Phone numbers and e-mail addresses on POM's DNC lists are rejected (small files only)."</span>
        </div>
        <div class="radio">
            <input type="checkbox" id="upload-save-template"
                on:change=move |ev| save_template.set(event_target_checked(&ev))/>
            <label for="upload-save-template">"Save as template for this list"</label>
            <span class="muted small">"The next upload to this list starts with this mapping and date format."</span>
        </div>
    }
}
