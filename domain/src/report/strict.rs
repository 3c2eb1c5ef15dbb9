//! Filters read strictly, for callers that must not run a report with less than they asked
//! for (the API, a schedule being saved): an unknown parameter or a value the report cannot read
//! is refused naming it, where a page's URL would quietly fall back to no filter.

use serde_json::Value;
use types::report::UrlQuery;

use super::Report;
use crate::error::AppError;

/// Names the query parameter `R` does not know or cannot read: each filter given must survive
/// the report's own reading (a value it cannot parse would otherwise be silently no filter).
/// `general` are parameters the caller reads itself (paging, sorting).
pub fn strict_filters<R: Report>(query: &str, general: &[&str]) -> Result<R::Filters, AppError> {
    let defaults = serde_json::to_value(R::Filters::default())
        .ok()
        .and_then(|v| v.as_object().cloned())
        .unwrap_or_default();
    let known: Vec<String> = defaults.keys().cloned().collect();
    // Optional filters (absent by default): a value given that the report drops was not read.
    // Others (a sort with its default) may be given as their default, which the URL leaves out.
    let optional = |key: &str| defaults.get(key).is_some_and(Value::is_null);
    let pairs: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    // A field left out of the default's serialisation (a sort at its default) is known by what
    // its value does to the filters.
    let defaults_value = serde_json::to_value(R::Filters::default()).unwrap_or_default();
    let moves = |key: &str, value: &str| {
        let one = form_urlencoded::Serializer::new(String::new())
            .append_pair(key, value)
            .finish();
        serde_json::to_value(R::Filters::from_query_string(&one)).unwrap_or_default()
            != defaults_value
    };
    if let Some((key, _)) = pairs
        .iter()
        .find(|(k, v)| !known.contains(k) && !general.contains(&k.as_str()) && !moves(k, v))
    {
        let detail = format!(
            "This report has no parameter {key}; its filters: {}.",
            known.join(", ")
        );
        return Err(AppError::validation(key.clone(), detail));
    }
    let filters = R::Filters::from_query_string(query);
    let kept: Vec<String> = form_urlencoded::parse(filters.to_query_string().as_bytes())
        .map(|(k, _)| k.into_owned())
        .collect();
    if let Some((key, value)) = pairs
        .iter()
        .find(|(k, v)| optional(k) && !v.trim().is_empty() && !kept.contains(k))
    {
        let shown: String = value.chars().take(60).collect();
        return Err(AppError::validation(
            key.clone(),
            format!("“{shown}” is not a value this filter takes."),
        ));
    }
    Ok(filters)
}
