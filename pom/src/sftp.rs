//! OCM's SFTP client: uploads a file into a drop folder (where POM's imports read it) over SSH,
//! with the server's host key pinned by fingerprint, a temporary name renamed into place, and the
//! size checked (docs/pom.md "SFTP drop").

mod connect;
mod error;
mod upload;

use std::path::{Path, PathBuf};
use std::time::Duration;

use russh::keys::{HashAlg, PublicKey};

pub use self::error::SftpError;

/// How OCM signs in.
#[derive(Clone)]
pub enum SftpAuth {
    Password(String),
    /// An OpenSSH private key file, with its passphrase when it is encrypted.
    Key {
        path: PathBuf,
        passphrase: Option<String>,
    },
}

// Secrets never reach logs: Debug shows that they are set, not what they are.
impl std::fmt::Debug for SftpAuth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SftpAuth::Password(_) => f.write_str("Password(\"***\")"),
            SftpAuth::Key { path, passphrase } => f
                .debug_struct("Key")
                .field("path", path)
                .field("passphrase", &passphrase.as_ref().map(|_| "***"))
                .finish(),
        }
    }
}

/// Where and how to upload.
#[derive(Debug, Clone)]
pub struct SftpConfig {
    pub host: String,
    pub port: u16,
    pub user: String,
    pub auth: SftpAuth,
    /// The server's host key fingerprint in OpenSSH's form (`SHA256:…`, as `ssh-keygen -lf`
    /// prints it). Empty: every connection is refused, saying what the server presented.
    pub host_key_fingerprint: String,
    /// The folder files go to (relative to the sign-in folder, or absolute).
    pub remote_dir: String,
    /// Limit for connecting and for each SFTP request.
    pub timeout: Duration,
}

/// What an upload left on the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UploadReport {
    pub remote_path: String,
    pub bytes: u64,
    /// SHA-256 of the content, lowercase hex (for the audit trail).
    pub sha256: String,
}

/// The OpenSSH fingerprint of a public key: `SHA256:` and the unpadded base64 digest.
pub fn fingerprint_of(key: &PublicKey) -> String {
    key.fingerprint(HashAlg::Sha256).to_string()
}

/// Compares a configured fingerprint with a presented one, tolerating what copying adds or drops
/// (surrounding spaces, the `SHA256:` prefix, base64 padding). Empty never matches.
fn same_fingerprint(configured: &str, presented: &str) -> bool {
    let bare = |text: &str| {
        let text = text.trim();
        text.strip_prefix("SHA256:")
            .unwrap_or(text)
            .trim_end_matches('=')
            .to_string()
    };
    let configured = bare(configured);
    !configured.is_empty() && configured == bare(presented)
}

/// The host key fingerprint of the SSH server at `host:port`, for an administrator to confirm
/// and put into the configuration. Nothing is sent beyond the key exchange.
pub async fn probe_host_key(host: &str, port: u16, timeout: Duration) -> Result<String, SftpError> {
    let config = SftpConfig {
        host: host.to_string(),
        port,
        user: String::new(),
        auth: SftpAuth::Password(String::new()),
        host_key_fingerprint: String::new(),
        remote_dir: String::new(),
        timeout,
    };
    within(timeout, connect::probe(&config)).await
}

async fn within<T>(
    timeout: Duration,
    work: impl std::future::Future<Output = Result<T, SftpError>>,
) -> Result<T, SftpError> {
    tokio::time::timeout(timeout, work)
        .await
        .unwrap_or(Err(SftpError::Timeout {
            seconds: timeout.as_secs(),
        }))
}

/// Uploads files with one configuration; each upload is its own connection.
#[derive(Debug, Clone)]
pub struct SftpClient {
    config: SftpConfig,
}

impl SftpClient {
    pub fn new(config: SftpConfig) -> SftpClient {
        SftpClient { config }
    }

    /// Uploads `data` as `<remote_dir>/<remote_name>`: written to a hidden temporary name in the
    /// same folder, its size checked, then renamed into place (replacing an older file), so that
    /// an import never reads half a file.
    pub async fn upload(&self, data: &[u8], remote_name: &str) -> Result<UploadReport, SftpError> {
        self.send(upload::Payload::Bytes(data), remote_name).await
    }

    async fn send(
        &self,
        payload: upload::Payload<'_>,
        remote_name: &str,
    ) -> Result<UploadReport, SftpError> {
        if remote_name.is_empty()
            || remote_name == "."
            || remote_name == ".."
            || remote_name.contains(['/', '\0'])
        {
            return Err(SftpError::InvalidName {
                name: remote_name.to_string(),
            });
        }
        let connection = within(self.config.timeout, connect::open(&self.config)).await?;
        let result = upload::upload(&connection, &self.config, remote_name, payload).await;
        connection.close().await;
        let (remote_path, (bytes, sha256)) = result?;
        Ok(UploadReport {
            remote_path,
            bytes,
            sha256,
        })
    }

    /// Removes `<remote_dir>/<remote_name>` (taking back an upload nothing will import).
    pub async fn remove(&self, remote_name: &str) -> Result<(), SftpError> {
        if remote_name.is_empty() || remote_name.contains(['/', '\0']) {
            return Err(SftpError::InvalidName {
                name: remote_name.to_string(),
            });
        }
        let connection = within(self.config.timeout, connect::open(&self.config)).await?;
        let result = within(
            self.config.timeout,
            upload::remove(&connection, &self.config, remote_name),
        )
        .await;
        connection.close().await;
        result
    }

    /// Uploads the local file at `local` as [`SftpClient::upload`] does, read a chunk at a time
    /// as it is sent (any size, constant memory).
    pub async fn upload_file(
        &self,
        local: &Path,
        remote_name: &str,
    ) -> Result<UploadReport, SftpError> {
        self.send(upload::Payload::File(local), remote_name).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_not_in_debug_output() {
        let config = SftpConfig {
            host: "drop.example".into(),
            port: 22,
            user: "ocm".into(),
            auth: SftpAuth::Password("hunter2-secret".into()),
            host_key_fingerprint: "SHA256:abc".into(),
            remote_dir: "/ocm".into(),
            timeout: Duration::from_secs(5),
        };
        let text = format!("{config:?}");
        assert!(
            !text.contains("hunter2-secret") && text.contains("***"),
            "{text}"
        );
        let key = SftpAuth::Key {
            path: "/keys/id".into(),
            passphrase: Some("open-sesame".into()),
        };
        let text = format!(
            "{:?}",
            SftpClient::new(SftpConfig {
                auth: key,
                ..config
            })
        );
        assert!(
            !text.contains("open-sesame") && text.contains("/keys/id"),
            "{text}"
        );
    }

    #[test]
    fn fingerprints_compare_as_openssh_prints_them() {
        let presented = "SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s";
        assert!(same_fingerprint(presented, presented));
        assert!(same_fingerprint(&format!("  {presented}\n"), presented));
        assert!(same_fingerprint(
            "uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s=",
            presented
        ));
        assert!(!same_fingerprint("", presented));
        assert!(!same_fingerprint("SHA256:", presented));
        assert!(!same_fingerprint(
            "SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2S",
            presented
        ));
    }
}
