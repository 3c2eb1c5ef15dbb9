//! The real OpenSSH `sftp` command against the `pom-sim` binary's SFTP drop (key sign-in, host
//! key checked strictly through known_hosts), confinement seen from that client, and the host
//! key kept across a restart of the binary.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use pom::sftp::{SftpAuth, SftpClient};

use crate::support::{config, free_port, keygen, openssh_fingerprint, tool, TempDir};

const POM_SIM: &str = env!("CARGO_BIN_EXE_pom-sim");

struct PomSim {
    child: Child,
    sftp_port: u16,
    fingerprint: String,
}

impl PomSim {
    /// Starts `pom-sim` with its drop in `dir/drop` and reads the fingerprint it prints.
    fn start(dir: &TempDir) -> PomSim {
        let sftp_port = free_port();
        let mut child = Command::new(POM_SIM)
            .args(["--listen", &format!("127.0.0.1:{}", free_port())])
            .args(["--sftp-listen", &format!("127.0.0.1:{sftp_port}")])
            .args([
                "--sftp-user",
                "ocm:ocm-secret",
                "--sftp-user",
                "collections:",
            ])
            .arg("--sftp-authorized-keys")
            .arg(dir.join("client_key.pub"))
            .arg("--drop-dir")
            .arg(dir.join("drop"))
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (lines, received) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = lines.send(line);
            }
        });
        let fingerprint = loop {
            let line = received
                .recv_timeout(Duration::from_secs(30))
                .expect("pom-sim did not announce its SFTP drop");
            if line.starts_with("SFTP drop at sftp://") {
                let (_, key) = line.split_once("host key ").expect("a fingerprint");
                break key.trim().to_string();
            }
        };
        PomSim {
            child,
            sftp_port,
            fingerprint,
        }
    }
}

impl Drop for PomSim {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Runs `sftp` in batch mode as `user` with the test key, trusting only `known_hosts`.
fn sftp(dir: &TempDir, port: u16, user: &str, commands: &str) -> Output {
    let batch = dir.join("batch");
    std::fs::write(&batch, commands).unwrap();
    Command::new(tool("/usr/bin/sftp"))
        .args(["-F", "/dev/null", "-b"])
        .arg(&batch)
        .args(["-P", &port.to_string(), "-i"])
        .arg(dir.join("client_key"))
        .args(["-o", "BatchMode=yes", "-o", "IdentitiesOnly=yes"])
        .args(["-o", "StrictHostKeyChecking=yes"])
        .args(["-o", "GlobalKnownHostsFile=/dev/null"])
        .arg("-o")
        .arg(format!(
            "UserKnownHostsFile={}",
            dir.join("known_hosts").display()
        ))
        .arg(format!("{user}@127.0.0.1"))
        .current_dir(&dir.0)
        .output()
        .unwrap()
}

fn assert_refused(output: &Output, what: &str, reason: &str) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "{what} was accepted");
    assert!(stderr.contains(reason), "{what}: {stderr}");
}

fn keyscan(port: u16, known_hosts: &Path) {
    let output = Command::new(tool("/usr/bin/ssh-keyscan"))
        .args(["-p", &port.to_string(), "-t", "ed25519", "127.0.0.1"])
        .output()
        .unwrap();
    assert!(output.status.success() && !output.stdout.is_empty());
    std::fs::write(known_hosts, output.stdout).unwrap();
}

#[tokio::test]
async fn the_real_sftp_client_uploads_into_the_simulator() {
    let dir = TempDir::new("real-client");
    keygen(&dir.join("client_key"), "");
    std::fs::write(dir.join("leads.csv"), "id,phone\n1,5551234\n").unwrap();
    let sim = PomSim::start(&dir);
    keyscan(sim.sftp_port, &dir.join("known_hosts"));
    assert_eq!(
        openssh_fingerprint(&dir.join("known_hosts")),
        sim.fingerprint,
        "OpenSSH sees the fingerprint pom-sim prints"
    );

    let output = sftp(
        &dir,
        sim.sftp_port,
        "ocm",
        "pwd\nput leads.csv Sales_Leads_Main.csv\nmkdir archive\nput leads.csv archive/old.csv\nls -l\n",
    );
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{text}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(text.contains("Remote working directory: /ocm"), "{text}");
    let home = dir.join("drop/ocm");
    assert_eq!(
        std::fs::read_to_string(home.join("Sales_Leads_Main.csv")).unwrap(),
        "id,phone\n1,5551234\n"
    );
    assert!(home.join("archive/old.csv").is_file());

    // Confinement as the real client sees it; a user with an empty password signs in by key.
    for (commands, what, reason) in [
        (
            "put leads.csv ../escape.csv\n",
            "an upload to ../",
            "Permission denied",
        ),
        (
            "put leads.csv /collections/x.csv\n",
            "another user's folder",
            "Permission denied",
        ),
        ("cd /\n", "cd /", "outside your folder"),
        ("ls /etc\n", "ls /etc", "\"/etc\" not found"),
        (
            "symlink /etc link\n",
            "a symbolic link",
            "Permission denied",
        ),
    ] {
        assert_refused(&sftp(&dir, sim.sftp_port, "ocm", commands), what, reason);
    }
    assert!(!dir.join("drop/escape.csv").exists());
    let output = sftp(&dir, sim.sftp_port, "collections", "put leads.csv in.csv\n");
    assert!(output.status.success());
    assert!(dir.join("drop/collections/in.csv").is_file());

    // OCM's client signs in by password to the same binary.
    let client = SftpClient::new(config(
        sim.sftp_port,
        "ocm",
        SftpAuth::Password("ocm-secret".into()),
        &sim.fingerprint,
        "/ocm",
    ));
    client.upload(b"by password\n", "pw.csv").await.unwrap();
    assert!(home.join("pw.csv").is_file());

    // Restarted on the same drop, the server keeps its host key: strict checking against the
    // first run's known_hosts line (moved to the new port) still passes.
    let (fingerprint, old_port) = (sim.fingerprint.clone(), sim.sftp_port);
    drop(sim);
    let sim = PomSim::start(&dir);
    assert_eq!(sim.fingerprint, fingerprint);
    let known_hosts = std::fs::read_to_string(dir.join("known_hosts")).unwrap();
    let moved = known_hosts.replace(
        &format!("[127.0.0.1]:{old_port}"),
        &format!("[127.0.0.1]:{}", sim.sftp_port),
    );
    std::fs::write(dir.join("known_hosts"), moved).unwrap();
    let output = sftp(&dir, sim.sftp_port, "ocm", "ls\n");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}
