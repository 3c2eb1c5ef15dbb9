//! Shared pieces: temporary folders, OpenSSH tools (required, never skipped), an `sshd` on a
//! loopback port with its own configuration, and client settings.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use pom::sftp::{SftpAuth, SftpConfig};

/// A folder under the system temp dir, removed when dropped.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(name: &str) -> TempDir {
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let path = std::env::temp_dir().join(format!("pom-sftp-{name}-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).unwrap();
        TempDir(path)
    }

    pub fn join(&self, path: &str) -> PathBuf {
        self.0.join(path)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The path of an OpenSSH program; a missing one fails the test with what to install.
pub fn tool(path: &str) -> &str {
    assert!(
        Path::new(path).exists(),
        "{path} is missing: install openssh-server and openssh-client (`make test` does, through scripts/ensure-tools.sh)"
    );
    path
}

fn run(command: &mut Command) -> String {
    let output = command.output().unwrap();
    assert!(
        output.status.success(),
        "{command:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// Generates an Ed25519 key pair at `path` (and `path.pub`).
pub fn keygen(path: &Path, passphrase: &str) {
    run(Command::new(tool("/usr/bin/ssh-keygen"))
        .args([
            "-q", "-t", "ed25519", "-C", "pom-test", "-N", passphrase, "-f",
        ])
        .arg(path));
}

/// The fingerprint OpenSSH prints for a public key (or known_hosts) file.
pub fn openssh_fingerprint(path: &Path) -> String {
    let listing = run(Command::new(tool("/usr/bin/ssh-keygen"))
        .arg("-lf")
        .arg(path));
    listing.split_whitespace().nth(1).unwrap().to_string()
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Waits until something accepts connections on `port`; `alive` reports an early exit.
pub fn wait_for_port(port: u16, mut alive: impl FnMut() -> Result<(), String>) {
    let deadline = Instant::now() + Duration::from_secs(15);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        if let Err(problem) = alive() {
            panic!("{problem}");
        }
        assert!(Instant::now() < deadline, "nothing listens on port {port}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The name of the user the tests run as (sshd signs in system users).
pub fn current_user() -> String {
    run(Command::new("id").arg("-un")).trim().to_string()
}

/// A real OpenSSH server on a loopback port: own config, host key, authorized_keys; SFTP
/// through `internal-sftp`; keys only.
pub struct Sshd {
    child: Child,
    pub port: u16,
    pub dir: TempDir,
    pub host_fingerprint: String,
    /// A key in authorized_keys.
    pub client_key: PathBuf,
}

impl Sshd {
    pub fn start() -> Sshd {
        let sshd = tool("/usr/sbin/sshd");
        let dir = TempDir::new("sshd");
        keygen(&dir.join("host_key"), "");
        keygen(&dir.join("client_key"), "");
        std::fs::copy(dir.join("client_key.pub"), dir.join("authorized_keys")).unwrap();
        std::fs::create_dir(dir.join("drop")).unwrap();
        let config = format!(
            "ListenAddress 127.0.0.1\nHostKey {host}\nAuthorizedKeysFile {keys}\nPidFile none\n\
             UsePAM no\nStrictModes no\nPermitRootLogin prohibit-password\n\
             PasswordAuthentication no\nKbdInteractiveAuthentication no\n\
             Subsystem sftp internal-sftp\n",
            host = dir.join("host_key").display(),
            keys = dir.join("authorized_keys").display(),
        );
        std::fs::write(dir.join("sshd_config"), config).unwrap();
        // As root sshd needs its privilege separation folder, which only the packaged service
        // creates; without root the call fails and sshd does not need it.
        let _ = std::fs::create_dir_all("/run/sshd");
        let port = free_port();
        let log = std::fs::File::create(dir.join("sshd.log")).unwrap();
        let mut child = Command::new(sshd)
            .args(["-D", "-e", "-f"])
            .arg(dir.join("sshd_config"))
            .args(["-p", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .unwrap();
        let log_path = dir.join("sshd.log");
        wait_for_port(port, || match child.try_wait().unwrap() {
            Some(status) => Err(format!(
                "sshd exited ({status}): {}",
                std::fs::read_to_string(&log_path).unwrap_or_default()
            )),
            None => Ok(()),
        });
        let host_fingerprint = openssh_fingerprint(&dir.join("host_key.pub"));
        let client_key = dir.join("client_key");
        Sshd {
            child,
            port,
            dir,
            host_fingerprint,
            client_key,
        }
    }

    /// Client settings for this server, signing in as the current user with `client_key`.
    pub fn client_config(&self, remote_dir: &Path) -> SftpConfig {
        config(
            self.port,
            &current_user(),
            SftpAuth::Key {
                path: self.client_key.clone(),
                passphrase: None,
            },
            &self.host_fingerprint,
            &remote_dir.display().to_string(),
        )
    }
}

impl Drop for Sshd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Client settings for a server on a loopback port.
pub fn config(
    port: u16,
    user: &str,
    auth: SftpAuth,
    fingerprint: &str,
    remote_dir: &str,
) -> SftpConfig {
    SftpConfig {
        host: "127.0.0.1".into(),
        port,
        user: user.into(),
        auth,
        host_key_fingerprint: fingerprint.into(),
        remote_dir: remote_dir.into(),
        timeout: Duration::from_secs(10),
    }
}

/// Names in `dir` (to check that no temporary file is left behind).
pub fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    names
}
