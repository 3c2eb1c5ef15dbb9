//! `multipart`: how a file arrives. Reads an upload form (the text fields a route asks for and
//! its one `file` field) into memory without ever holding more of the file than the limit: a
//! request declaring a larger body is refused before a byte is read, and a file that passes the
//! limit while streaming is refused there.

use std::collections::HashMap;

use axum::extract::multipart::{Multipart, MultipartError};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use types::error::AppError;

/// Room on top of the file's limit for the form's other fields and the multipart framing, so a
/// file just under the limit is not refused for its envelope.
const FORM_ROOM: u64 = 64 * 1024;

/// The longest text field a form may carry (names, choices, a mapping as JSON): bounded before
/// it is buffered, as the file is.
const MAX_FIELD_BYTES: usize = 64 * 1024;

/// The longest file name kept: it is copied into the upload's record, its audit record and every
/// DNC entry it registers, so a name is bounded like any other field.
const MAX_FILE_NAME_CHARS: usize = 255;

/// What the form held.
pub struct UploadForm {
    /// The text fields asked for, by name (a field sent twice keeps its last value).
    pub fields: HashMap<&'static str, String>,
    /// The browser's name for the file; empty when the form had no file field.
    pub file_name: String,
    pub bytes: Vec<u8>,
}

impl UploadForm {
    /// A text field, trimmed; empty when it was not sent.
    pub fn field(&self, name: &str) -> &str {
        self.fields.get(name).map_or("", |value| value.trim())
    }
}

/// The outcome of reading an upload form.
pub enum Upload {
    Read(UploadForm),
    /// The request declared this many bytes, over the limit; nothing was read.
    DeclaredTooLarge(u64),
    /// The file passed the limit while being read; none of it is kept.
    TooLarge,
}

fn unreadable(error: MultipartError) -> AppError {
    AppError::validation("file", format!("The upload could not be read: {error}"))
}

