//! How a page says that what its address names could not be loaded: the message, and on the
//! server the HTTP status that goes with it (404 for nothing there, 403 for a refusal, …), so
//! that a missing page never answers 200. Also the numeric id in a page's path.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::error::AppError;

/// Sets the status of the page's HTTP response (server side; nothing in the browser).
pub fn set_status(code: u16) {
    #[cfg(feature = "ssr")]
    if let (Some(response), Ok(status)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        axum::http::StatusCode::from_u16(code),
    ) {
        response.set_status(status);
    }
    #[cfg(not(feature = "ssr"))]
    let _ = code;
}

/// The error of a page's main load, with its status.
#[component]
pub fn LoadError(error: AppError) -> impl IntoView {
    set_status(error.status_code());
    view! { <p class="notice error" role="alert" data-testid="load-error">{error.to_string()}</p> }
}

/// `text` as the id of `what` ("a contact list"): positive whole numbers only.
pub fn parse_id(text: Option<&str>, what: &str) -> Result<i64, AppError> {
    let text = text.unwrap_or_default();
    text.parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or_else(|| AppError::BadId {
            what: what.to_string(),
            text: text.chars().take(40).collect(),
        })
}

/// The `:id` of the page's path as the id of `what`.
pub fn path_id(what: &'static str) -> Memo<Result<i64, AppError>> {
    let params = use_params_map();
    Memo::new(move |_| params.with(|p| parse_id(p.get("id").as_deref(), what)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_positive_whole_numbers() {
        assert_eq!(parse_id(Some("42"), "a contact list"), Ok(42));
        let error = parse_id(Some("abc"), "a contact list").unwrap_err();
        assert_eq!(
            error.to_string(),
            "“abc” is not a contact list id: ids are whole numbers."
        );
        assert_eq!(error.status_code(), 404);
        assert!(parse_id(Some("0"), "a purge run").is_err());
        assert!(parse_id(Some("-3"), "a purge run").is_err());
        assert!(parse_id(None, "a purge run").is_err());
    }
}
