//! Opening an SFTP session: TCP, the SSH handshake with the host key checked against the pinned
//! fingerprint, sign-in, and the `sftp` subsystem.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use russh::client::{self, Handle};
use russh::keys::{PrivateKeyWithHashAlg, PublicKeyOrCertificate};
use russh::ChannelMsg;
use russh_sftp::client::RawSftpSession;

use super::error::{from_sftp, from_ssh, SftpError};
use super::{fingerprint_of, same_fingerprint, SftpAuth, SftpConfig};

const HANDSHAKE: &str = "during the handshake";
const SIGN_IN: &str = "during the sign-in";

/// Checks the server's host key: accepted only when its fingerprint is the pinned one. The
/// fingerprint seen is kept so that a refusal can say what the server presented.
struct PinnedHostKey {
    expected: String,
    seen: Arc<Mutex<Option<String>>>,
}

impl client::Handler for PinnedHostKey {
    type Error = russh::Error;

    async fn check_server_key(
        &mut self,
        server_public_key: &PublicKeyOrCertificate,
    ) -> Result<bool, Self::Error> {
        let key = match server_public_key {
            PublicKeyOrCertificate::PublicKey { key, .. } => key.clone(),
            PublicKeyOrCertificate::Certificate(certificate) => {
                certificate.public_key().clone().into()
            }
        };
        let got = fingerprint_of(&key);
        let accepted = same_fingerprint(&self.expected, &got);
        *self.seen.lock().unwrap_or_else(|p| p.into_inner()) = Some(got);
        Ok(accepted)
    }
}

/// A signed-in SFTP session.
pub(super) struct Connection {
    ssh: Handle<PinnedHostKey>,
    pub(super) sftp: Arc<RawSftpSession>,
    /// Extensions the server announced (name → version).
    pub(super) extensions: HashMap<String, String>,
}

impl Connection {
    /// Whether the SSH connection is gone (a failed request then means a dropped connection).
    pub(super) fn is_closed(&self) -> bool {
        self.ssh.is_closed()
    }

    pub(super) async fn close(self) {
        let _ = self
            .ssh
            .disconnect(russh::Disconnect::ByApplication, "", "en")
            .await;
    }
}

/// Connects and completes the handshake; `expected` is the pinned fingerprint. On a refused host
/// key the error says what the server presented.
async fn handshake(
    config: &SftpConfig,
    expected: &str,
) -> Result<Handle<PinnedHostKey>, SftpError> {
    let seconds = config.timeout.as_secs();
    let stream = tokio::net::TcpStream::connect((config.host.as_str(), config.port))
        .await
        .map_err(|error| SftpError::Unreachable {
            host: config.host.clone(),
            port: config.port,
            reason: error.to_string(),
        })?;
    let seen = Arc::new(Mutex::new(None));
    let checker = PinnedHostKey {
        expected: expected.to_string(),
        seen: seen.clone(),
    };
    let ssh_config = Arc::new(client::Config {
        inactivity_timeout: Some(config.timeout),
        ..Default::default()
    });
    match client::connect_stream(ssh_config, stream, checker).await {
        Ok(handle) => Ok(handle),
        Err(error) => {
            let got = seen.lock().unwrap_or_else(|p| p.into_inner()).take();
            Err(match got {
                Some(got) if expected.trim().is_empty() => SftpError::HostKeyUnknown {
                    host: config.host.clone(),
                    got,
                },
                Some(got) if !same_fingerprint(expected, &got) => SftpError::HostKeyMismatch {
                    host: config.host.clone(),
                    expected: expected.to_string(),
                    got,
                },
                _ => from_ssh(error, HANDSHAKE, seconds),
            })
        }
    }
}

/// The server's host key fingerprint, without signing in (the connection stops at the key check).
pub(super) async fn probe(config: &SftpConfig) -> Result<String, SftpError> {
    match handshake(config, "").await {
        Err(SftpError::HostKeyUnknown { got, .. }) => Ok(got),
        Err(other) => Err(other),
        Ok(_) => Err(SftpError::Protocol {
            message: "the server's host key was not presented".into(),
        }),
    }
}

async fn sign_in(ssh: &mut Handle<PinnedHostKey>, config: &SftpConfig) -> Result<(), SftpError> {
    let seconds = config.timeout.as_secs();
    let result = match &config.auth {
        SftpAuth::Password(password) => {
            ssh.authenticate_password(config.user.as_str(), password.as_str())
                .await
        }
        SftpAuth::Key { path, passphrase } => {
            let key =
                russh::keys::load_secret_key(path, passphrase.as_deref()).map_err(|error| {
                    SftpError::Key {
                        path: path.display().to_string(),
                        reason: error.to_string(),
                    }
                })?;
            let hash = if key.algorithm().is_rsa() {
                ssh.best_supported_rsa_hash()
                    .await
                    .map_err(|error| from_ssh(error, SIGN_IN, seconds))?
                    .flatten()
            } else {
                None
            };
            let key = PrivateKeyWithHashAlg::new(Arc::new(key), hash);
            ssh.authenticate_publickey(config.user.as_str(), key).await
        }
    };
    match result {
        Ok(outcome) if outcome.success() => Ok(()),
        // The library also reports a connection lost mid-sign-in as a refusal.
        Ok(_) if ssh.is_closed() => Err(SftpError::ConnectionDropped { stage: SIGN_IN }),
        Ok(_) => Err(SftpError::AuthRefused {
            user: config.user.clone(),
        }),
        Err(error) => Err(from_ssh(error, SIGN_IN, seconds)),
    }
}

/// Connects, checks the host key, signs in and starts the `sftp` subsystem.
pub(super) async fn open(config: &SftpConfig) -> Result<Connection, SftpError> {
    let seconds = config.timeout.as_secs();
    let mut ssh = handshake(config, &config.host_key_fingerprint).await?;
    sign_in(&mut ssh, config).await?;
    let mut channel = ssh
        .channel_open_session()
        .await
        .map_err(|error| from_ssh(error, SIGN_IN, seconds))?;
    channel
        .request_subsystem(true, "sftp")
        .await
        .map_err(|error| from_ssh(error, SIGN_IN, seconds))?;
    loop {
        match channel.wait().await {
            Some(ChannelMsg::Success) => break,
            Some(ChannelMsg::Failure) => {
                return Err(SftpError::Protocol {
                    message: "the server offers no SFTP service to this user".into(),
                })
            }
            Some(_) => {}
            None => return Err(SftpError::ConnectionDropped { stage: SIGN_IN }),
        }
    }
    let sftp_config = russh_sftp::client::Config {
        request_timeout_secs: seconds.max(1),
        ..Default::default()
    };
    let sftp = RawSftpSession::new_with_config(channel.into_stream(), sftp_config);
    let version = sftp
        .init()
        .await
        .map_err(|error| from_sftp(error, ".", seconds))?;
    Ok(Connection {
        ssh,
        sftp: Arc::new(sftp),
        extensions: version.extensions,
    })
}
