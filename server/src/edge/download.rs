//! `Download`: a file OCM hands out (export, reject file, original upload). Always an attachment
//! with a file name that cannot break the header, and never stored by the browser or a proxy.

use axum::body::Body;
use axum::http::header;
use axum::response::{IntoResponse, Response};

/// A file for the browser to save: its bytes (or a stream), type and name.
pub struct Download {
    pub body: Body,
    pub content_type: &'static str,
    pub file_name: String,
}

/// CSV as OCM writes it (UTF-8 with a byte-order mark so Excel reads it right).
pub const CSV: &str = "text/csv; charset=utf-8";
/// An Excel workbook.
pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
/// Plain text (an erasure certificate).
pub const TEXT: &str = "text/plain; charset=utf-8";

impl Download {
    pub fn new(body: impl Into<Body>, content_type: &'static str, file_name: &str) -> Self {
        Download {
            body: body.into(),
            content_type,
            file_name: file_name.to_string(),
        }
    }
}

/// Keeps letters, digits, `.`, `-` and `_`; anything else (quotes, slashes, line breaks) becomes `_`.
pub fn safe_file_name(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || ".-_".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect()
}

impl IntoResponse for Download {
    fn into_response(self) -> Response {
        let disposition = format!(
            "attachment; filename=\"{}\"",
            safe_file_name(&self.file_name)
        );
        (
            [
                (header::CONTENT_TYPE, self.content_type.to_string()),
                (header::CONTENT_DISPOSITION, disposition),
                (header::CACHE_CONTROL, "no-store".to_string()),
            ],
            self.body,
        )
            .into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_cannot_break_the_header() {
        assert_eq!(safe_file_name("a\"b\r\nc/../d.csv"), "a_b__c_.._d.csv");
    }

    #[test]
    fn downloads_are_attachments_never_stored() {
        let response = Download::new("x", CSV, "report.csv").into_response();
        let headers = response.headers();
        assert_eq!(headers[header::CACHE_CONTROL], "no-store");
        assert_eq!(
            headers[header::CONTENT_DISPOSITION],
            "attachment; filename=\"report.csv\""
        );
    }
}
