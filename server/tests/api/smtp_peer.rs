//! The real SMTP peer of the scheduled-export tests: `smtp_peer.py` (aiosmtpd, installed by
//! `scripts/ensure-tools.sh` into `.tools/smtp`) on a free loopback port, with STARTTLS or TLS
//! and a password when asked; the messages it received read back as files.

use std::path::PathBuf;
use std::process::{Child, Command};
use std::time::Duration;

use super::uploads_sftp::support::free_port;

/// How the peer protects the connection.
#[derive(Clone, Copy)]
pub enum PeerTls {
    StartTls,
    Wrapper,
}

pub struct SmtpPeer {
    pub port: u16,
    pub dir: PathBuf,
    child: Child,
}

impl SmtpPeer {
    /// Starts the peer; `credentials` makes it require them; recipients holding `refuse` are
    /// answered 451 (try again later).
    pub fn start(
        tls: PeerTls,
        credentials: Option<(&str, &str)>,
        refuse: Option<&str>,
    ) -> SmtpPeer {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
        let library = root.join(".tools/smtp");
        assert!(
            library.join("aiosmtpd").is_dir(),
            "aiosmtpd is not installed in {}: run scripts/ensure-tools.sh (make test does)",
            library.display()
        );
        let port = free_port();
        let dir = std::env::temp_dir().join(format!("ocm-smtp-{}-{port}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let mut command = Command::new("python3");
        command
            .arg(root.join("server/tests/api/smtp_peer.py"))
            .args(["--port", &port.to_string(), "--dir", dir.to_str().unwrap()])
            .args([
                "--tls",
                match tls {
                    PeerTls::StartTls => "starttls",
                    PeerTls::Wrapper => "wrapper",
                },
            ])
            .env("PYTHONPATH", &library);
        if let Some((user, password)) = credentials {
            command.args(["--user", user, "--password", password]);
        }
        if let Some(refuse) = refuse {
            command.args(["--refuse", refuse]);
        }
        let mut child = command.spawn().expect("python3 starts the SMTP peer");
        for _ in 0..150 {
            if dir.join("ready").exists() {
                return SmtpPeer { port, dir, child };
            }
            if let Ok(Some(status)) = child.try_wait() {
                panic!("the SMTP peer stopped: {status}");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = child.kill();
        panic!("the SMTP peer did not start");
    }

    /// The CA OCM must trust to reach it.
    pub fn ca(&self) -> PathBuf {
        self.dir.join("ca.pem")
    }

    /// Every message received so far, in order, as it arrived (with `X-Envelope-To` first).
    pub fn messages(&self) -> Vec<Vec<u8>> {
        let mut found: Vec<(u32, PathBuf)> = std::fs::read_dir(&self.dir)
            .unwrap()
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter_map(|p| {
                let n = p
                    .file_name()?
                    .to_str()?
                    .strip_suffix(".eml")?
                    .parse()
                    .ok()?;
                Some((n, p))
            })
            .collect();
        found.sort();
        found
            .into_iter()
            .map(|(_, p)| std::fs::read(p).unwrap())
            .collect()
    }
}

impl Drop for SmtpPeer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
