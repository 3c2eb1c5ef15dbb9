//! JSON request bodies: `Content-Type: application/json` required (415 otherwise), decoded
//! with problems that name the field at fault (malformed JSON, a wrong type, an unknown or
//! missing field). The size is bounded before this by the API's body limit.

use axum::http::{header, HeaderMap, StatusCode};
use serde::de::DeserializeOwned;

use crate::edge::api::Problem;

/// Whether the request says its body is JSON.
fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        })
        .is_some_and(|v| v == "application/json" || v.ends_with("+json"))
}

/// The body as `T`.
pub fn json_body<T: DeserializeOwned>(headers: &HeaderMap, body: &[u8]) -> Result<T, Problem> {
    if !is_json(headers) {
        return Err(Problem::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "Send the body as JSON with Content-Type: application/json.",
        ));
    }
    // Every body the API takes is an object: serde would also read a struct from an array.
    let first = body.iter().find(|b| !b.is_ascii_whitespace());
    if first.is_some_and(|b| *b != b'{') {
        return Err(Problem::invalid("body", "The body must be a JSON object."));
    }
    let mut decoder = serde_json::Deserializer::from_slice(body);
    serde_path_to_error::deserialize(&mut decoder).map_err(|error| {
        // A syntax error before any field is at `?`: the body as a whole.
        let path = match error.path().to_string() {
            unknown if unknown == "?" => ".".to_string(),
            path => path,
        };
        let message = error.into_inner().to_string();
        // serde names an unknown or missing field only in its message, between backticks.
        let named = message.split('`').nth(1).filter(|_| path == ".");
        let field = match named {
            Some(name) => name.to_string(),
            None if path == "." => "body".to_string(),
            None => path,
        };
        Problem::invalid(field, format!("The body is not acceptable: {message}"))
    })
}

/// The body as `T`, or `T`'s default when there is no body at all (a call whose fields are all
/// optional may be sent without one).
pub fn optional_json_body<T: DeserializeOwned + Default>(
    headers: &HeaderMap,
    body: &[u8],
) -> Result<T, Problem> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(T::default());
    }
    json_body(headers, body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;
    use serde::Deserialize;

    #[derive(Debug, Default, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Body {
        phone: Option<String>,
        limit: Option<u32>,
    }

    fn json() -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json; charset=utf-8"),
        );
        headers
    }

    #[test]
    fn the_field_at_fault_is_named() {
        let unknown = json_body::<Body>(&json(), br#"{"fone": "1"}"#).unwrap_err();
        assert_eq!(unknown.field.as_deref(), Some("fone"));
        let wrong = json_body::<Body>(&json(), br#"{"limit": "ten"}"#).unwrap_err();
        assert_eq!(wrong.field.as_deref(), Some("limit"));
        let broken = json_body::<Body>(&json(), b"{").unwrap_err();
        assert_eq!(broken.field.as_deref(), Some("body"));
        let array = json_body::<Body>(&json(), b"[null, null]").unwrap_err();
        assert_eq!(array.field.as_deref(), Some("body"));
        assert!(json_body::<Body>(&json(), br#"{"phone": "1"}"#).is_ok());
    }

    #[test]
    fn an_absent_body_is_the_default() {
        assert!(optional_json_body::<Body>(&HeaderMap::new(), b"").is_ok());
        let refused = optional_json_body::<Body>(&HeaderMap::new(), b"{}").unwrap_err();
        assert_eq!(refused.status, 415, "a body says what it is");
    }

    #[test]
    fn another_content_type_is_refused() {
        let refused = json_body::<Body>(&HeaderMap::new(), b"{}").unwrap_err();
        assert_eq!(refused.status, 415);
    }
}