/// Reads `form`, keeping the text fields named in `wanted` and at most `limit` bytes of the file.
pub async fn read(
    headers: &HeaderMap,
    mut form: Multipart,
    limit: u64,
    wanted: &[&'static str],
) -> Result<Upload, AppError> {
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if let Some(length) = declared.filter(|length| *length > limit + FORM_ROOM) {
        return Ok(Upload::DeclaredTooLarge(length));
    }
    let mut read = UploadForm {
        fields: HashMap::new(),
        file_name: String::new(),
        bytes: Vec::new(),
    };
    while let Some(mut field) = form.next_field().await.map_err(unreadable)? {
        let name = field.name().unwrap_or_default().to_string();
        if name == "file" {
            if !read.file_name.is_empty() {
                return Err(AppError::validation("file", "Send one file at a time."));
            }
            let name = field.file_name().unwrap_or("upload");
            if name.chars().count() > MAX_FILE_NAME_CHARS {
                return Err(AppError::validation(
                    "file",
                    format!("The file's name is longer than {MAX_FILE_NAME_CHARS} characters."),
                ));
            }
            read.file_name = name.to_string();
            read.bytes
                .reserve(declared.unwrap_or(0).min(limit) as usize);
            while let Some(chunk) = field.chunk().await.map_err(unreadable)? {
                if read.bytes.len() as u64 + chunk.len() as u64 > limit {
                    // Read the rest (bounded by the route's body limit) so the browser gets the
                    // answer instead of a cut connection, and keep none of it.
                    while field.chunk().await.map_err(unreadable)?.is_some() {}
                    // The next field cannot be read while this one is alive.
                    drop(field);
                    while let Some(rest) = form.next_field().await.map_err(unreadable)? {
                        drop(rest);
                    }
                    return Ok(Upload::TooLarge);
                }
                read.bytes.extend_from_slice(&chunk);
            }
        } else if let Some(wanted) = wanted.iter().find(|wanted| **wanted == name) {
            let mut value = Vec::new();
            while let Some(chunk) = field.chunk().await.map_err(unreadable)? {
                if value.len() + chunk.len() > MAX_FIELD_BYTES {
                    return Err(AppError::validation(
                        *wanted,
                        format!("is longer than {MAX_FIELD_BYTES} bytes"),
                    ));
                }
                value.extend_from_slice(&chunk);
            }
            let value = String::from_utf8(value)
                .map_err(|_| AppError::validation(*wanted, "is not UTF-8 text"))?;
            read.fields.insert(*wanted, value);
        }
    }
    Ok(Upload::Read(read))
}

/// The page for a file refused from its declared length: 413, naming the limit (`limit_name`,
/// such as "upload limit"), with a link `back`. The connection is closed rather than the
/// unread body drained.
pub fn too_large_page(limit: u64, limit_name: &str, (back, back_label): (&str, &str)) -> Response {
    let page = format!(
        "<!DOCTYPE html><title>File too large · OCM</title><p>The file is larger than the {} MB {limit_name}. <a href=\"{back}\">{back_label}</a></p>",
        limit / (1024 * 1024)
    );
    (
        StatusCode::PAYLOAD_TOO_LARGE,
        [(header::CONNECTION, "close")],
        Html(page),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use axum::body::Body;
    use axum::extract::{FromRequest, Request};

    use super::*;

    const BOUNDARY: &str = "edge-test";

    /// A form with a `mode` field, an unasked `other` field and a file of `size` bytes.
    fn request(size: usize, declare_length: bool) -> (HeaderMap, Request) {
        let mut body = format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"mode\"\r\n\r\n dnc_list \r\n\
             --{BOUNDARY}\r\nContent-Disposition: form-data; name=\"other\"\r\n\r\nx\r\n\
             --{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n\r\n"
        )
        .into_bytes();
        body.extend(std::iter::repeat_n(b'1', size));
        body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
        let mut builder = Request::builder().method("POST").header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={BOUNDARY}"),
        );
        if declare_length {
            builder = builder.header(header::CONTENT_LENGTH, body.len());
        }
        let request = builder.body(Body::from(body)).unwrap();
        (request.headers().clone(), request)
    }

    async fn read_form(size: usize, declare_length: bool, limit: u64) -> Upload {
        let (headers, request) = request(size, declare_length);
        let form = Multipart::from_request(request, &()).await.unwrap();
        read(&headers, form, limit, &["mode"]).await.unwrap()
    }

    #[tokio::test]
    async fn reads_the_fields_asked_for_and_the_file() {
        let Upload::Read(form) = read_form(10, true, 1024).await else {
            panic!("a small file is read");
        };
        assert_eq!(form.field("mode"), "dnc_list");
        assert!(
            !form.fields.contains_key("other"),
            "unasked fields are skipped"
        );
        assert_eq!((form.file_name.as_str(), form.bytes.len()), ("a.csv", 10));
    }

    #[tokio::test]
    async fn a_declared_oversize_body_is_refused_before_reading() {
        let upload = read_form(200 * 1024, true, 100 * 1024).await;
        assert!(matches!(upload, Upload::DeclaredTooLarge(length) if length > 200 * 1024));
    }

    #[tokio::test]
    async fn an_undeclared_oversize_file_is_refused_while_reading() {
        let upload = read_form(2048, false, 1024).await;
        assert!(matches!(upload, Upload::TooLarge));
    }

    /// A raw multipart body of `parts` (name, file name, content).
    async fn read_parts(parts: &[(&str, Option<&str>, Vec<u8>)]) -> Result<Upload, AppError> {
        let mut body = Vec::new();
        for (name, file, content) in parts {
            let file = file
                .map(|f| format!("; filename=\"{f}\""))
                .unwrap_or_default();
            body.extend_from_slice(
                format!(
                    "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"{file}\r\n\r\n"
                )
                .as_bytes(),
            );
            body.extend_from_slice(content);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
        let request = Request::builder()
            .method("POST")
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={BOUNDARY}"),
            )
            .body(Body::from(body))
            .unwrap();
        let headers = request.headers().clone();
        let form = Multipart::from_request(request, &()).await.unwrap();
        read(&headers, form, 1024 * 1024, &["mode"]).await
    }

    #[tokio::test]
    async fn a_long_text_field_is_refused_by_name_before_it_is_kept() {
        let long = vec![b'a'; MAX_FIELD_BYTES + 1];
        let Err(error) = read_parts(&[("mode", None, long)]).await else {
            panic!("a text field over the bound is refused");
        };
        assert!(matches!(error, AppError::Validation { ref field, .. } if field == "mode"));
    }

    #[tokio::test]
    async fn a_file_name_over_the_bound_is_refused() {
        let name = "n".repeat(MAX_FILE_NAME_CHARS + 1);
        let Err(error) = read_parts(&[("file", Some(&name), b"1".to_vec())]).await else {
            panic!("a long file name is refused");
        };
        assert!(error.to_string().contains("255 characters"), "{error}");
    }

    #[tokio::test]
    async fn a_second_file_is_refused() {
        let file = |name| ("file", Some(name), b"1".to_vec());
        let Err(error) = read_parts(&[file("a.csv"), file("b.csv")]).await else {
            panic!("two files in one form are refused");
        };
        assert!(error.to_string().contains("one file"), "{error}");
    }

    #[tokio::test]
    async fn the_refusal_names_the_limit() {
        let page = too_large_page(3 * 1024 * 1024, "upload limit", ("/uploads", "Back"));
        assert_eq!(page.status(), StatusCode::PAYLOAD_TOO_LARGE);
        let body = axum::body::to_bytes(page.into_body(), 4096).await.unwrap();
        assert!(String::from_utf8_lossy(&body).contains("larger than the 3 MB upload limit"));
    }
}
