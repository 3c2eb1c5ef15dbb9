//! SOAP campaign and job operations with their faults.

use super::helpers::{code, start};

#[tokio::test]
async fn campaign_details_without_states_list_names_with_negative_job_ids() {
    let h = start().await;
    let sales = h
        .client("sales.pom")
        .get_campaign_details(&[])
        .await
        .unwrap();
    assert_eq!(
        sales.len(),
        4,
        "an organization user sees only its campaigns"
    );
    assert!(sales
        .iter()
        .all(|c| c.job_id.is_some_and(|id| id < 0) && c.job_state.is_none()));
    assert_eq!(
        code(
            h.global()
                .get_campaign_details(&["JOB_RUNNING"])
                .await
                .unwrap_err()
        ),
        -53
    );
}

#[tokio::test]
async fn a_job_goes_queued_active_paused_active_stopping_stopped() {
    let h = start().await;
    let client = h.client("sales.pom");
    assert!(client.run_campaign("Sales_Predictive").await.unwrap());
    let jobs = client
        .get_campaign_jobs("Sales_Predictive", &[])
        .await
        .unwrap();
    let (job, state) = jobs[0].clone();
    assert_eq!(state, "JOB_QUEUED");
    assert_eq!(
        code(client.pause_active_job(job).await.unwrap_err()),
        -55,
        "a queued job is not active"
    );
    h.fast_clock().await;
    assert_eq!(
        client
            .get_campaign_jobs("Sales_Predictive", &["JOB_ACTIVE"])
            .await
            .unwrap(),
        vec![(job, "JOB_ACTIVE".to_string())]
    );
    let active = client.get_campaign_details(&["JOB_ACTIVE"]).await.unwrap();
    assert_eq!(active.len(), 1);
    assert_eq!(active[0].job_id, Some(job));
    assert_eq!(code(client.resume_paused_job(job).await.unwrap_err()), -56);
    assert!(client.pause_active_job(job).await.unwrap());
    assert!(client.resume_paused_job(job).await.unwrap());
    assert!(client.stop_job(job).await.unwrap());
    assert_eq!(
        code(client.stop_job(job).await.unwrap_err()),
        -57,
        "a stopping job cannot be stopped again"
    );
    h.fast_clock().await;
    let states: Vec<String> = client
        .get_campaign_jobs("Sales_Predictive", &[])
        .await
        .unwrap()
        .into_iter()
        .map(|(_, s)| s)
        .collect();
    assert_eq!(states, vec!["JOB_STOPPED".to_string()]);
    assert_eq!(
        code(client.pause_active_job(424_242).await.unwrap_err()),
        -1
    );
}

#[tokio::test]
async fn campaign_faults_are_scoped_and_named() {
    let h = start().await;
    let sales = h.client("sales.pom");
    assert_eq!(
        code(sales.run_campaign("No_Such_Campaign").await.unwrap_err()),
        -26
    );
    assert_eq!(
        code(
            sales
                .run_campaign("Coll_Promises_Preview")
                .await
                .unwrap_err()
        ),
        -30
    );
    assert!(sales
        .run_campaign("Sales_Winback_Progressive")
        .await
        .unwrap());
    let again = sales
        .run_campaign("Sales_Winback_Progressive")
        .await
        .unwrap_err();
    assert_eq!(code(again.clone()), -51);
    assert_eq!(
        again.user_message(),
        "This infinite campaign already has a running job."
    );
    let collections_job = h
        .global()
        .run_campaign("Coll_Promises_Preview")
        .await
        .unwrap();
    assert!(collections_job);
    let (job, _) = h
        .global()
        .get_campaign_jobs("Coll_Promises_Preview", &[])
        .await
        .unwrap()[0]
        .clone();
    assert_eq!(
        code(sales.stop_job(job).await.unwrap_err()),
        -30,
        "an organization user cannot stop another's job"
    );
}

#[tokio::test]
async fn schedules_lists_attributes_and_completion_codes() {
    let h = start().await;
    let client = h.global();
    assert_eq!(
        client
            .schedule_campaign("Sales_Predictive", "2030/01/02 09:00:00", "Europe/London")
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        code(
            client
                .schedule_campaign("Sales_Predictive", "tomorrow", "Europe/London")
                .await
                .unwrap_err()
        ),
        -59
    );
    assert_eq!(
        client
            .get_contact_list_names("Sales_Renewals_Preview")
            .await
            .unwrap(),
        vec![
            "Sales_Renewals".to_string(),
            "Sales_Manual_Upload".to_string()
        ]
    );
    let attributes = client.get_attributes_list(None).await.unwrap();
    assert!(attributes
        .iter()
        .any(|a| a.name == "CAMP_ID" && a.kind.as_deref() == Some("STRING")));
    assert!(attributes
        .iter()
        .any(|a| a.name == "EXPIRY_DATE" && a.kind.as_deref() == Some("DATE")));
    assert_eq!(
        code(
            client
                .get_attributes_list(Some("No_Such_List"))
                .await
                .unwrap_err()
        ),
        -14
    );
    client.run_campaign("Sales_Predictive").await.unwrap();
    let (job, _) = client
        .get_campaign_jobs("Sales_Predictive", &[])
        .await
        .unwrap()[0]
        .clone();
    let codes = client
        .get_all_completion_codes_for_campaign(job)
        .await
        .unwrap();
    for expected in ["NSP", "CM_NTC", "DNCREQ", "SALE"] {
        assert!(
            codes.iter().any(|c| c == expected),
            "{expected} in {codes:?}"
        );
    }
}

#[tokio::test]
async fn data_source_schedules_create_import_jobs() {
    let h = start().await;
    let client = h.global();
    assert_eq!(
        client
            .schedule_data_source("Sales_Manual_Upload_DS", "2099/01/01 00:00:00", "UTC")
            .await
            .unwrap(),
        0
    );
    let queued = client
        .get_import_job_status("Sales_Manual_Upload_DS", &["QUEUED"])
        .await
        .unwrap();
    assert_eq!(queued.len(), 1);
    assert_eq!(queued[0].list_name.as_deref(), Some("Sales_Manual_Upload"));
    assert!(
        client
            .get_import_job_status("Sales_Manual_Upload_DS", &[])
            .await
            .unwrap()
            .is_empty(),
        "POM's default filter is RUNNING"
    );
    assert_eq!(
        code(
            client
                .get_import_job_status("No_Such_DS", &[])
                .await
                .unwrap_err()
        ),
        -12
    );
    assert_eq!(
        code(
            h.client("collections.pom")
                .schedule_data_source("Sales_Manual_Upload_DS", "2099/01/01 00:00:00", "UTC")
                .await
                .unwrap_err()
        ),
        -60
    );
    assert_eq!(
        code(
            client
                .schedule_data_source("Sales_Manual_Upload_DS", "01/01/2099", "UTC")
                .await
                .unwrap_err()
        ),
        -59
    );
}
