//! The OCM under load: the production build's `ocm serve` started as its own process, as
//! `make run` would start it (demo mode, the built-in simulator, a working day of call data), its
//! users added with its own command line, and stopped with SIGTERM as a service manager would.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The password of the load's users.
pub const PASSWORD: &str = "load-bench-password";

/// The `ocm serve` child and where it answers.
pub struct Ocm {
    child: Child,
    pub base: String,
    binary: PathBuf,
    database_url: String,
}

/// What `ocm` needs besides the database: the site the release build wrote, demo mode as
/// `make run` has it, and a simulator port of its own.
fn environment(database_url: &str, port: u16) -> Vec<(&'static str, String)> {
    vec![
        ("DATABASE_URL", database_url.to_string()),
        ("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}")),
        ("LEPTOS_SITE_ROOT", "target/site".into()),
        ("LEPTOS_OUTPUT_NAME", "ocm".into()),
        ("LEPTOS_ENV", "PROD".into()),
        ("OCM_SIM_LISTEN", format!("127.0.0.1:{}", port + 1)),
        ("OCM_DEMO_PASSWORD", PASSWORD.into()),
        ("OCM_DEMO_DIALLING_HOURS", "8".into()),
        ("OCM_EXPORT_DIR", "target/load-bench/exports".into()),
    ]
}

/// Starts `binary serve` on `port`, logging to `target/load-bench/ocm.log`, and waits until it is
/// ready (migrated, demo data in place).
pub async fn start(binary: &Path, database_url: &str, port: u16) -> Ocm {
    // Another server on the port would answer for this one.
    std::net::TcpListener::bind(("127.0.0.1", port))
        .unwrap_or_else(|e| panic!("port {port} is taken ({e}): set OCM_LOAD_PORT"));
    std::fs::create_dir_all("target/load-bench").unwrap();
    let log = std::fs::File::create("target/load-bench/ocm.log").unwrap();
    let child = Command::new(binary)
        .arg("serve")
        .envs(environment(database_url, port))
        .stdout(log.try_clone().unwrap())
        .stderr(log)
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {}: {e}", binary.display()));
    let mut ocm = Ocm {
        child,
        base: format!("http://127.0.0.1:{port}"),
        binary: binary.to_path_buf(),
        database_url: database_url.to_string(),
    };
    let client = reqwest::Client::new();
    let deadline = Instant::now() + Duration::from_secs(300);
    loop {
        // A server that exited (its port taken, say) must not let another one answer for it.
        if let Some(status) = ocm.child.try_wait().unwrap() {
            panic!(
                "ocm serve exited with {status} before it was ready (target/load-bench/ocm.log)"
            );
        }
        let ready = client.get(format!("{}/readyz", ocm.base)).send().await;
        if ready.is_ok_and(|r| r.status().is_success()) {
            return ocm;
        }
        assert!(
            Instant::now() < deadline,
            "ocm did not become ready in 5 min (target/load-bench/ocm.log)"
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}

impl Ocm {
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Adds supervisor `username` on `team` with `ocm user add`, the password on standard input.
    pub fn add_supervisor(&self, username: &str, team: &str) {
        let mut add = Command::new(&self.binary)
            .args([
                "user",
                "add",
                username,
                "--role",
                "supervisor",
                "--team",
                team,
            ])
            .env("DATABASE_URL", &self.database_url)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        writeln!(add.stdin.take().unwrap(), "{PASSWORD}").unwrap();
        let output = add.wait_with_output().unwrap();
        assert!(
            output.status.success(),
            "ocm user add {username}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }

    /// Sends SIGTERM and waits for the exit; returns how long the graceful shutdown took.
    pub fn stop(&mut self) -> Duration {
        let asked = Instant::now();
        let _ = Command::new("kill")
            .args(["-TERM", &self.pid().to_string()])
            .status();
        while asked.elapsed() < Duration::from_secs(30) {
            if self.child.try_wait().unwrap().is_some() {
                return asked.elapsed();
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        panic!("ocm did not stop within 30 s of SIGTERM");
    }
}

/// A run that ends early (a panic) leaves no server behind to answer the next run on its port.
impl Drop for Ocm {
    fn drop(&mut self) {
        if self.child.try_wait().ok().flatten().is_none() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}
