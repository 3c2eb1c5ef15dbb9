//! The client verifies POM's TLS certificate unless told otherwise.

use pom::client::{PomClient, PomConfig, PomError};
use pom_sim::{spawn_tls, Sim, SimSettings};

#[tokio::test]
async fn a_self_signed_certificate_is_refused_unless_verification_is_off() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let sim = Sim::new(SimSettings {
        demo: true,
        ..SimSettings::default()
    });
    let (address, certificate) = spawn_tls(listener, sim).unwrap();
    assert!(certificate.starts_with("-----BEGIN CERTIFICATE-----"));
    let mut config = PomConfig::for_origin(&format!("https://{address}"), "pomadmin", "pomadmin");
    config.retries = 0;
    assert!(config.verify_tls, "verification is on by default");
    let refused = PomClient::new(config.clone())
        .unwrap()
        .dnc_lists()
        .await
        .unwrap_err();
    assert!(
        matches!(refused, PomError::Transport(ref text) if text.to_lowercase().contains("certificate")),
        "{refused:?}"
    );
    config.verify_tls = false;
    let lists = PomClient::new(config).unwrap().dnc_lists().await.unwrap();
    assert_eq!(lists.len(), 3);
}
