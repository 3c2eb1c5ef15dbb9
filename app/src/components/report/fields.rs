//! The report kit's filter fields, described as data (dates, text, choices) and rendered as the
//! inputs of a report's form, a date's problem shown beside it.

use leptos::prelude::*;

use crate::components::date_filter::date_error;
use crate::error::AppError;

/// What kind of input a filter is.
#[derive(Debug, Clone, PartialEq)]
pub enum FieldKind {
    /// A `YYYY-MM-DD` date, checked in the browser's words first, then the server's.
    Date,
    /// Free text with a hint; `spellcheck="false"` for names and addresses.
    Text {
        placeholder: &'static str,
        spellcheck: bool,
    },
    /// One of `options` (value, words); the first is usually "All …" with an empty value.
    Select { options: Vec<(String, String)> },
    /// Any of `options` (none chosen: no filter); sent as repeated keys.
    MultiSelect { options: Vec<(String, String)> },
    /// Carried unchanged (a filter set by the page that links here, not by the form).
    Hidden,
}

/// One filter of a report's form: its URL key, its label, its current value(s) and its kind.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub name: &'static str,
    pub label: &'static str,
    pub values: Vec<String>,
    pub kind: FieldKind,
}

impl Field {
    pub fn date(name: &'static str, label: &'static str, value: &Option<String>) -> Self {
        Field::new(
            name,
            label,
            value.iter().cloned().collect(),
            FieldKind::Date,
        )
    }

    pub fn text(
        name: &'static str,
        label: &'static str,
        value: &Option<String>,
        placeholder: &'static str,
    ) -> Self {
        let kind = FieldKind::Text {
            placeholder,
            spellcheck: true,
        };
        Field::new(name, label, value.iter().cloned().collect(), kind)
    }

    /// A text field for names and addresses the browser should not mark as misspelt.
    pub fn verbatim(
        name: &'static str,
        label: &'static str,
        value: &Option<String>,
        placeholder: &'static str,
    ) -> Self {
        let kind = FieldKind::Text {
            placeholder,
            spellcheck: false,
        };
        Field::new(name, label, value.iter().cloned().collect(), kind)
    }

    /// A choice; a chosen value the options lack (the answer brought no choices, as when the
    /// server refused the filters, or the value is gone) is offered as it is, so the form still
    /// shows, and the next Apply still sends, what is filtered.
    pub fn select(
        name: &'static str,
        label: &'static str,
        value: impl Into<String>,
        mut options: Vec<(String, String)>,
    ) -> Self {
        let value = value.into();
        if !value.is_empty() && !options.iter().any(|(v, _)| *v == value) {
            options.push((value.clone(), value.clone()));
        }
        Field::new(name, label, vec![value], FieldKind::Select { options })
    }

    /// Several choices at once (a list box: Ctrl or Shift to choose more than one).
    pub fn multi_select(
        name: &'static str,
        label: &'static str,
        values: Vec<String>,
        options: Vec<(String, String)>,
    ) -> Self {
        Field::new(name, label, values, FieldKind::MultiSelect { options })
    }

    pub fn hidden(name: &'static str, value: Option<String>) -> Self {
        Field::new(name, "", value.into_iter().collect(), FieldKind::Hidden)
    }

    fn new(name: &'static str, label: &'static str, values: Vec<String>, kind: FieldKind) -> Self {
        Field {
            name,
            label,
            values,
            kind,
        }
    }

    fn value(&self) -> Option<String> {
        self.values.first().cloned()
    }
}

/// Choices whose value is also their words (actions, organizations).
pub fn plain_options(all: &str, values: impl IntoIterator<Item = String>) -> Vec<(String, String)> {
    std::iter::once((String::new(), all.to_string()))
        .chain(values.into_iter().map(|v| (v.clone(), v)))
        .collect()
}

/// One field with its label; its id is `id_prefix` + its name.
pub(super) fn field_view(id_prefix: &str, field: Field, error: &Option<AppError>) -> AnyView {
    let id = format!("{}{}", id_prefix, field.name);
    let name = field.name;
    let label = field.label;
    let value = field.value();
    let input = match field.kind {
        FieldKind::Hidden => {
            return value
                .map(|value| view! { <input type="hidden" name=name value=value/> })
                .into_any();
        }
        FieldKind::Date => {
            let problem = date_error(&value, name, error);
            let error_id = format!("{id}-error");
            view! {
                <input id=id name=name type="date" value=value
                    aria-invalid=problem.is_some().then_some("true") aria-describedby=error_id.clone()/>
                <span id=error_id class="field-error">{problem}</span>
            }
            .into_any()
        }
        FieldKind::Text {
            placeholder,
            spellcheck,
        } => view! {
            <input id=id name=name type="text" value=value placeholder=placeholder
                spellcheck=(!spellcheck).then_some("false")/>
        }
        .into_any(),
        FieldKind::Select { options } => view! {
            <select id=id name=name>{options_view(options, &field.values)}</select>
        }
        .into_any(),
        FieldKind::MultiSelect { options } => {
            let size = options.len().clamp(2, 4);
            let hint_id = format!("{id}-hint");
            view! {
                <select id=id name=name multiple size=size aria-describedby=hint_id.clone()>
                    {options_view(options, &field.values)}
                </select>
                <span id=hint_id class="muted small">"Ctrl or ⌘ to choose more than one"</span>
            }
            .into_any()
        }
    };
    let label_for = format!("{}{}", id_prefix, name);
    view! {
        <div class="field">
            <label for=label_for>{label}</label>
            {input}
        </div>
    }
    .into_any()
}

fn options_view(options: Vec<(String, String)>, chosen: &[String]) -> impl IntoView + use<> {
    options
        .into_iter()
        .map(|(value, words)| {
            let selected = chosen.contains(&value);
            view! { <option value=value selected=selected>{words}</option> }
        })
        .collect_view()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_options_start_with_everything() {
        let options = plain_options("All actions", vec!["login".to_string()]);
        assert_eq!(
            options,
            vec![
                (String::new(), "All actions".to_string()),
                ("login".to_string(), "login".to_string())
            ]
        );
    }

    #[test]
    fn a_chosen_value_missing_from_the_choices_stays_offered() {
        let field = Field::select(
            "action",
            "Action",
            "login.failed",
            plain_options("All actions", []),
        );
        match field.kind {
            FieldKind::Select { options } => assert_eq!(
                options.last(),
                Some(&("login.failed".to_string(), "login.failed".to_string()))
            ),
            other => panic!("a select, not {other:?}"),
        }
    }

    #[test]
    fn a_select_with_no_choice_selects_everything() {
        let field = Field::select("source", "Source", "", Vec::new());
        assert_eq!(field.value().as_deref(), Some(""));
        assert_eq!(Field::hidden("list_id", None).value(), None);
    }
}
