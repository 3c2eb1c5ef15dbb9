//! Reading the file differently: another column, delimiter or sheet, and the pre-flight again.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::components::format::error_text;
use crate::error::AppError;
use crate::model::{DncUploadView, PreflightOptions};
use crate::server_fns::dnc::dnc_preflight;

/// The delimiters offered, as (value sent, words); the empty value lets the server detect it.
const DELIMITERS: [(&str, &str); 5] = [
    ("", "Detect"),
    (",", "Comma ,"),
    (";", "Semicolon ;"),
    ("tab", "Tab"),
    ("|", "Pipe |"),
];

/// The delimiter select's value for the delimiter in use (a tab arrives as the character).
fn delimiter_value(delimiter: Option<&str>) -> String {
    match delimiter {
        Some("\t") => "tab".into(),
        Some(other) => other.into(),
        None => String::new(),
    }
}

/// Delimiters only mean something in text files; spreadsheets have cells.
fn is_text(format: &str) -> bool {
    let format = format.to_ascii_uppercase();
    format.starts_with("CSV") || format.starts_with("TXT") || format.starts_with("TEXT")
}

/// The column's name in the select; an unnamed column by its position.
fn column_label(index: usize, name: &str) -> String {
    if name.trim().is_empty() {
        format!("Column {}", index + 1)
    } else {
        format!("{}. {name}", index + 1)
    }
}

/// The options form; `replace` shows the pre-flight the server answers with and moves focus.
#[component]
pub fn OptionsForm(
    upload: DncUploadView,
    replace: Callback<(DncUploadView, &'static str)>,
) -> impl IntoView {
    let upload_id = upload.upload_id;
    let show_delimiter = upload.delimiter.is_some() || is_text(&upload.format);
    let show_sheet = upload.sheets.len() > 1;
    let column = RwSignal::new(upload.column.to_string());
    let delimiter = RwSignal::new(delimiter_value(upload.delimiter.as_deref()));
    let current_sheet = upload
        .sheet
        .clone()
        .or_else(|| upload.sheets.first().cloned())
        .unwrap_or_default();
    let sheet = RwSignal::new(current_sheet.clone());
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<AppError>);

    let submit = move || {
        let options = PreflightOptions {
            delimiter: Some(delimiter.get_untracked()).filter(|d| show_delimiter && !d.is_empty()),
            sheet: Some(sheet.get_untracked()).filter(|s| show_sheet && !s.is_empty()),
            column: column.get_untracked().parse().ok(),
        };
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            match dnc_preflight(upload_id, options).await {
                Ok(view) => replace.run((view, "dnc-counts-title")),
                Err(problem) => error.set(Some(problem)),
            }
            busy.set(false);
        });
    };
    let current_delimiter = delimiter.get_untracked();
    let current_column = upload.column as usize;
    // One column, no delimiter and one sheet leave nothing to choose.
    if upload.columns.len() < 2 && !show_delimiter && !show_sheet {
        return ().into_any();
    }
    let column_field = (!upload.columns.is_empty()).then(|| {
        let options = upload
            .columns
            .iter()
            .enumerate()
            .map(|(index, name)| {
                view! { <option value=index selected=index == current_column>{column_label(index, name)}</option> }
            })
            .collect_view();
        view! {
            <div class="field">
                <label for="dnc-column">"Column"</label>
                <select id="dnc-column" name="column" on:change=move |ev| column.set(event_target_value(&ev))>
                    {options}
                </select>
            </div>
        }
    });
    let delimiter_field = show_delimiter.then(|| {
        let options = DELIMITERS
            .into_iter()
            .map(|(value, words)| {
                view! { <option value=value selected=value == current_delimiter>{words}</option> }
            })
            .collect_view();
        view! {
            <div class="field">
                <label for="dnc-delimiter">"Delimiter"</label>
                <select id="dnc-delimiter" name="delimiter" on:change=move |ev| delimiter.set(event_target_value(&ev))>
                    {options}
                </select>
            </div>
        }
    });
    let sheet_field = show_sheet.then(|| {
        let options = upload
            .sheets
            .iter()
            .map(|name| {
                view! { <option value=name.clone() selected=*name == current_sheet>{name.clone()}</option> }
            })
            .collect_view();
        view! {
            <div class="field">
                <label for="dnc-sheet">"Sheet"</label>
                <select id="dnc-sheet" name="sheet" on:change=move |ev| sheet.set(event_target_value(&ev))>
                    {options}
                </select>
            </div>
        }
    });

    view! {
        <form class="filters dnc-options" aria-labelledby="dnc-options-title"
            on:submit=move |ev| { ev.prevent_default(); submit(); }>
            <h2 id="dnc-options-title" class="sr-only">"Read the file differently"</h2>
            {column_field}
            {delimiter_field}
            {sheet_field}
            <div class="actions">
                <button type="submit" data-testid="dnc-recheck" disabled=move || busy.get()>
                    {move || if busy.get() { "Checking…" } else { "Check again" }}
                </button>
                <span class="muted small">"Read the file with other choices before sending."</span>
            </div>
            {move || error.get().map(|problem| view! {
                <p class="notice error" role="alert" data-testid="dnc-options-error">{error_text(&problem)}</p>
            })}
        </form>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_delimiter_in_use_is_selected_and_only_text_has_one() {
        assert_eq!(delimiter_value(Some("\t")), "tab");
        assert_eq!(delimiter_value(Some(";")), ";");
        assert_eq!(delimiter_value(None), "");
        assert!(is_text("CSV (UTF-8, ';')"));
        assert!(!is_text("XLSX"));
        assert_eq!(column_label(0, "Phone"), "1. Phone");
        assert_eq!(column_label(2, " "), "Column 3");
    }
}
