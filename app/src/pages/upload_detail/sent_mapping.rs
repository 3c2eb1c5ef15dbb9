//! The mapping a sent upload used, read-only: which POM attribute each file column went to (or
//! that it was left out), and how the file was read, so a user can see what was sent where.

use leptos::prelude::*;

use super::mapping_table::column_name;
use crate::model::{UploadChoices, UploadPreflight};

/// How the file was read: sheet, delimiter, header row and date format, in a sentence.
fn reading_words(preflight: &UploadPreflight, choices: &UploadChoices) -> String {
    let mut parts = Vec::new();
    if let Some(sheet) = &preflight.sheet {
        parts.push(format!("sheet {sheet}"));
    }
    match preflight.delimiter.as_deref() {
        Some("tab") => parts.push("tabs between the columns".to_string()),
        Some(delimiter) => parts.push(format!("delimiter '{delimiter}'")),
        None => {}
    }
    parts.push(if preflight.has_header {
        "the first row as headings".to_string()
    } else {
        "no heading row".to_string()
    });
    let dates = match choices.date_format.as_str() {
        "dmy" => "dates as DD/MM/YYYY",
        "mdy" => "dates as MM/DD/YYYY",
        _ => "dates as YYYY-MM-DD",
    };
    parts.push(dates.to_string());
    format!("Read with {}.", parts.join(", "))
}

/// The mapping as sent; `choices` are the settled choices stored with the upload.
#[component]
pub fn SentMapping(preflight: UploadPreflight, choices: UploadChoices) -> impl IntoView {
    let reading = reading_words(&preflight, &choices);
    let rows = preflight
        .columns
        .iter()
        .enumerate()
        .map(|(index, column)| {
            let attribute = column.attribute.clone();
            let shown = match &attribute {
                Some(name) => view! { <code>{name.clone()}</code> }.into_any(),
                None => view! { <span class="muted">"Left out, not sent"</span> }.into_any(),
            };
            let by = if attribute.is_none() {
                ""
            } else if column.automatic {
                "OCM, from the column's name"
            } else {
                "The user or the list's template"
            };
            view! {
                <tr data-testid="upload-sent-map-row" data-header=column.header.clone()
                    data-attribute=attribute.unwrap_or_default()>
                    <td class="num">{index + 1}</td>
                    <th scope="row">{column_name(index, &column.header)}</th>
                    <td>{shown}</td>
                    <td class="muted small">{by}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="section" aria-labelledby="upload-sent-mapping-title">
            <h2 id="upload-sent-mapping-title">"Mapping used"</h2>
            <p class="muted">{reading}</p>
            <div class="table-wrap narrow" tabindex="0" role="region" aria-label="Mapping used">
                <table class="data mapping" data-testid="upload-sent-mapping">
                    <caption class="sr-only">"Which POM attribute each column of the file was sent to"</caption>
                    <thead>
                        <tr>
                            <th scope="col" class="num">"#"</th>
                            <th scope="col">"Column in the file"</th>
                            <th scope="col">"Sent as POM attribute"</th>
                            <th scope="col">"Chosen by"</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn preflight() -> UploadPreflight {
        UploadPreflight {
            delimiter: Some(";".into()),
            has_header: true,
            ..UploadPreflight::default()
        }
    }

    #[test]
    fn the_reading_choices_read_as_a_sentence() {
        let choices = UploadChoices {
            date_format: "dmy".into(),
            ..UploadChoices::default()
        };
        assert_eq!(
            reading_words(&preflight(), &choices),
            "Read with delimiter ';', the first row as headings, dates as DD/MM/YYYY."
        );
        let sheet = UploadPreflight {
            sheet: Some("Contacts".into()),
            delimiter: None,
            has_header: false,
            ..preflight()
        };
        assert_eq!(
            reading_words(&sheet, &UploadChoices::default()),
            "Read with sheet Contacts, no heading row, dates as YYYY-MM-DD."
        );
    }
}
