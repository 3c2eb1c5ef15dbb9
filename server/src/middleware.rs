//! Cross-cutting request handling: client identity and request ids, security headers,
//! same-origin writes (CSRF), sign-in for pages, and HTTP statuses for failed server functions.

pub mod client;
pub mod headers;
pub mod origin;
pub mod pages;
pub mod server_fn_status;
