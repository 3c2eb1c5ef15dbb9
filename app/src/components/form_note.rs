//! What forms share: the server's refusal split into the message for a named field and
//! the message for the form as a whole.

use leptos::prelude::*;

use crate::components::format::error_text;
use crate::error::AppError;

/// The message for `field` if the refusal names it.
pub fn field_problem(error: &Option<AppError>, field: &str) -> Option<String> {
    match error {
        Some(AppError::Validation {
            field: named,
            message,
        }) if named == field => Some(message.clone()),
        _ => None,
    }
}

/// The message for the form: any refusal that names none of `fields`.
pub fn form_problem(error: &Option<AppError>, fields: &[&str]) -> Option<String> {
    match error {
        Some(AppError::Validation { field, .. }) if fields.contains(&field.as_str()) => None,
        Some(error) => Some(error_text(error)),
        None => None,
    }
}

/// The message under a field, tied to it for screen readers by `id`.
#[component]
pub fn FieldNote(
    id: String,
    error: RwSignal<Option<AppError>>,
    field: &'static str,
) -> impl IntoView {
    view! {
        {move || error.with(|e| field_problem(e, field)).map(|message| view! {
            <p class="field-error" id=id.clone() role="alert">{message}</p>
        })}
    }
}

/// The form-wide message, if any.
#[component]
pub fn FormNote(
    error: RwSignal<Option<AppError>>,
    fields: &'static [&'static str],
) -> impl IntoView {
    view! {
        {move || error.with(|e| form_problem(e, fields)).map(|message| view! {
            <p class="notice error" role="alert">{message}</p>
        })}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refusal_goes_to_its_field_or_to_the_form() {
        let named = Some(AppError::validation("username", "is taken"));
        assert_eq!(
            field_problem(&named, "username").as_deref(),
            Some("is taken")
        );
        assert_eq!(field_problem(&named, "role"), None);
        assert_eq!(form_problem(&named, &["username"]), None);
        assert!(form_problem(&named, &["role"]).is_some());
        assert!(form_problem(&Some(AppError::Forbidden), &["username"]).is_some());
    }
}
