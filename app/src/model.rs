//! Data shared by the browser and the server: users and roles, system status, audit rows.

mod audit;
mod status;
mod user;

pub use audit::{AuditEventRow, AuditPage, AuditQuery, SortOrder};
pub use status::{ComponentState, ComponentStatus, SystemStatus};
pub use user::{throttled_message, CurrentUser, Me, Role, SessionTiming};

/// Percent-encodes a query-string value (everything but RFC 3986 unreserved characters).
pub fn percent_encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(byte as char)
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}
