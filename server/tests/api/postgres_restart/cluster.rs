//! A PostgreSQL cluster of one test's own in a temporary folder, to stop and start under a
//! running OCM without touching the shared test cluster. As in `scripts/pg.sh`, it listens on
//! 127.0.0.1 only and, under root, runs as the system user `ocm-pg` (Postgres refuses root).
//! Dropping it stops it and removes its folder, also when the test panics.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use sqlx::postgres::PgPoolOptions;
use sqlx::PgPool;

/// The user a cluster started by root runs as (the one `scripts/pg.sh` uses).
const OWNER: &str = "ocm-pg";

pub struct Cluster {
    dir: PathBuf,
    bin: PathBuf,
    owner: Option<&'static str>,
    port: u16,
}

impl Cluster {
    /// Initialises a cluster (trust authentication on loopback, durability off: it lives for one
    /// test) and starts it.
    pub fn start_new() -> Cluster {
        let nanos = std::time::UNIX_EPOCH.elapsed().unwrap().as_nanos();
        let dir =
            std::env::temp_dir().join(format!("ocm-pg-restart-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        // The cluster's owner walks through it to its own folder.
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
        let cluster = Cluster {
            dir,
            bin: server_binaries(),
            owner: running_as_root().then_some(OWNER),
            port: free_port(),
        };
        let data = cluster.data();
        match cluster.owner {
            Some(owner) => {
                ensure_user(owner);
                let pg = cluster.dir.join("pg");
                run(Command::new("install")
                    .args(["-d", "-m", "700", "-o", owner])
                    .arg(pg));
            }
            None => std::fs::create_dir_all(cluster.dir.join("pg")).unwrap(),
        }
        cluster.pg(
            "initdb",
            &[
                "-D",
                &data,
                "-U",
                "ocm",
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C.UTF-8",
                "--no-sync",
            ],
        );
        cluster.start();
        cluster
    }

    /// The test's temporary folder (the cluster's data is in `pg/` below it).
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn data(&self) -> String {
        self.dir.join("pg/data").display().to_string()
    }

    /// Starts the cluster on its port; answers once it takes connections.
    pub fn start(&self) {
        let options = format!(
            "-p {} -c listen_addresses=127.0.0.1 -c unix_socket_directories='' \
             -c fsync=off -c full_page_writes=off -c synchronous_commit=off",
            self.port
        );
        let log = self.dir.join("pg/postgres.log").display().to_string();
        let data = self.data();
        self.pg(
            "pg_ctl",
            &[
                "-D", &data, "-l", &log, "-w", "-t", "60", "-o", &options, "start",
            ],
        );
    }

    /// Stops the cluster as an operator would for a restart: connections are ended at once.
    pub fn stop(&self) {
        let data = self.data();
        self.pg(
            "pg_ctl",
            &["-D", &data, "-m", "fast", "-w", "-t", "60", "stop"],
        );
    }

    pub fn url(&self, database: &str) -> String {
        format!("postgres://ocm@127.0.0.1:{}/{database}", self.port)
    }

    /// Creates `name` and answers a pool on it (which reconnects by itself after a restart).
    pub async fn create_database(&self, name: &str) -> PgPool {
        let admin = PgPoolOptions::new()
            .max_connections(1)
            .connect(&self.url("postgres"))
            .await
            .unwrap();
        sqlx::query(&format!("create database {name}"))
            .execute(&admin)
            .await
            .unwrap();
        admin.close().await;
        PgPoolOptions::new()
            .max_connections(2)
            .connect(&self.url(name))
            .await
            .unwrap()
    }

    /// Runs one of Postgres's programs as the cluster's owner, from `/` (where the owner may be).
    fn pg(&self, program: &str, args: &[&str]) {
        let path = self.bin.join(program);
        let mut command = match self.owner {
            Some(owner) => {
                let mut command = Command::new("runuser");
                command.args(["-u", owner, "--"]).arg(path);
                command
            }
            None => Command::new(path),
        };
        run(command.args(args).current_dir("/"));
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let data = self.data();
        let path = self.bin.join("pg_ctl");
        let mut command = match self.owner {
            Some(owner) => {
                let mut command = Command::new("runuser");
                command.args(["-u", owner, "--"]).arg(path);
                command
            }
            None => Command::new(path),
        };
        let _ = command
            .args(["-D", &data, "-m", "immediate", "-w", "stop"])
            .current_dir("/")
            .output();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn run(command: &mut Command) {
    let output = command.output().unwrap();
    assert!(
        output.status.success(),
        "{command:?}: {}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// The newest installed PostgreSQL's server programs (Debian's layout, as `scripts/pg.sh`).
fn server_binaries() -> PathBuf {
    let mut found: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .expect("PostgreSQL's server programs are installed (make tools)")
        .filter_map(|entry| {
            let entry = entry.ok()?;
            let version = entry.file_name().to_str()?.parse().ok()?;
            let bin = entry.path().join("bin");
            bin.join("initdb").exists().then_some((version, bin))
        })
        .collect();
    found.sort();
    found.pop().expect("an initdb under /usr/lib/postgresql").1
}

fn running_as_root() -> bool {
    let output = Command::new("id").arg("-u").output().unwrap();
    String::from_utf8_lossy(&output.stdout).trim() == "0"
}

fn ensure_user(user: &str) {
    let known = Command::new("id").args(["-u", user]).output().unwrap();
    if !known.status.success() {
        run(Command::new("useradd").args([
            "--system",
            "--no-create-home",
            "--shell",
            "/usr/sbin/nologin",
            user,
        ]));
    }
}

/// A port nobody listens on, outside the range the system hands out for outgoing connections,
/// so that it is still free when the cluster starts again on it.
pub fn free_port() -> u16 {
    let seed = std::time::UNIX_EPOCH.elapsed().unwrap().subsec_nanos() as usize;
    (0..1_000)
        .map(|i| 20_000 + ((seed + i * 7_919) % 10_000) as u16)
        .find(|port| std::net::TcpListener::bind(("127.0.0.1", *port)).is_ok())
        .expect("a free port between 20000 and 30000")
}
