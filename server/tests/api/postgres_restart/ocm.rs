//! The `ocm` binary as an operator runs it, for the restart test: set-up commands, then `ocm
//! serve` on a port of its own, killed however the test ends.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::cluster::Cluster;
use crate::pom_sim::PomSim;

/// The `ocm` binary against the cluster and the simulator: the CLI's set-up commands, then
/// `ocm serve`, killed however the test ends (its log shown when the test failed).
pub struct Ocm {
    env: Vec<(String, String)>,
    dir: PathBuf,
    base: String,
    child: Option<Child>,
}

impl Ocm {
    /// Its settings: connected mode against `sim`, on the cluster's database `ocm` and a port of
    /// its own, from a folder of its own (where anything it writes lands).
    pub fn new(cluster: &Cluster, sim: &PomSim) -> Ocm {
        let port = super::cluster::free_port();
        let base = format!("http://127.0.0.1:{port}");
        let site = concat!(env!("CARGO_MANIFEST_DIR"), "/../target/site");
        let mut env = sim.settings();
        for (name, value) in [
            ("DATABASE_URL", cluster.url("ocm").as_str()),
            ("OCM_PUBLIC_URL", &base),
            ("LEPTOS_SITE_ADDR", &format!("127.0.0.1:{port}")),
            ("LEPTOS_SITE_ROOT", site),
            ("LEPTOS_OUTPUT_NAME", "ocm"),
            ("LEPTOS_ENV", "PROD"),
            ("OCM_PHONE_REGION", "GB"),
            ("OCM_ERASURE_KEY", &"5e".repeat(32)),
            ("OCM_PURGE_CONCURRENCY", "4"),
            ("OCM_PURGE_RATE_PER_SECOND", "100"),
            // The claim outlasts the outage, so the deletes POM carried out meanwhile are
            // recorded by the worker that sent them, never sent again by a later claim.
            ("OCM_JOB_STALE_AFTER_SECONDS", "600"),
        ] {
            env.push((name.to_string(), value.to_string()));
        }
        let dir = cluster.dir().join("ocm");
        std::fs::create_dir_all(&dir).unwrap();
        Ocm {
            env,
            dir,
            base,
            child: None,
        }
    }

    fn command(&self) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_ocm"));
        command
            .current_dir(&self.dir)
            .envs(self.env.iter().cloned());
        command
    }

    /// Runs `ocm <args>` (words separated by spaces; `stdin` as its standard input) and
    /// answers what it printed.
    pub fn cli(&self, args: &str, stdin: Option<&str>) -> String {
        let mut child = self
            .command()
            .args(args.split_whitespace())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let input = format!("{}\n", stdin.unwrap_or_default());
        std::io::Write::write_all(&mut child.stdin.take().unwrap(), input.as_bytes()).unwrap();
        let output = child.wait_with_output().unwrap();
        let printed = String::from_utf8_lossy(&output.stdout).to_string();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success(), "ocm {args}: {printed}{stderr}");
        printed
    }

    /// `ocm serve`, once it answers `/healthz`.
    pub async fn serve(mut self) -> Ocm {
        let log = std::fs::File::create(self.dir.join("ocm.log")).unwrap();
        let child = self
            .command()
            .arg("serve")
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .unwrap();
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(120);
        loop {
            assert!(
                self.child.as_mut().unwrap().try_wait().unwrap().is_none(),
                "ocm serve exited"
            );
            if let Ok(response) = reqwest::get(self.url("/healthz")).await {
                if response.status() == 200 {
                    return self;
                }
            }
            assert!(Instant::now() < deadline, "ocm serve never answered");
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

impl Drop for Ocm {
    fn drop(&mut self) {
        if let Some(child) = self.child.as_mut() {
            let _ = child.kill();
            let _ = child.wait();
        }
        if std::thread::panicking() {
            let log = std::fs::read_to_string(self.dir.join("ocm.log")).unwrap_or_default();
            let lines: Vec<&str> = log.lines().collect();
            let tail = lines[lines.len().saturating_sub(150)..].join("\n");
            eprintln!("--- the last lines of ocm serve's log ---\n{tail}");
        }
    }
}
