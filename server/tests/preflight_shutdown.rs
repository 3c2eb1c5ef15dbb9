//! The real `ocm` binary stops promptly on SIGTERM while a long pre-flight is under way: the
//! pre-flight's cancel flag is raised at the signal, the upload is answered 503 with
//! `Retry-After`, and the process exits well within the shutdown deadline (before issue 14 it
//! logged "stopped cleanly" and then waited for the blocking pre-flight to finish).

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const OCM: &str = env!("CARGO_BIN_EXE_ocm");
const PASSWORD: &str = "preflight-shutdown-password";
/// Far less than the 20 s grace for requests plus the minutes the file's pre-flight takes.
const EXIT_WITHIN: Duration = Duration::from_secs(10);

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The URL of another database on DATABASE_URL's server.
fn database_url(database: &str) -> String {
    let base = std::env::var("DATABASE_URL").expect("DATABASE_URL is set for the tests");
    let base = base.split('?').next().unwrap();
    format!("{}/{database}", &base[..base.rfind('/').unwrap()])
}

/// Rows of the DNC file: its pre-flight takes about 15 s in a debug build (5 s per million rows).
const ROWS: u32 = 3_000_000;

/// A DNC file of [`ROWS`] phone numbers (42 MB).
fn long_file() -> Vec<u8> {
    let mut file = b"phone\n".to_vec();
    for i in 0..ROWS {
        file.extend(format!("+4477{i:08}\n").as_bytes());
    }
    file
}

/// Kills the server (by its id) when the test ends before the server exited.
struct Running(u32, bool);

impl Drop for Running {
    fn drop(&mut self) {
        if !self.1 {
            let _ = Command::new("kill")
                .args(["-KILL", &self.0.to_string()])
                .status();
        }
    }
}

#[sqlx::test(migrations = false)]
async fn sigterm_during_a_long_preflight_exits_within_the_deadline(pool: sqlx::PgPool) {
    let database = pool.connect_options().get_database().unwrap().to_string();
    let port = free_port();
    let mut child = Command::new(OCM)
        .arg("serve")
        .env_remove("DATABASE_URL")
        .current_dir(env!("CARGO_TARGET_TMPDIR"))
        .env("DATABASE_URL", database_url(&database))
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .env("OCM_DEMO_PASSWORD", PASSWORD)
        .env("OCM_DNC_MAX_FILE_MB", "100")
        .env("OCM_DNC_MAX_ROWS", ROWS.to_string())
        .env("OCM_SIM_LISTEN", format!("127.0.0.1:{}", free_port()))
        .env("OCM_SIM_SFTP_LISTEN", format!("127.0.0.1:{}", free_port()))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut running = Running(child.id(), false);
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let started = Instant::now();
    while client.get(format!("{base}/healthz")).send().await.is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "ocm did not start"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let signed_in = client
        .post(format!("{base}/auth/login"))
        .form(&[("username", "supervisor"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(signed_in.status(), 303);

    let form = reqwest::multipart::Form::new()
        .text("mode", "dnc_list")
        .part(
            "file",
            reqwest::multipart::Part::bytes(long_file()).file_name("long.csv"),
        );
    let upload = tokio::spawn({
        let client = client.clone();
        async move {
            client
                .post(format!("{base}/dnc/upload"))
                .multipart(form)
                .send()
                .await
        }
    });
    // The file is sent in well under this; its pre-flight is then under way.
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert!(
        !upload.is_finished(),
        "the pre-flight ended before the signal: the file is too small to test shutdown"
    );
    let signalled = Instant::now();
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let exited = tokio::task::spawn_blocking(move || child.wait().unwrap());
    let exit = tokio::time::timeout(Duration::from_secs(60), exited)
        .await
        .expect("ocm exits")
        .unwrap();
    running.1 = true;
    let took = signalled.elapsed();
    assert!(exit.success(), "{exit}");
    assert!(took < EXIT_WITHIN, "ocm took {took:?} to exit");
    let answer = upload.await.unwrap().expect("the upload is answered");
    assert_eq!(answer.status(), 503);
    assert!(answer.headers().contains_key("retry-after"));
    let page = answer.text().await.unwrap();
    assert!(page.contains("OCM is shutting down"), "{page}");
}
