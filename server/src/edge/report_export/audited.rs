//! The filters an export's audit record keeps. They come from the URL, so each text is cut to
//! [`MAX_FILTER_CHARS`] characters and each list to [`MAX_FILTER_ITEMS`] values: a request
//! cannot plant a huge audit row (which every later audit export would carry).

use serde_json::Value;

/// Characters kept of one filter value (the last one an ellipsis when cut).
pub const MAX_FILTER_CHARS: usize = 200;
/// Values kept of one list filter (the last one an ellipsis when cut).
pub const MAX_FILTER_ITEMS: usize = 20;

/// `filters` (a filter struct as JSON) with every text and list cut. The object's own fields are
/// the struct's, so cutting the values bounds the whole object.
pub fn bounded(filters: Value) -> Value {
    match filters {
        Value::String(text) => Value::String(cut(text)),
        Value::Array(mut items) => {
            if items.len() > MAX_FILTER_ITEMS {
                items.truncate(MAX_FILTER_ITEMS - 1);
                items.push(Value::String("…".into()));
            }
            Value::Array(items.into_iter().map(bounded).collect())
        }
        Value::Object(fields) => {
            Value::Object(fields.into_iter().map(|(k, v)| (k, bounded(v))).collect())
        }
        other => other,
    }
}

fn cut(text: String) -> String {
    if text.chars().nth(MAX_FILTER_CHARS).is_none() {
        return text;
    }
    let mut kept: String = text.chars().take(MAX_FILTER_CHARS - 1).collect();
    kept.push('…');
    kept
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn long_texts_and_lists_are_cut() {
        let filters = json!({
            "user": "é".repeat(40_000),
            "state": vec!["failed"; 1_000],
            "from": "2026-12-01",
            "list_id": 7,
            "to": null,
        });
        let kept = bounded(filters);
        let user = kept["user"].as_str().unwrap();
        assert_eq!(user.chars().count(), MAX_FILTER_CHARS);
        assert!(user.ends_with("é…"));
        let state = kept["state"].as_array().unwrap();
        assert_eq!(state.len(), MAX_FILTER_ITEMS);
        assert_eq!(state[MAX_FILTER_ITEMS - 1], "…");
        assert_eq!(kept["from"], "2026-12-01");
        assert_eq!(kept["list_id"], 7);
        assert!(kept["to"].is_null());
        let short = json!({ "user": "a".repeat(MAX_FILTER_CHARS), "state": ["failed"] });
        assert_eq!(
            bounded(short.clone()),
            short,
            "values within the bounds are kept"
        );
    }
}
