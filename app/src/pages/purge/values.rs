//! The value inputs, which depend on the operator: one text box, two dates for "between", or a
//! box of several values that can also be filled from a CSV or text file read in the browser.

use leptos::prelude::*;

use super::form::{split_values, Form};
use crate::components::file_text::read_chosen_file;
use crate::components::pager::thousands;
use crate::model::{AttributeKind, Operator};

/// One column of a CSV or text file: the column headed by `attribute` if the first row names it,
/// else the first column. Cells may be quoted; `;` and tab separators are recognised.
pub fn column_values(text: &str, attribute: &str) -> Vec<String> {
    let text = text.trim_start_matches('\u{feff}');
    let mut lines = text
        .lines()
        .filter(|line| !line.trim().is_empty())
        .peekable();
    let separator = match lines.peek() {
        Some(first) if first.contains('\t') => '\t',
        Some(first) if first.contains(';') && !first.contains(',') => ';',
        _ => ',',
    };
    let cells = |line: &str| -> Vec<String> {
        line.split(separator)
            .map(|cell| cell.trim().trim_matches('"').trim().to_string())
            .collect()
    };
    let header_column = lines.peek().and_then(|first| {
        cells(first)
            .iter()
            .position(|cell| !attribute.is_empty() && cell.eq_ignore_ascii_case(attribute))
    });
    if header_column.is_some() {
        lines.next();
    }
    let column = header_column.unwrap_or(0);
    lines
        .filter_map(|line| cells(line).into_iter().nth(column))
        .filter(|value| !value.is_empty())
        .collect()
}

/// Reads the chosen file into the values box (browser only: the server never sees the event).
fn read_file(ev: leptos::ev::Event, form: Form, note: RwSignal<Option<String>>) {
    read_chosen_file(
        ev,
        VALUES_FILE_MAX_BYTES,
        move |name, text| {
            let values = column_values(&text, &form.fields.attribute.get_untracked());
            note.set(Some(format!(
                "Read {} values from {name}.",
                thousands(values.len() as i64)
            )));
            form.fields.values_text.set(values.join("\n"));
            form.touch("values");
        },
        move |problem| note.set(Some(problem)),
    );
}

/// A values file larger than this is not read (10,000 values of a few dozen characters).
const VALUES_FILE_MAX_BYTES: u64 = 4 * 1024 * 1024;

/// The inputs for the values of the chosen operator.
#[component]
pub fn ValuesField(form: Form) -> impl IntoView {
    let fields = form.fields;
    let error = move || form.message("values");
    let invalid = move || error().is_some().then_some("true");
    let note = RwSignal::new(None::<String>);
    let is_date = move || form.kind() == Some(AttributeKind::Date);
    let input = move |signal: RwSignal<String>,
                      id: &'static str,
                      label: &'static str,
                      kind: &'static str| {
        view! {
            <div class="field">
                <label for=id>{label}</label>
                <input id=id name=id type=kind autocomplete="off" prop:value=move || signal.get()
                    placeholder=move || is_date().then_some("YYYY-MM-DD")
                    aria-invalid=invalid aria-describedby="purge-values-error"
                    on:input=move |ev| { signal.set(event_target_value(&ev)); form.touch("values"); }/>
            </div>
        }
    };
    let inputs = move || {
        match fields.operator.get() {
        Operator::IsEmpty => view! { <p class="muted field-note">"“is empty” needs no value."</p> }.into_any(),
        Operator::Between => view! {
            <div class="field-row">
                {input(fields.value, "purge-value", "From date", "date")}
                {input(fields.value_end, "purge-value-2", "To date", "date")}
            </div>
        }
        .into_any(),
        Operator::In | Operator::NotEquals => view! {
            <div class="field">
                <label for="purge-values">"Values (one per line or comma-separated)"</label>
                <textarea id="purge-values" name="purge-values" rows="5" prop:value=move || fields.values_text.get()
                    aria-invalid=invalid aria-describedby="purge-values-error purge-values-count"
                    on:input=move |ev| { fields.values_text.set(event_target_value(&ev)); form.touch("values"); }>
                </textarea>
                <span id="purge-values-count" class="muted small">
                    {move || {
                        let count = fields.values_text.with(|t| split_values(t).len());
                        format!("{} {}", thousands(count as i64), if count == 1 { "value" } else { "values" })
                    }}
                </span>
            </div>
            <div class="field">
                <label for="purge-values-file">"Or read the values from a file (.csv, .txt)"</label>
                <input id="purge-values-file" name="purge-values-file" type="file" accept=".csv,.txt"
                    aria-describedby="purge-values-file-note"
                    on:change=move |ev| read_file(ev, form, note)/>
                <span id="purge-values-file-note" class="muted small" aria-live="polite">
                    {move || note.get().unwrap_or_else(|| "The column named like the attribute, else the first column.".into())}
                </span>
            </div>
        }
        .into_any(),
        _ => input(fields.value, "purge-value", "Value", "text").into_any(),
    }
    };
    view! {
        <fieldset class="values">
            // The inputs carry their own visible labels; the legend names the group for screen readers.
            <legend class="sr-only">"Values to compare with"</legend>
            {inputs}
            <span id="purge-values-error" class="field-error" data-testid="purge-values-error">{error}</span>
        </fieldset>
    }
}

#[cfg(test)]
mod tests {
    use super::column_values;

    #[test]
    fn the_attribute_column_is_taken_when_the_header_names_it() {
        let csv = "\u{feff}ID;\"CUSTOMER_NO\"\n1;\"A-1\"\n2;A-2\n\n3;\n";
        assert_eq!(column_values(csv, "customer_no"), ["A-1", "A-2"]);
    }

    #[test]
    fn otherwise_the_first_column_of_every_row() {
        assert_eq!(
            column_values("A-1,x\nA-2,y\r\n", "CUSTOMER_NO"),
            ["A-1", "A-2"]
        );
        assert_eq!(column_values("A-1\tx\nA-2\ty", ""), ["A-1", "A-2"]);
    }
}
