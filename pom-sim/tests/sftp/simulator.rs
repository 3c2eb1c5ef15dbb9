//! OCM's client against the simulator's SFTP server: password and key sign-in, confinement to
//! the user's folder, persistent host key, full disk, and the connection failures.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::time::Duration;

use pom::sftp::{probe_host_key, SftpAuth, SftpClient, SftpError};
use pom_sim::sftp::{load_authorized_keys, spawn_sftp, SftpServer, SftpServerConfig};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use crate::support::{config, keygen, names_in, TempDir};

async fn start(dir: &TempDir, quota_bytes: Option<u64>) -> SftpServer {
    if !dir.join("client_key").exists() {
        keygen(&dir.join("client_key"), "");
    }
    let users = BTreeMap::from([
        ("ocm".to_string(), "ocm-secret".to_string()),
        ("collections".to_string(), "other-secret".to_string()),
    ]);
    let server_config = SftpServerConfig {
        drop_dir: dir.join("drop"),
        users,
        authorized_keys: load_authorized_keys(&dir.join("client_key.pub")).unwrap(),
        host_key: dir.join("host_key"),
        quota_bytes,
    };
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    spawn_sftp(listener, server_config).unwrap()
}

fn password(server: &SftpServer, secret: &str, remote_dir: &str) -> SftpClient {
    SftpClient::new(config(
        server.address.port(),
        "ocm",
        SftpAuth::Password(secret.into()),
        &server.host_key_fingerprint,
        remote_dir,
    ))
}

#[tokio::test]
async fn password_and_key_uploads_land_in_the_users_folder() {
    let dir = TempDir::new("sim-upload");
    let server = start(&dir, None).await;
    let home = dir.join("drop/ocm");
    assert!(
        dir.join("drop/collections").is_dir(),
        "folders made at start"
    );

    let report = password(&server, "ocm-secret", ".")
        .upload(b"first\n", "Sales_Leads_Main.csv")
        .await
        .unwrap();
    assert_eq!(report.remote_path, "Sales_Leads_Main.csv");
    // Replacing takes the plain-rename path here: remove the old file, then rename.
    let big: Vec<u8> = (0..300_000u32).map(|i| (i % 253) as u8).collect();
    password(&server, "ocm-secret", "/ocm")
        .upload(&big, "Sales_Leads_Main.csv")
        .await
        .unwrap();
    assert_eq!(
        std::fs::read(home.join("Sales_Leads_Main.csv")).unwrap(),
        big
    );
    assert_eq!(names_in(&home), ["Sales_Leads_Main.csv"]);

    let key = SftpClient::new(config(
        server.address.port(),
        "ocm",
        SftpAuth::Key {
            path: dir.join("client_key"),
            passphrase: None,
        },
        &server.host_key_fingerprint,
        "/ocm",
    ));
    key.upload(b"by key\n", "keyed.csv").await.unwrap();
    assert_eq!(std::fs::read(home.join("keyed.csv")).unwrap(), b"by key\n");

    let error = password(&server, "wrong", ".")
        .upload(b"x", "x.csv")
        .await
        .unwrap_err();
    assert_eq!(error, SftpError::AuthRefused { user: "ocm".into() });
    assert!(error.to_string().contains("refused the sign-in of ocm"));
}

#[tokio::test]
async fn paths_outside_the_users_folder_are_refused() {
    let dir = TempDir::new("sim-confine");
    let server = start(&dir, None).await;
    let outside = dir.join("outside");
    std::fs::create_dir(&outside).unwrap();
    std::os::unix::fs::symlink(&outside, dir.join("drop/ocm/link-out")).unwrap();
    std::fs::create_dir(dir.join("drop/ocm/in")).unwrap();
    std::os::unix::fs::symlink(dir.join("drop/ocm/in"), dir.join("drop/ocm/link-in")).unwrap();

    for remote_dir in [
        "..",
        "../collections",
        "/collections",
        "/",
        "/etc",
        "link-out",
    ] {
        let error = password(&server, "ocm-secret", remote_dir)
            .upload(b"x", "escape.csv")
            .await
            .unwrap_err();
        assert!(
            matches!(error, SftpError::PermissionDenied { .. }),
            "{remote_dir}: {error}"
        );
    }
    let error = password(&server, "ocm-secret", "nope")
        .upload(b"x", "x.csv")
        .await
        .unwrap_err();
    assert_eq!(
        error,
        SftpError::MissingFolder {
            path: "nope".into()
        }
    );
    let error = password(&server, "ocm-secret", ".")
        .upload(b"x", "../x.csv")
        .await
        .unwrap_err();
    assert!(matches!(error, SftpError::InvalidName { .. }), "{error}");

    password(&server, "ocm-secret", "link-in")
        .upload(b"inside\n", "ok.csv")
        .await
        .unwrap();
    assert!(dir.join("drop/ocm/in/ok.csv").is_file());
    assert!(names_in(&outside).is_empty());
    assert!(names_in(&dir.join("drop/collections")).is_empty());
}

