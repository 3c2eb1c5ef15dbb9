//! The rest of the surface: WSDL serving, every API version prefix, strict headers, SOAP auth,
//! malformed SOAP, scheduled starts, and the faults demo data cannot reach on its own.

use pom::client::PomError;
use pom_sim::SimSettings;
use serde_json::json;

use super::helpers::{code, start, start_with};

#[tokio::test]
async fn the_wsdls_are_served_and_every_version_prefix_answers() {
    let h = start().await;
    for service in ["VP_POMCmpMgmtService", "VP_POMAgentAPIService"] {
        let wsdl = reqwest::get(format!("{}/axis2/services/{service}?wsdl", h.origin))
            .await
            .unwrap();
        assert_eq!(wsdl.status(), 200);
        assert!(wsdl.text().await.unwrap().contains("wsdl:definitions"));
    }
    let http = reqwest::Client::new();
    for version in ["v1", "v2", "v3", "v4"] {
        let url = format!("{}/VP_POM_Service/{version}/campaigns/joblist/", h.origin);
        let response = http
            .get(url)
            .basic_auth("pomadmin", Some("pomadmin"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{version}");
    }
    let v9 = http
        .get(format!("{}/VP_POM_Service/v9/dnclists", h.origin))
        .basic_auth("pomadmin", Some("pomadmin"))
        .send()
        .await
        .unwrap();
    assert_eq!(v9.status(), 404);
}

#[tokio::test]
async fn strict_headers_require_x_requested_with_which_the_client_sends() {
    let h = start_with(SimSettings {
        demo: true,
        strict_headers: true,
        ..SimSettings::default()
    })
    .await;
    let bare = reqwest::Client::new()
        .get(format!("{}/VP_POM_Service/v1/dnclists", h.origin))
        .basic_auth("pomadmin", Some("pomadmin"))
        .send()
        .await
        .unwrap();
    assert_eq!(bare.status(), 403);
    assert_eq!(h.global().dnc_lists().await.unwrap().len(), 3);
}

#[tokio::test]
async fn soap_refuses_bad_credentials_and_malformed_requests() {
    let h = start().await;
    let mut config = h.config("pomadmin");
    config.password = "wrong".into();
    let error = pom::client::PomClient::new(config)
        .unwrap()
        .run_campaign("Sales_Predictive")
        .await
        .unwrap_err();
    assert_eq!(error, PomError::Unauthorized);
    let garbage = reqwest::Client::new()
        .post(format!("{}/axis2/services/VP_POMCmpMgmtService", h.origin))
        .basic_auth("pomadmin", Some("pomadmin"))
        .body("<not-soap")
        .send()
        .await
        .unwrap();
    assert_eq!(garbage.status(), 500);
    assert!(garbage.text().await.unwrap().contains("soapenv:Client"));
}

#[tokio::test]
async fn job_state_filters_and_other_organizations_jobs_are_refused() {
    let h = start().await;
    let error = h
        .global()
        .get_campaign_jobs("Sales_Predictive", &["RUNNING"])
        .await
        .unwrap_err();
    assert_eq!(code(error.clone()), -53);
    assert!(error.to_string().contains("Invalid job state."), "{error}");
    let snapshot: serde_json::Value = reqwest::get(format!("{}/__sim/snapshot", h.origin))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(
        snapshot.get("users").is_none(),
        "snapshots never expose POM passwords"
    );
    let collections = snapshot["campaigns"]
        .as_object()
        .unwrap()
        .values()
        .find(|c| c["organization"] == "Collections")
        .unwrap();
    let id = collections["id"].as_i64().unwrap();
    let refused = h.client("sales.pom").start_job(id).await.unwrap_err();
    assert!(
        matches!(refused, PomError::Status { status: 403, .. }),
        "{refused:?}"
    );
}

#[tokio::test]
async fn a_scheduled_campaign_starts_a_job_at_its_time() {
    let h = start().await;
    let client = h.global();
    let soon = time::OffsetDateTime::now_utc() + time::Duration::seconds(30);
    let format = time::macros::format_description!("[year]/[month]/[day] [hour]:[minute]:[second]");
    client
        .schedule_campaign(
            "Sales_Renewals_Preview",
            &soon.format(format).unwrap(),
            "UTC",
        )
        .await
        .unwrap();
    assert!(client
        .get_campaign_jobs("Sales_Renewals_Preview", &[])
        .await
        .unwrap()
        .is_empty());
    h.fast_clock().await;
    let jobs = client
        .get_campaign_jobs("Sales_Renewals_Preview", &[])
        .await
        .unwrap();
    assert_eq!(jobs.len(), 1, "{jobs:?}");
}

#[tokio::test]
async fn campaigns_without_codes_or_lists_give_their_faults() {
    let h = start().await;
    let campaign = json!({
        "id": 0, "name": "Bare", "organization": "Sales", "kind": "preview", "finite": false,
        "lists": [], "completion_codes": [], "schedules": []
    });
    assert!(h.control("campaigns", campaign).await.status().is_success());
    let client = h.global();
    assert_eq!(
        code(client.get_contact_list_names("Bare").await.unwrap_err()),
        -68
    );
    client.run_campaign("Bare").await.unwrap();
    let (job, _) = client.get_campaign_jobs("Bare", &[]).await.unwrap()[0].clone();
    assert_eq!(
        code(
            client
                .get_all_completion_codes_for_campaign(job)
                .await
                .unwrap_err()
        ),
        -32
    );
}
