//! OCM's client against a real OpenSSH `sshd`: key sign-in (plain and passphrase-protected),
//! temporary name then atomic rename, size check, removal, pinned host key, missing folder,
//! refused key.

use std::process::Command;

use pom::sftp::{probe_host_key, SftpAuth, SftpClient, SftpError};

use crate::support::{keygen, names_in, Sshd};

fn sha256sum(path: &std::path::Path) -> String {
    let output = Command::new("sha256sum").arg(path).output().unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    text.split_whitespace().next().unwrap().to_string()
}

#[tokio::test]
async fn the_client_uploads_to_openssh_through_a_temporary_name() {
    let sshd = Sshd::start();
    let drop = sshd.dir.join("drop");
    let client = SftpClient::new(sshd.client_config(&drop));

    let report = client
        .upload(b"id,phone\n1,555\n", "leads.csv")
        .await
        .unwrap();
    assert_eq!(report.remote_path, format!("{}/leads.csv", drop.display()));
    assert_eq!(report.bytes, 15);
    assert_eq!(
        std::fs::read(drop.join("leads.csv")).unwrap(),
        b"id,phone\n1,555\n"
    );
    assert_eq!(report.sha256, sha256sum(&drop.join("leads.csv")));

    // A second, larger upload (many pipelined writes) replaces the file through
    // posix-rename@openssh.com and leaves nothing else behind.
    let big: Vec<u8> = (0..700_000u32).map(|i| (i % 251) as u8).collect();
    let report = client.upload(&big, "leads.csv").await.unwrap();
    assert_eq!(report.bytes, big.len() as u64);
    assert_eq!(std::fs::read(drop.join("leads.csv")).unwrap(), big);
    assert_eq!(names_in(&drop), ["leads.csv"]);

    // Taking an upload back removes it; a file already gone counts as removed.
    client.remove("leads.csv").await.unwrap();
    assert!(names_in(&drop).is_empty());
    client.remove("leads.csv").await.unwrap();
    client.upload(&big, "leads.csv").await.unwrap();

    // The same through a passphrase-protected key, and a local file.
    let locked = sshd.dir.join("locked_key");
    keygen(&locked, "correct horse");
    let mut keys = std::fs::read_to_string(sshd.dir.join("authorized_keys")).unwrap();
    keys.push_str(&std::fs::read_to_string(sshd.dir.join("locked_key.pub")).unwrap());
    std::fs::write(sshd.dir.join("authorized_keys"), keys).unwrap();
    let local = sshd.dir.join("local.csv");
    std::fs::write(&local, "from a file\n").unwrap();
    let mut config = sshd.client_config(&drop);
    config.auth = SftpAuth::Key {
        path: locked.clone(),
        passphrase: Some("correct horse".into()),
    };
    SftpClient::new(config.clone())
        .upload_file(&local, "from-file.csv")
        .await
        .unwrap();
    assert_eq!(
        std::fs::read_to_string(drop.join("from-file.csv")).unwrap(),
        "from a file\n"
    );
    config.auth = SftpAuth::Key {
        path: locked,
        passphrase: Some("wrong".into()),
    };
    let error = SftpClient::new(config)
        .upload(b"x", "x.csv")
        .await
        .unwrap_err();
    assert!(matches!(error, SftpError::Key { .. }), "{error}");
}

#[tokio::test]
async fn the_host_key_is_pinned_by_its_openssh_fingerprint() {
    let sshd = Sshd::start();
    let drop = sshd.dir.join("drop");
    let probed = probe_host_key("127.0.0.1", sshd.port, std::time::Duration::from_secs(10))
        .await
        .unwrap();
    assert_eq!(probed, sshd.host_fingerprint, "same form as ssh-keygen -lf");

    let mut config = sshd.client_config(&drop);
    config.host_key_fingerprint = "SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA".into();
    let error = SftpClient::new(config.clone())
        .upload(b"x", "x.csv")
        .await
        .unwrap_err();
    assert_eq!(
        error,
        SftpError::HostKeyMismatch {
            host: "127.0.0.1".into(),
            expected: config.host_key_fingerprint.clone(),
            got: sshd.host_fingerprint.clone(),
        }
    );
    config.host_key_fingerprint = String::new();
    let error = SftpClient::new(config)
        .upload(b"x", "x.csv")
        .await
        .unwrap_err();
    assert!(
        matches!(&error, SftpError::HostKeyUnknown { got, .. } if *got == sshd.host_fingerprint),
        "{error}"
    );
    assert!(names_in(&drop).is_empty(), "nothing written");
}

#[tokio::test]
async fn openssh_refusals_have_clear_errors() {
    let sshd = Sshd::start();
    let missing = sshd.dir.join("no-such-folder");
    let error = SftpClient::new(sshd.client_config(&missing))
        .upload(b"x", "x.csv")
        .await
        .unwrap_err();
    assert_eq!(
        error,
        SftpError::MissingFolder {
            path: missing.display().to_string()
        }
    );
    assert!(error.to_string().contains("does not exist"), "{error}");

    let stranger = sshd.dir.join("stranger_key");
    keygen(&stranger, "");
    let mut config = sshd.client_config(&sshd.dir.join("drop"));
    config.auth = SftpAuth::Key {
        path: stranger,
        passphrase: None,
    };
    let error = SftpClient::new(config)
        .upload(b"x", "x.csv")
        .await
        .unwrap_err();
    assert!(matches!(error, SftpError::AuthRefused { .. }), "{error}");
}
