//! Cross-cutting request handling: same-origin writes (CSRF), sign-in for pages, and HTTP
//! statuses for failed server functions.

pub mod origin;
pub mod pages;
pub mod server_fn_status;
