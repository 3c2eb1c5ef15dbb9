//! The real `pom-sim` binary: `--help`, users from the command line, 401 without credentials,
//! REST and SOAP answers, and organization scoping.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use pom::client::{PomClient, PomConfig};

const POM_SIM: &str = env!("CARGO_BIN_EXE_pom-sim");

struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[test]
fn help_documents_the_flags() {
    let output = Command::new(POM_SIM).arg("--help").output().unwrap();
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    for flag in [
        "--listen",
        "--demo",
        "--global-user",
        "--org-user",
        "--first-page",
        "--tls",
        "--drop-dir",
        "--sftp-listen",
        "--sftp-user",
        "--sftp-authorized-keys",
        "--sftp-host-key",
    ] {
        assert!(text.contains(flag), "{flag} missing from:\n{text}");
    }
    let bad = Command::new(POM_SIM)
        .args(["--org-user", "only-two:parts"])
        .output()
        .unwrap();
    assert!(!bad.status.success());
    assert!(String::from_utf8(bad.stderr)
        .unwrap()
        .contains("ORG:NAME:PASSWORD"));
}

#[test]
fn the_control_api_stays_off_the_network_unless_allowed() {
    let mut open = Command::new(POM_SIM)
        .args(["--listen", &format!("0.0.0.0:{}", free_port())])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // A simulator that starts serving never exits by itself: give it a few seconds, then stop it.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let status = loop {
        if let Some(status) = open.try_wait().unwrap() {
            break Some(status);
        }
        if std::time::Instant::now() > deadline {
            let _ = open.kill();
            break None;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    let mut error = String::new();
    std::io::Read::read_to_string(&mut open.stderr.take().unwrap(), &mut error).unwrap();
    assert!(
        status.is_some_and(|s| !s.success()),
        "it must refuse to start: {error}"
    );
    assert!(error.contains("--allow-remote"), "{error}");
}

#[tokio::test]
async fn the_binary_serves_rest_and_soap_to_its_users() {
    let port = free_port();
    let origin = format!("http://127.0.0.1:{port}");
    let _sim = Running(
        Command::new(POM_SIM)
            .args(["--listen", &format!("127.0.0.1:{port}"), "--demo"])
            .args([
                "--global-user",
                "ocm:ocm-secret",
                "--org-user",
                "Collections:coll.ocm:coll-secret",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let started = Instant::now();
    while reqwest::get(format!("{origin}/__sim/health"))
        .await
        .is_err()
    {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "pom-sim did not start"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let anonymous = reqwest::get(format!("{origin}/VP_POM_Service/v1/contactlists"))
        .await
        .unwrap();
    assert_eq!(anonymous.status(), 401);

    let global = PomClient::new(PomConfig::for_origin(&origin, "ocm", "ocm-secret")).unwrap();
    assert_eq!(global.contact_lists("Sales").await.unwrap().len(), 5);
    assert!(global.run_campaign("Sales_Predictive").await.unwrap());

    let org_user =
        PomClient::new(PomConfig::for_origin(&origin, "coll.ocm", "coll-secret")).unwrap();
    assert!(
        org_user.contact_lists("Sales").await.unwrap().is_empty(),
        "an organization user sees only its lists"
    );
    assert_eq!(
        org_user.contact_lists("Collections").await.unwrap().len(),
        4
    );
    let foreign = org_user
        .get_contact_list_names("Sales_Predictive")
        .await
        .unwrap_err();
    assert_eq!(foreign.fault_code(), Some(-30));
}
