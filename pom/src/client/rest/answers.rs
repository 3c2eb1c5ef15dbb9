//! POM's JSON answers read tolerantly where the contract is unknown: lists bare or wrapped,
//! refusals inside a 200 answer, and the ids or addresses a call refused.

use serde::Deserialize;
use serde_json::{Map, Value};

use super::Rejected;
use crate::client::{excerpt, PomError};

pub(super) fn decode<T: for<'de> Deserialize<'de>>(what: &str, body: &str) -> Result<T, PomError> {
    serde_json::from_str(body).map_err(|_| PomError::Decode {
        what: what.into(),
        excerpt: excerpt(body),
    })
}

/// A list that may come bare (`[…]`) or wrapped in an object holding one array.
pub(in crate::client) fn tolerant_list<T: for<'de> Deserialize<'de>>(
    what: &str,
    body: &str,
) -> Result<Vec<T>, PomError> {
    let value: Value = decode(what, body)?;
    let array = match value {
        Value::Array(items) => items,
        Value::Object(map) => map
            .into_iter()
            .find_map(|(_, v)| match v {
                Value::Array(items) => Some(items),
                _ => None,
            })
            .unwrap_or_default(),
        _ => {
            return Err(PomError::Decode {
                what: what.into(),
                excerpt: excerpt(body),
            })
        }
    };
    array
        .into_iter()
        .map(|item| {
            serde_json::from_value(item).map_err(|e| PomError::Decode {
                what: what.into(),
                excerpt: e.to_string(),
            })
        })
        .collect()
}

/// The strings of an array, other values as JSON text.
fn string_list(value: Option<&Value>) -> Vec<String> {
    value
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .map(|v| {
                    v.as_str()
                        .map(str::to_string)
                        .unwrap_or_else(|| v.to_string())
                })
                .collect()
        })
        .unwrap_or_default()
}

/// POM's refusal inside a 200 answer (`errorCode`, `errorMessage`, `displayMessage`).
pub(super) fn refusal(value: &Map<String, Value>, fallback: &str) -> PomError {
    let text = |key: &str| value.get(key).and_then(Value::as_str).map(str::to_string);
    PomError::Status {
        status: 200,
        code: value.get("errorCode").map(|v| {
            v.as_str()
                .map(str::to_string)
                .unwrap_or_else(|| v.to_string())
        }),
        message: text("errorMessage").unwrap_or_else(|| fallback.to_string()),
        display: text("displayMessage"),
    }
}

/// The ids or addresses POM refused; `result: false` with none named is a refusal of the whole call.
pub(super) fn rejected_or_refusal(value: &Map<String, Value>) -> Result<Rejected, PomError> {
    let failed = string_list(
        value
            .get("failedContactIdList")
            .or(value.get("failedUserContactIds"))
            .or(value.get("failedAddresses")),
    );
    if value.get("result").and_then(Value::as_bool) == Some(false) && failed.is_empty() {
        return Err(refusal(value, "POM refused the request"));
    }
    Ok(Rejected(failed))
}
