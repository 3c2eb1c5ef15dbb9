//! How file-system outcomes become SFTP v3 status replies.

use std::io;

use russh_sftp::protocol::{Status, StatusCode};
use russh_sftp::server::StatusReply;

use super::confine::Refused;

pub(super) fn ok(id: u32) -> Status {
    Status {
        id,
        status_code: StatusCode::Ok,
        error_message: "Ok".to_string(),
        language_tag: "en-US".to_string(),
    }
}

/// SFTP v3 has no "disk full" status, so, like OpenSSH, the server answers `Failure`; the text
/// says why (OCM's client recognises it).
pub(super) const DISK_FULL: &str = "No space left on device";

pub(super) fn from_io(error: io::Error) -> StatusReply {
    let code = match error.kind() {
        io::ErrorKind::NotFound => StatusCode::NoSuchFile,
        io::ErrorKind::PermissionDenied => StatusCode::PermissionDenied,
        _ => StatusCode::Failure,
    };
    if error.kind() == io::ErrorKind::StorageFull {
        return code.with_message(DISK_FULL);
    }
    code.with_message(error.to_string())
}

pub(super) fn from_refused(refused: Refused) -> StatusReply {
    StatusCode::PermissionDenied.with_message(refused.to_string())
}
