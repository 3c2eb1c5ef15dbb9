//! Cross-cutting request handling: client identity and request ids, security headers,
//! same-origin writes (CSRF), sign-in for pages, HTTP statuses for failed server functions, and
//! every request counted for the metrics.

pub mod client;
pub mod headers;
pub mod http_metrics;
pub mod origin;
pub mod pages;
pub mod server_fn_status;
