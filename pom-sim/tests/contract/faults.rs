//! Injected faults come back as the right typed errors, and only safe calls are retried.

use pom::client::PomError;
use serde_json::json;

use super::helpers::start;

async fn inject(h: &super::helpers::Harness, endpoint: &str, kind: serde_json::Value) {
    let rules = json!([{ "endpoint": endpoint, "error_rate": 1.0, "kind": kind }]);
    assert!(h.control("faults", rules).await.status().is_success());
}

#[tokio::test]
async fn server_errors_are_retried_for_reads_only() {
    let h = start().await;
    inject(&h, "contactlists", json!({ "status": 503 })).await;
    let error = h.global().contact_lists("Sales").await.unwrap_err();
    assert!(
        matches!(error, PomError::Status { status: 503, .. }),
        "{error:?}"
    );
    assert_eq!(
        h.requests().await["contactlists"],
        3,
        "one call and two retries"
    );

    inject(&h, "contacts.delete", json!({ "status": 500 })).await;
    let list = 1;
    let error = h
        .global()
        .delete_contact(list, "0000001")
        .await
        .unwrap_err();
    assert!(
        matches!(error, PomError::Status { status: 500, .. }),
        "{error:?}"
    );
    assert_eq!(
        h.requests().await["contacts.delete"],
        1,
        "a write is never repeated"
    );

    inject(&h, "PauseActiveJob", json!({ "status": 502 })).await;
    assert!(h
        .global()
        .pause_active_job(1)
        .await
        .unwrap_err()
        .is_transient());
    assert_eq!(h.requests().await["PauseActiveJob"], 1);
}

#[tokio::test]
async fn a_hanging_pom_is_a_timeout() {
    let h = start().await;
    inject(&h, "dnclists", json!("timeout")).await;
    let mut config = h.config("pomadmin");
    config.timeout = std::time::Duration::from_millis(300);
    config.retries = 1;
    let error = pom::client::PomClient::new(config)
        .unwrap()
        .dnc_lists()
        .await
        .unwrap_err();
    assert!(matches!(error, PomError::Timeout(_)), "{error:?}");
    assert!(error.user_message().contains("did not answer"));
    assert_eq!(
        h.requests().await["dnclists"],
        2,
        "timeouts of reads are retried"
    );
}

#[tokio::test]
async fn a_malformed_answer_is_a_decode_error_with_an_excerpt() {
    let h = start().await;
    inject(&h, "contacts.list", json!("malformed")).await;
    let error = h.global().contacts_page(1, 0, 10, None).await.unwrap_err();
    match error {
        PomError::Decode { what, excerpt } => {
            assert_eq!(what, "contacts.list");
            assert!(excerpt.contains("not json"), "{excerpt}");
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
    inject(&h, "RunCampaign", json!("malformed")).await;
    assert!(matches!(
        h.global()
            .run_campaign("Sales_Predictive")
            .await
            .unwrap_err(),
        PomError::Decode { .. }
    ));
}

#[tokio::test]
async fn a_pom_that_is_down_is_a_transport_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let origin = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let mut config = pom::client::PomConfig::for_origin(&origin, "u", "p");
    config.retries = 0;
    let error = pom::client::PomClient::new(config)
        .unwrap()
        .dnc_lists()
        .await
        .unwrap_err();
    assert!(matches!(error, PomError::Transport(_)), "{error:?}");
    assert!(error.user_message().contains("could not be reached"));
}