#[tokio::test]
async fn the_host_key_survives_a_restart_and_is_pinned() {
    let dir = TempDir::new("sim-host-key");
    let first = start(&dir, None).await;
    let fingerprint = first.host_key_fingerprint.clone();
    assert!(fingerprint.starts_with("SHA256:"), "{fingerprint}");
    first.task.abort();

    let again = start(&dir, None).await;
    assert_eq!(again.host_key_fingerprint, fingerprint);
    let probed = probe_host_key("127.0.0.1", again.address.port(), Duration::from_secs(5))
        .await
        .unwrap();
    assert_eq!(probed, fingerprint);
    password(&again, "ocm-secret", ".")
        .upload(b"x\n", "after-restart.csv")
        .await
        .unwrap();

    // Another key file is another server as far as OCM is concerned.
    std::fs::remove_file(dir.join("host_key")).unwrap();
    let changed = start(&dir, None).await;
    let mut client_config = config(
        changed.address.port(),
        "ocm",
        SftpAuth::Password("ocm-secret".into()),
        &fingerprint,
        ".",
    );
    let error = SftpClient::new(client_config.clone())
        .upload(b"x", "x.csv")
        .await
        .unwrap_err();
    assert!(
        matches!(&error, SftpError::HostKeyMismatch { got, .. } if *got == changed.host_key_fingerprint),
        "{error}"
    );
    client_config.host_key_fingerprint = String::new();
    let error = SftpClient::new(client_config)
        .upload(b"x", "x.csv")
        .await
        .unwrap_err();
    assert!(matches!(error, SftpError::HostKeyUnknown { .. }), "{error}");
}

#[tokio::test]
async fn a_full_disk_is_reported_and_leaves_no_partial_file() {
    let dir = TempDir::new("sim-full");
    let server = start(&dir, Some(100_000)).await;
    let client = password(&server, "ocm-secret", ".");
    client.upload(&[b'a'; 40_000], "small.csv").await.unwrap();
    let error = client
        .upload(&[b'b'; 200_000], "big.csv")
        .await
        .unwrap_err();
    assert!(
        matches!(&error, SftpError::DiskFull { path } if path.starts_with(".big.csv.part-")),
        "{error}"
    );
    assert!(error.to_string().contains("disk is full"), "{error}");
    assert_eq!(names_in(&dir.join("drop/ocm")), ["small.csv"]);
}

/// Relays one connection to `target`, cutting both sides once the client has sent `limit` bytes.
async fn cutting_proxy(target: SocketAddr, limit: usize) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let (client, _) = listener.accept().await.unwrap();
        let server = TcpStream::connect(target).await.unwrap();
        let (mut client_read, mut client_write) = client.into_split();
        let (mut server_read, mut server_write) = server.into_split();
        let down = tokio::spawn(async move {
            let _ = tokio::io::copy(&mut server_read, &mut client_write).await;
        });
        let mut sent = 0;
        let mut buffer = vec![0; 16 * 1024];
        while sent < limit {
            match client_read.read(&mut buffer).await {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    if server_write.write_all(&buffer[..n]).await.is_err() {
                        break;
                    }
                    sent += n;
                }
            }
        }
        down.abort();
    });
    address
}

#[tokio::test]
async fn connection_failures_have_their_own_errors() {
    let dir = TempDir::new("sim-drop");
    let server = start(&dir, None).await;

    // Dropped in the middle of the transfer.
    let proxy = cutting_proxy(server.address, 200_000).await;
    let mut client_config = config(
        proxy.port(),
        "ocm",
        SftpAuth::Password("ocm-secret".into()),
        &server.host_key_fingerprint,
        ".",
    );
    let error = SftpClient::new(client_config.clone())
        .upload(&vec![7u8; 2_000_000], "big.csv")
        .await
        .unwrap_err();
    assert_eq!(
        error,
        SftpError::ConnectionDropped {
            stage: "during the transfer"
        }
    );

    // Accepted, then closed before the handshake.
    let closing = TcpListener::bind("127.0.0.1:0").await.unwrap();
    client_config.port = closing.local_addr().unwrap().port();
    tokio::spawn(async move {
        while let Ok((socket, _)) = closing.accept().await {
            drop(socket);
        }
    });
    let error = SftpClient::new(client_config.clone())
        .upload(b"x", "x.csv")
        .await
        .unwrap_err();
    assert_eq!(
        error,
        SftpError::ConnectionDropped {
            stage: "during the handshake"
        }
    );

    // Accepted, then silent.
    let silent = TcpListener::bind("127.0.0.1:0").await.unwrap();
    client_config.port = silent.local_addr().unwrap().port();
    client_config.timeout = Duration::from_secs(1);
    let error = SftpClient::new(client_config.clone())
        .upload(b"x", "x.csv")
        .await
        .unwrap_err();
    assert_eq!(error, SftpError::Timeout { seconds: 1 });
    drop(silent);

    // Nothing listening.
    client_config.port = crate::support::free_port();
    let error = SftpClient::new(client_config)
        .upload(b"x", "x.csv")
        .await
        .unwrap_err();
    assert!(matches!(error, SftpError::Unreachable { .. }), "{error}");
    assert!(error.to_string().contains("cannot reach"), "{error}");
}
