//! The simulator's SFTP drop: an SSH server that offers only the `sftp` subsystem, signs users in
//! by password or public key, and confines each user to `<drop_dir>/<user>` (docs/pom.md
//! "SFTP drop"). Its host key is persistent, so OCM can pin the fingerprint.

mod confine;
mod files;
mod keys;
mod replies;

use std::collections::{BTreeMap, HashMap};
use std::io;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use russh::keys::PublicKey;
use russh::server::{Auth, ChannelOpenHandle, Msg, PublicKeyOffer, Session, VerifiedPublicKey};
use russh::{Channel, ChannelId, MethodKind, MethodSet};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

use self::confine::Jail;
use self::files::Files;
pub use self::keys::{load_authorized_keys, load_or_create_host_key};
use pom::sftp::fingerprint_of;

/// What the SFTP server serves and to whom.
#[derive(Clone)]
pub struct SftpServerConfig {
    /// The drop folder; user `NAME` sees `/NAME` (that is `<drop_dir>/NAME`, created at start).
    pub drop_dir: PathBuf,
    /// User names and their passwords. An empty password never signs in (key only).
    pub users: BTreeMap<String, String>,
    /// Public keys that may sign in as any of `users` (one `authorized_keys` file for the
    /// simulator, not one per user: the simulator has no per-user key management to imitate).
    pub authorized_keys: Vec<PublicKey>,
    /// The host key file: loaded when it exists, otherwise generated and saved there.
    pub host_key: PathBuf,
    /// Simulated size of each user's folder in bytes: writes beyond it fail like a full disk.
    pub quota_bytes: Option<u64>,
}

impl std::fmt::Debug for SftpServerConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SftpServerConfig")
            .field("drop_dir", &self.drop_dir)
            .field("users", &self.users.keys().collect::<Vec<_>>())
            .field("authorized_keys", &self.authorized_keys.len())
            .field("host_key", &self.host_key)
            .field("quota_bytes", &self.quota_bytes)
            .finish()
    }
}

/// A running SFTP server.
#[derive(Debug)]
pub struct SftpServer {
    pub address: SocketAddr,
    /// The host key's OpenSSH fingerprint (`SHA256:…`), what OCM's configuration pins.
    pub host_key_fingerprint: String,
    pub task: JoinHandle<()>,
}

/// A user name is a folder name: no separators, no leading dot (`.` and `..` included), not empty.
fn valid_user_name(name: &str) -> bool {
    !name.is_empty() && !name.starts_with('.') && !name.contains(['/', '\0'])
}

/// Starts the SFTP server on `listener` and creates each user's folder.
pub fn spawn_sftp(listener: TcpListener, config: SftpServerConfig) -> io::Result<SftpServer> {
    if let Some(bad) = config.users.keys().find(|name| !valid_user_name(name)) {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("SFTP user name {bad:?}: use a plain folder name"),
        ));
    }
    for user in config.users.keys() {
        Jail::new(&config.drop_dir, user)?;
    }
    let host_key = load_or_create_host_key(&config.host_key)?;
    let host_key_fingerprint = fingerprint_of(host_key.public_key());
    let address = listener.local_addr()?;
    let ssh_config = Arc::new(russh::server::Config {
        server_id: russh::SshId::Standard("SSH-2.0-pom-sim".into()),
        methods: MethodSet::from(&[MethodKind::Password, MethodKind::PublicKey][..]),
        // Refusals are slowed as usual, but not the "none" probe every OpenSSH client starts with.
        auth_rejection_time: Duration::from_millis(300),
        auth_rejection_time_initial: Some(Duration::ZERO),
        keys: vec![host_key],
        inactivity_timeout: Some(Duration::from_secs(600)),
        ..Default::default()
    });
    let shared = Arc::new(config);
    let task = tokio::spawn(async move {
        loop {
            let (socket, peer) = match listener.accept().await {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Such errors (out of file descriptors) last a while: do not spin on them.
                    tracing::warn!(%error, "SFTP accept failed");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            };
            let handler = Connection {
                shared: shared.clone(),
                user: None,
                channels: HashMap::new(),
            };
            let ssh_config = ssh_config.clone();
            tokio::spawn(async move {
                let session = match russh::server::run_stream(ssh_config, socket, handler).await {
                    Ok(session) => session,
                    Err(error) => {
                        tracing::debug!(%peer, %error, "SFTP handshake failed");
                        return;
                    }
                };
                if let Err(error) = session.await {
                    tracing::debug!(%peer, %error, "SFTP connection ended with an error");
                }
            });
        }
    });
    Ok(SftpServer {
        address,
        host_key_fingerprint,
        task,
    })
}

