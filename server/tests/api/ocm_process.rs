//! OCM as a real process (`ocm serve`, the binary `make run` starts) on the test's database and
//! simulator, for tests that kill it with SIGKILL mid-job and start it again.

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use sqlx::PgPool;

use super::pom_sim::PomSim;

/// A running `ocm serve`; killed (SIGKILL) when dropped, so no test leaves one behind.
pub struct OcmProcess {
    child: Child,
    exports: std::path::PathBuf,
}

/// The connection URL of the pool's database (the tests' server, another database).
async fn database_url(pool: &PgPool) -> String {
    let database: String = sqlx::query_scalar("select current_database()")
        .fetch_one(pool)
        .await
        .unwrap();
    let base = std::env::var("DATABASE_URL").expect("DATABASE_URL is set for the tests");
    let base = base.split('?').next().unwrap();
    format!("{}/{database}", &base[..base.rfind('/').unwrap()])
}

impl OcmProcess {
    /// Starts `ocm serve` against the pool's database and `sim`, with `extra` settings; returns
    /// once it answers `/healthz`. Work held longer than 2 s without a heartbeat is taken over.
    pub async fn start(pool: &PgPool, sim: &PomSim, extra: &[(&str, &str)]) -> OcmProcess {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let base = format!("http://127.0.0.1:{port}");
        let workspace = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
        let exports = std::env::temp_dir().join(format!("ocm-exports-{}", uuid::Uuid::new_v4()));
        let mut command = Command::new(env!("CARGO_BIN_EXE_ocm"));
        command
            .arg("serve")
            .current_dir(workspace)
            .env("DATABASE_URL", database_url(pool).await)
            .env("OCM_PUBLIC_URL", &base)
            .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
            .env("LEPTOS_SITE_ROOT", "target/site")
            .env("LEPTOS_OUTPUT_NAME", "ocm")
            .env("OCM_PHONE_REGION", "GB")
            .env("OCM_ERASURE_KEY", "5e".repeat(32))
            .env("OCM_EXPORT_DIR", &exports)
            .env("OCM_JOB_STALE_AFTER_SECONDS", "2")
            .env("OCM_LOG_FORMAT", "json")
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        for (key, value) in sim.settings() {
            command.env(key, value);
        }
        for (key, value) in extra {
            command.env(key, value);
        }
        let mut child = command.spawn().expect("ocm starts");
        let http = reqwest::Client::new();
        for _ in 0..300 {
            if let Some(status) = child.try_wait().unwrap() {
                panic!("ocm serve exited at start-up: {status}");
            }
            let health = http.get(format!("{base}/healthz")).send().await;
            if health.is_ok_and(|r| r.status().is_success()) {
                return OcmProcess { child, exports };
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let _ = child.kill();
        let _ = child.wait();
        panic!("ocm serve did not answer /healthz within 30 s");
    }

    /// SIGKILL: no shutdown, no release of what it holds, as when the host loses the process.
    pub fn kill9(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

impl Drop for OcmProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.exports);
    }
}

/// Waits until `sql` (one bigint from the job's row, `$1` the job id) reaches `at_least`.
pub async fn wait_until(pool: &PgPool, sql: &str, job_id: i64, at_least: i64) -> i64 {
    let mut seen = 0;
    for _ in 0..600 {
        seen = sqlx::query_scalar::<_, i64>(sql)
            .bind(job_id)
            .fetch_one(pool)
            .await
            .unwrap();
        if seen >= at_least {
            return seen;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("{sql} stayed at {seen}, below {at_least}");
}
