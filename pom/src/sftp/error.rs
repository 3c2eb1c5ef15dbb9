//! `SftpError`: every way an SFTP upload fails, in words an administrator can act on, and the
//! mapping from the SSH and SFTP libraries' errors to it.

use russh_sftp::client::error::Error as SftpLibError;
use russh_sftp::protocol::StatusCode;

/// Why an SFTP call failed.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum SftpError {
    #[error("cannot reach the SFTP server {host}:{port} ({reason})")]
    Unreachable {
        host: String,
        port: u16,
        reason: String,
    },
    #[error("the SFTP server did not answer within {seconds} s")]
    Timeout { seconds: u64 },
    #[error("the SFTP server closed the connection {stage}")]
    ConnectionDropped { stage: &'static str },
    #[error("no host key fingerprint is configured for the SFTP server {host}: it presented {got}; confirm it with the server's administrator, then configure it")]
    HostKeyUnknown { host: String, got: String },
    #[error("the SFTP server {host} presented the host key {got}, but {expected} is configured: refusing to connect (the key was changed, or the connection is intercepted)")]
    HostKeyMismatch {
        host: String,
        expected: String,
        got: String,
    },
    #[error("the SFTP server refused the sign-in of {user} (wrong password or key)")]
    AuthRefused { user: String },
    #[error("cannot use the private key {path}: {reason}")]
    Key { path: String, reason: String },
    #[error("cannot read {path}: {reason}")]
    LocalFile { path: String, reason: String },
    #[error("{name:?} is not a plain file name")]
    InvalidName { name: String },
    #[error("the folder {path} does not exist on the SFTP server")]
    MissingFolder { path: String },
    #[error("the SFTP server refused access to {path}")]
    PermissionDenied { path: String },
    #[error("the SFTP server's disk is full (writing {path})")]
    DiskFull { path: String },
    #[error(
        "{path} has {got} bytes on the SFTP server after the upload, but {expected} were sent"
    )]
    SizeMismatch {
        path: String,
        expected: u64,
        got: u64,
    },
    #[error("the SFTP server answered: {message}")]
    Protocol { message: String },
}

/// Texts servers put in a `Failure` status when the disk or a quota is full (SFTP v3 has no
/// status code for it).
const DISK_FULL_TEXTS: [&str; 3] = ["no space left", "disk full", "quota exceeded"];

/// Maps an SFTP-level error about `path`.
pub(super) fn from_sftp(error: SftpLibError, path: &str, seconds: u64) -> SftpError {
    let path = path.to_string();
    match error {
        SftpLibError::Status(status) => match status.status_code {
            StatusCode::NoSuchFile => SftpError::MissingFolder { path },
            StatusCode::PermissionDenied => SftpError::PermissionDenied { path },
            StatusCode::NoConnection | StatusCode::ConnectionLost => SftpError::ConnectionDropped {
                stage: "during the transfer",
            },
            StatusCode::Failure
                if DISK_FULL_TEXTS
                    .iter()
                    .any(|text| status.error_message.to_lowercase().contains(text)) =>
            {
                SftpError::DiskFull { path }
            }
            _ => SftpError::Protocol {
                message: format!("{path}: {}", status.error_message),
            },
        },
        SftpLibError::Timeout => SftpError::Timeout { seconds },
        // The library reports a transport that went away as an I/O error or as requests whose
        // answer can no longer arrive ("session closed", "sender dropped").
        SftpLibError::IO(_) | SftpLibError::UnexpectedBehavior(_) => SftpError::ConnectionDropped {
            stage: "during the transfer",
        },
        other => SftpError::Protocol {
            message: other.to_string(),
        },
    }
}

/// Maps an SSH-level error met at `stage`.
pub(super) fn from_ssh(error: russh::Error, stage: &'static str, seconds: u64) -> SftpError {
    use russh::Error as E;
    match error {
        E::Disconnect | E::HUP | E::SendError | E::RecvError | E::IO(_) => {
            SftpError::ConnectionDropped { stage }
        }
        E::Version => SftpError::Protocol {
            message: "this is not an SSH server (no SSH version line)".into(),
        },
        E::ConnectionTimeout | E::InactivityTimeout | E::KeepaliveTimeout | E::Elapsed(_) => {
            SftpError::Timeout { seconds }
        }
        other => SftpError::Protocol {
            message: other.to_string(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use russh_sftp::protocol::Status;

    fn status(code: StatusCode, message: &str) -> SftpLibError {
        SftpLibError::Status(Status {
            id: 1,
            status_code: code,
            error_message: message.to_string(),
            language_tag: "en-US".to_string(),
        })
    }

    #[test]
    fn a_full_disk_is_recognised_by_its_text() {
        for message in [
            "No space left on device",
            "write failed: no space left on device (os error 28)",
            "Disk full",
            "Quota exceeded",
        ] {
            assert_eq!(
                from_sftp(status(StatusCode::Failure, message), "/drop/x", 5),
                SftpError::DiskFull {
                    path: "/drop/x".into()
                },
                "{message}"
            );
        }
        assert!(matches!(
            from_sftp(status(StatusCode::Failure, "Failure"), "/drop/x", 5),
            SftpError::Protocol { .. }
        ));
    }

    #[test]
    fn statuses_and_transport_failures_have_their_own_errors() {
        assert!(matches!(
            from_sftp(status(StatusCode::NoSuchFile, "No such file"), "/x", 5),
            SftpError::MissingFolder { .. }
        ));
        assert!(matches!(
            from_sftp(status(StatusCode::PermissionDenied, "denied"), "/x", 5),
            SftpError::PermissionDenied { .. }
        ));
        assert_eq!(
            from_sftp(SftpLibError::Timeout, "/x", 7),
            SftpError::Timeout { seconds: 7 }
        );
        assert!(matches!(
            from_sftp(
                SftpLibError::UnexpectedBehavior("session closed".into()),
                "/x",
                5
            ),
            SftpError::ConnectionDropped { .. }
        ));
        assert!(matches!(
            from_ssh(russh::Error::HUP, "during the handshake", 5),
            SftpError::ConnectionDropped { .. }
        ));
    }

    #[test]
    fn messages_name_what_to_do() {
        let mismatch = SftpError::HostKeyMismatch {
            host: "pom.example".into(),
            expected: "SHA256:aaa".into(),
            got: "SHA256:bbb".into(),
        };
        let text = mismatch.to_string();
        assert!(
            text.contains("SHA256:aaa") && text.contains("SHA256:bbb") && text.contains("refusing")
        );
        assert!(SftpError::DiskFull {
            path: "/ocm/a.csv".into()
        }
        .to_string()
        .contains("disk is full"));
    }
}