/// One SSH connection.
struct Connection {
    shared: Arc<SftpServerConfig>,
    /// Set once the user has signed in.
    user: Option<String>,
    /// Session channels waiting for their subsystem request.
    channels: HashMap<ChannelId, Channel<Msg>>,
}

impl Connection {
    fn key_allowed(&self, user: &str, key: &PublicKey) -> bool {
        self.shared.users.contains_key(user)
            && self
                .shared
                .authorized_keys
                .iter()
                .any(|allowed| allowed.key_data() == key.key_data())
    }

    fn accept(&mut self, user: &str, method: &str) -> Auth {
        tracing::info!(user, method, "SFTP sign-in");
        self.user = Some(user.to_string());
        Auth::Accept
    }
}

impl russh::server::Handler for Connection {
    type Error = russh::Error;

    async fn auth_password(&mut self, user: &str, password: &str) -> Result<Auth, Self::Error> {
        match self.shared.users.get(user) {
            Some(expected) if !expected.is_empty() && expected == password => {
                Ok(self.accept(user, "password"))
            }
            _ => Ok(Auth::reject()),
        }
    }

    async fn auth_publickey_offered(
        &mut self,
        user: &str,
        offer: PublicKeyOffer<'_>,
    ) -> Result<Auth, Self::Error> {
        Ok(if self.key_allowed(user, offer.public_key) {
            Auth::Accept
        } else {
            Auth::reject()
        })
    }

    async fn auth_publickey(
        &mut self,
        user: &str,
        key: VerifiedPublicKey<'_>,
    ) -> Result<Auth, Self::Error> {
        if self.key_allowed(user, key.public_key) {
            Ok(self.accept(user, "publickey"))
        } else {
            Ok(Auth::reject())
        }
    }

    async fn channel_open_session(
        &mut self,
        channel: Channel<Msg>,
        reply: ChannelOpenHandle,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        self.channels.insert(channel.id(), channel);
        reply.accept().await;
        Ok(())
    }

    async fn channel_eof(
        &mut self,
        channel: ChannelId,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        session.close(channel)
    }

    // Only SFTP: no shell, no commands.
    async fn shell_request(
        &mut self,
        channel: ChannelId,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        session.channel_failure(channel)
    }

    async fn exec_request(
        &mut self,
        channel: ChannelId,
        _data: &[u8],
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        session.channel_failure(channel)
    }

    async fn subsystem_request(
        &mut self,
        channel_id: ChannelId,
        name: &str,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        let channel = self.channels.remove(&channel_id);
        let (Some(channel), Some(user), "sftp") = (channel, self.user.as_deref(), name) else {
            return session.channel_failure(channel_id);
        };
        match Jail::new(&self.shared.drop_dir, user) {
            Ok(jail) => {
                session.channel_success(channel_id)?;
                let files = Files::new(jail, self.shared.quota_bytes);
                russh_sftp::server::run(channel.into_stream(), files).await;
                Ok(())
            }
            Err(error) => {
                tracing::warn!(user, %error, "cannot open the SFTP user's folder");
                session.channel_failure(channel_id)
            }
        }
    }
}
