//! The real `ocm` binary: its command line, fail-fast configuration, start-up banner, JSON logs
//! with request ids, and graceful shutdown on SIGTERM.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const OCM: &str = env!("CARGO_BIN_EXE_ocm");

fn ocm() -> Command {
    let mut command = Command::new(OCM);
    // Start from a clean slate: no inherited OCM settings, no .env.
    command
        .env_remove("DATABASE_URL")
        .current_dir(env!("CARGO_TARGET_TMPDIR"));
    command
}

#[test]
fn help_lists_the_subcommands() {
    let output = ocm().arg("--help").output().unwrap();
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    for subcommand in ["serve", "migrate", "check-config", "user", "team"] {
        assert!(
            text.contains(subcommand),
            "{subcommand} missing from:\n{text}"
        );
    }
    let user_help = String::from_utf8(
        ocm()
            .args(["user", "add", "--help"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert!(user_help.contains("never from an argument"), "{user_help}");
    assert!(
        !user_help.contains("--password "),
        "no password argument exists"
    );
}

#[test]
fn a_missing_variable_stops_start_up_naming_it() {
    let output = ocm().arg("serve").output().unwrap();
    assert!(!output.status.success());
    let error = String::from_utf8(output.stderr).unwrap();
    assert!(error.contains("DATABASE_URL"), "{error}");
    let output = ocm()
        .arg("check-config")
        .env("DATABASE_URL", "postgres://x@localhost/x")
        .env("OCM_SESSION_IDLE_SECS", "forever")
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(String::from_utf8(output.stderr)
        .unwrap()
        .contains("OCM_SESSION_IDLE_SECS"));
}

#[test]
fn check_config_hides_secrets() {
    let output = ocm()
        .arg("check-config")
        .env(
            "DATABASE_URL",
            "postgres://ocm:hunter2hunter2@localhost/ocm",
        )
        .env("OCM_DEMO_PASSWORD", "demo-secret-value")
        .output()
        .unwrap();
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        !text.contains("hunter2hunter2") && !text.contains("demo-secret-value"),
        "{text}"
    );
    assert!(text.contains("postgres://ocm:***@localhost/ocm"), "{text}");
}

#[test]
fn check_config_hides_credentials_inside_urls() {
    let output = ocm()
        .arg("check-config")
        .env("DATABASE_URL", "postgres://ocm@localhost/ocm")
        .env(
            "OCM_POM_BASE_URL",
            "https://pomuser:pom-url-secret@epm.example/VP_POM_Service/v1",
        )
        .env("OCM_PUBLIC_URL", "https://ocm.example.com")
        .env("OCM_PHONE_REGION", "GB")
        .env(
            "OCM_POM_FEED_URL",
            "https://feed:feed-url-secret@epm.example/feed?password=feed-query-secret",
        )
        .output()
        .unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(output.status.success(), "{text}");
    for secret in ["pom-url-secret", "feed-url-secret", "feed-query-secret"] {
        assert!(!text.contains(secret), "{secret} printed: {text}");
    }
    assert!(
        text.contains("https://pomuser:***@epm.example/VP_POM_Service/v1"),
        "{text}"
    );
}

#[test]
fn connected_mode_requires_the_public_url() {
    let output = ocm()
        .arg("check-config")
        .env("DATABASE_URL", "postgres://ocm@localhost/ocm")
        .env("OCM_POM_BASE_URL", "https://epm.example/VP_POM_Service/v1")
        .env("OCM_PHONE_REGION", "GB")
        .output()
        .unwrap();
    assert!(!output.status.success());
    let error = String::from_utf8(output.stderr).unwrap();
    assert!(error.contains("OCM_PUBLIC_URL"), "{error}");
}

/// The URL of another database on DATABASE_URL's server.
fn database_url(database: &str) -> String {
    let base = std::env::var("DATABASE_URL").expect("DATABASE_URL is set for the tests");
    let base = base.split('?').next().unwrap();
    format!("{}/{database}", &base[..base.rfind('/').unwrap()])
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[sqlx::test(migrations = false)]
async fn serve_prints_the_banner_logs_json_and_stops_cleanly_on_sigterm(pool: sqlx::PgPool) {
    let database = pool.connect_options().get_database().unwrap().to_string();
    let port = free_port();
    let mut child = ocm()
        .arg("serve")
        .env("DATABASE_URL", database_url(&database))
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .env("OCM_LOG_FORMAT", "json")
        .env("OCM_DEMO_PASSWORD", "binary-test-password")
        .env("OCM_SIM_LISTEN", format!("127.0.0.1:{}", free_port()))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let client = reqwest::Client::new();
    let started = Instant::now();
    loop {
        if let Ok(response) = client
            .get(format!("http://127.0.0.1:{port}/healthz"))
            .send()
            .await
        {
            assert_eq!(response.status(), 200);
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "ocm did not start"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let ready = client
        .get(format!("http://127.0.0.1:{port}/readyz"))
        .send()
        .await
        .unwrap();
    assert_eq!(ready.status(), 200);
    let request_id = ready.headers()["x-request-id"]
        .to_str()
        .unwrap()
        .to_string();

    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let exit = tokio::task::spawn_blocking(move || {
        let output = child.wait().unwrap();
        let lines: Vec<String> = BufReader::new(child.stdout.take().unwrap())
            .lines()
            .map_while(Result::ok)
            .collect();
        (output, lines)
    });
    let (exit_status, lines) = tokio::time::timeout(Duration::from_secs(30), exit)
        .await
        .unwrap()
        .unwrap();
    assert!(exit_status.success(), "graceful shutdown exits 0");
    let text = lines.join("\n");
    assert!(
        text.contains(&format!("OCM is running at http://127.0.0.1:{port}")),
        "{text}"
    );
    assert!(
        text.contains("Demo logins: admin, supervisor, manager"),
        "{text}"
    );
    assert!(
        text.contains("Built-in POM simulator (demo data): http://127.0.0.1:"),
        "{text}"
    );
    assert!(
        !text.contains("binary-test-password"),
        "a password from the environment is not printed"
    );
    let json: Vec<serde_json::Value> = lines
        .iter()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    assert!(
        json.iter().any(|l| l["message"] == "stopped cleanly"),
        "{text}"
    );
    assert!(
        json.iter()
            .any(|l| l["span"]["request_id"] == request_id.as_str()),
        "request logs carry the request id {request_id}:\n{text}"
    );
}
