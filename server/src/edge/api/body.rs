//! `ApiJson<T>`: a JSON body read within the API's size limit (the router's `DefaultBodyLimit`)
//! and decoded with the path of the field at fault, so a wrong type or an unknown field comes
//! back as `invalid_parameter` naming it. The raw bytes stay beside the value for the
//! idempotency fingerprint.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{header, StatusCode};
use serde::de::DeserializeOwned;

use super::problem::Problem;

/// A decoded JSON body and the bytes it came from.
pub struct ApiJson<T> {
    pub value: T,
    pub raw: Bytes,
}

/// Decodes `bytes`, naming the field at fault.
pub fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, Problem> {
    let mut reader = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut reader).map_err(|error| {
        let path = error.path().to_string();
        let inner = error.into_inner();
        let field = if path == "." || path.is_empty() {
            "body".to_string()
        } else {
            path
        };
        Problem::invalid(field, format!("The JSON body is not acceptable: {inner}"))
    })?;
    reader
        .end()
        .map_err(|e| Problem::invalid("body", format!("The JSON body is not acceptable: {e}")))?;
    Ok(value)
}

impl<S, T> FromRequest<S> for ApiJson<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = Problem;

    async fn from_request(request: Request, state: &S) -> Result<Self, Problem> {
        let is_json = request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .is_some_and(|v| {
                let v = v.trim();
                v.eq_ignore_ascii_case("application/json")
                    || v.to_ascii_lowercase().ends_with("+json")
            });
        if !is_json {
            return Err(Problem::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "Send the body as JSON with Content-Type: application/json.",
            ));
        }
        let raw = Bytes::from_request(request, state)
            .await
            .map_err(|rejection| {
                let status = rejection.status();
                if status == StatusCode::PAYLOAD_TOO_LARGE {
                    Problem::new(status, "body_too_large", rejection.body_text())
                } else {
                    Problem::new(status, "invalid_request", rejection.body_text())
                }
            })?;
        Ok(ApiJson {
            value: decode(&raw)?,
            raw,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Body {
        phone: String,
        nested: Option<Inner>,
    }
    #[derive(serde::Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Inner {
        count: u32,
    }

    #[test]
    fn problems_name_the_field() {
        let wrong_type = decode::<Body>(br#"{"phone": 5}"#).unwrap_err();
        assert_eq!(wrong_type.field.as_deref(), Some("phone"));
        let nested = decode::<Body>(br#"{"phone": "1", "nested": {"count": -1}}"#).unwrap_err();
        assert_eq!(nested.field.as_deref(), Some("nested.count"));
        let unknown = decode::<Body>(br#"{"phone": "1", "phnoe": "2"}"#).unwrap_err();
        assert!(
            unknown.detail.contains("unknown field `phnoe`"),
            "{}",
            unknown.detail
        );
        let malformed = decode::<Body>(br#"{"phone": "#).unwrap_err();
        assert_eq!(malformed.code, "invalid_parameter");
        assert!(decode::<Body>(br#"{"phone": "1"} trailing"#).is_err());
        assert!(decode::<Body>(br#"{"phone": "1"}"#).is_ok());
    }
}
