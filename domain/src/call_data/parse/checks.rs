//! Values the contract's types let through but Postgres or a summary would refuse: checked here
//! so such a record is kept aside (or skipped) with its reason instead of stopping its page.

use serde_json::Value;

/// The largest sale amount taken, in hundredths (ten thousand million): sums of many stay far
/// inside a `bigint`.
pub const MAX_AMOUNT_MINOR: i64 = 1_000_000_000_000;

/// Whether `line` holds an escaped NUL (`\u0000`), which Postgres cannot store in text or jsonb.
/// A backslash written as `\\` before `u0000` is text, not an escape.
pub fn has_nul_escape(line: &str) -> bool {
    line.match_indices("u0000").any(|(at, _)| {
        let slashes = line[..at].bytes().rev().take_while(|b| *b == b'\\').count();
        slashes % 2 == 1
    })
}

/// Whether any string (or key) in `value` holds a NUL character.
pub fn holds_nul(value: &Value) -> bool {
    match value {
        Value::String(s) => s.contains('\0'),
        Value::Array(items) => items.iter().any(holds_nul),
        Value::Object(map) => map.iter().any(|(k, v)| k.contains('\0') || holds_nul(v)),
        _ => false,
    }
}

/// Whether a job event's `list_sizes` is a list of objects whose `contacts` is a whole,
/// non-negative number (the job summary adds them up).
pub fn list_sizes_ok(list_sizes: &Value) -> bool {
    list_sizes.as_array().is_some_and(|lists| {
        lists.iter().all(|list| {
            list.get("contacts")
                .and_then(Value::as_i64)
                .is_some_and(|n| n >= 0)
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nul_escapes_are_told_from_escaped_backslashes() {
        assert!(has_nul_escape(r#"{"a":"x\u0000"}"#));
        assert!(!has_nul_escape(r#"{"a":"x\\u0000"}"#));
        assert!(has_nul_escape(r#"{"a":"x\\\u0000"}"#));
        assert!(!has_nul_escape(r#"{"a":"u0000"}"#));
    }

    #[test]
    fn list_sizes_must_be_lists_with_whole_counts() {
        assert!(list_sizes_ok(
            &serde_json::json!([{"list": "A", "contacts": 3}])
        ));
        assert!(list_sizes_ok(&serde_json::json!([])));
        assert!(!list_sizes_ok(&serde_json::json!({"list": "A"})));
        assert!(!list_sizes_ok(
            &serde_json::json!([{"list": "A", "contacts": 1.5}])
        ));
        assert!(!list_sizes_ok(
            &serde_json::json!([{"list": "A", "contacts": -1}])
        ));
        assert!(!list_sizes_ok(&serde_json::json!([{"list": "A"}])));
    }
}
