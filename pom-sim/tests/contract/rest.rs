//! REST operations against the simulator.

use pom::client::rest::{user_contact_id, AddOutcome, ContactSearch, CustomAttribute, NewContact};
use pom::client::PomError;
use serde_json::json;

use super::helpers::{start, start_with};

#[tokio::test]
async fn unauthenticated_calls_get_401_with_a_basic_challenge() {
    let h = start().await;
    let response = reqwest::get(format!("{}/VP_POM_Service/v1/contactlists", h.origin))
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
    assert_eq!(
        response.headers()["www-authenticate"],
        "Basic realm=\"POM\""
    );
    let wrong = h.client("pomadmin");
    let mut config = wrong.config().clone();
    config.password = "wrong".into();
    let wrong = pom::client::PomClient::new(config).unwrap();
    assert_eq!(wrong.dnc_lists().await.unwrap_err(), PomError::Unauthorized);
}

#[tokio::test]
async fn contact_lists_are_scoped_to_the_organization() {
    let h = start().await;
    let sales = h.global().contact_lists("Sales").await.unwrap();
    assert_eq!(sales.len(), 5);
    let main = sales
        .iter()
        .find(|l| l.contact_list_name == "Sales_Leads_Main")
        .unwrap();
    assert_eq!(main.total_contacts, 100_000);
    assert_eq!(
        main.available_contacts + main.total_excluded_contacts,
        main.total_contacts
    );
    let collections_user = h.client("collections.pom");
    assert!(collections_user
        .contact_lists("Sales")
        .await
        .unwrap()
        .is_empty());
    let error = collections_user
        .contacts_page(main.contact_list_id, 0, 10, None)
        .await
        .unwrap_err();
    assert!(
        matches!(error, PomError::Status { status: 403, .. }),
        "{error:?}"
    );
    let error = h
        .global()
        .contacts_page(999_999, 0, 10, None)
        .await
        .unwrap_err();
    assert!(
        matches!(error, PomError::Status { status: 404, .. }),
        "{error:?}"
    );
}

#[tokio::test]
async fn contacts_page_and_search_with_either_page_base() {
    for first_page in [0, 1] {
        let h = start_with(pom_sim::SimSettings {
            demo: true,
            first_page,
            ..Default::default()
        })
        .await;
        let mut config = h.config("pomadmin");
        config.first_page = first_page;
        let client = pom::client::PomClient::new(config).unwrap();
        let list = h.list_id("Sales_Renewals").await;
        let first = client.contacts_page(list, 0, 1000, None).await.unwrap();
        let last = client.contacts_page(list, 2, 1000, None).await.unwrap();
        assert_eq!(
            (first.total_pages, first.contacts.len(), last.contacts.len()),
            (3, 1000, 500)
        );
        let search = ContactSearch {
            attribute: "CAMP_ID".into(),
            operator: "equals".into(),
            value: "S02".into(),
        };
        let found = client
            .contacts_page(list, 0, 5000, Some(&search))
            .await
            .unwrap();
        assert_eq!(found.contacts.len(), 2500);
        let ids: Vec<String> = found.contacts.iter().filter_map(user_contact_id).collect();
        assert!(
            ids.windows(2).all(|w| w[0] > w[1]),
            "sorted by userContactId descending"
        );
    }
}

#[tokio::test]
async fn deleting_a_contact_being_dialled_fails_then_succeeds_later() {
    let h = start().await;
    let client = h.global();
    let list = h.list_id("Sales_Manual_Upload").await;
    let page = client.contacts_page(list, 0, 2, None).await.unwrap();
    let ids: Vec<String> = page.contacts.iter().filter_map(user_contact_id).collect();
    client.delete_contact(list, &ids[0]).await.unwrap();
    let gone = client.delete_contact(list, &ids[0]).await.unwrap_err();
    assert!(
        matches!(gone, PomError::Status { status: 404, .. }),
        "{gone:?}"
    );
    let marked = h
        .control(
            "in-progress",
            json!({ "list_id": list, "user_contact_id": ids[1], "seconds": 2.0 }),
        )
        .await;
    assert!(marked.status().is_success());
    let busy = client.delete_contact(list, &ids[1]).await.unwrap_err();
    assert!(busy.is_attempt_in_progress(), "{busy:?}");
    assert!(matches!(busy, PomError::Status { status: 417, .. }));
    h.fast_clock().await;
    client.delete_contact(list, &ids[1]).await.unwrap();
}

#[tokio::test]
async fn contacts_are_added_marked_uncallable_and_validated() {
    let h = start().await;
    let client = h.global();
    let list = h.list_id("Sales_Manual_Upload").await;
    let contact = NewContact {
        user_contact_id: "NEW-1".into(),
        first_name: Some("Ada".into()),
        phone_number1: Some("+441632960001".into()),
        custom_attribute_list: vec![CustomAttribute {
            attribute_name: "CAMP_ID".into(),
            attribute_value: "S09".into(),
        }],
        ..NewContact::default()
    };
    assert_eq!(
        client.add_contact(list, &contact).await.unwrap(),
        AddOutcome::Added
    );
    assert_eq!(
        client.add_contact(list, &contact).await.unwrap(),
        AddOutcome::DuplicateIgnored
    );
    let search = ContactSearch {
        attribute: "CAMP_ID".into(),
        operator: "equals".into(),
        value: "S09".into(),
    };
    let found = client
        .contacts_page(list, 0, 10, Some(&search))
        .await
        .unwrap();
    assert_eq!(found.contacts.len(), 1);
    assert_eq!(found.contacts[0]["firstName"], "Ada");
    let bad = NewContact {
        user_contact_id: "NEW-2".into(),
        custom_attribute_list: vec![CustomAttribute {
            attribute_name: "NO_SUCH_ATTRIBUTE".into(),
            attribute_value: "x".into(),
        }],
        ..NewContact::default()
    };
    let error = client.add_contact(list, &bad).await.unwrap_err();
    assert!(
        matches!(error, PomError::Status { status: 417, .. }),
        "{error:?}"
    );
    let rejected = client
        .mark_uncallable(list, &["NEW-1".into(), "NOPE".into()])
        .await
        .unwrap();
    assert_eq!(rejected.0, vec!["NOPE".to_string()]);
}

#[tokio::test]
async fn dnc_lists_take_addresses_from_global_users_only() {
    let h = start().await;
    let lists = h.global().dnc_lists().await.unwrap();
    assert_eq!(lists.len(), 3);
    let sales = lists.iter().find(|l| l.name == "Sales").unwrap();
    let before = sales.total_addresses;
    let addresses = vec![
        "+441632960002".to_string(),
        "jo@example.com".into(),
        "not an address".into(),
    ];
    let rejected = h
        .global()
        .add_dnc_addresses(sales.id, &addresses)
        .await
        .unwrap();
    assert_eq!(rejected.0, vec!["not an address".to_string()]);
    let after = h
        .global()
        .dnc_lists()
        .await
        .unwrap()
        .into_iter()
        .find(|l| l.id == sales.id)
        .unwrap();
    assert_eq!(after.total_addresses, before + 2);
    let error = h
        .client("sales.pom")
        .add_dnc_addresses(sales.id, &addresses)
        .await
        .unwrap_err();
    assert!(
        matches!(error, PomError::Status { status: 403, .. }),
        "{error:?}"
    );
    assert_eq!(
        h.client("sales.pom").dnc_lists().await.unwrap().len(),
        2,
        "common + own"
    );
}

#[tokio::test]
async fn data_sources_run_once_with_the_pom_time_format() {
    let h = start().await;
    let client = h.global();
    let job = client
        .schedule_run_once(
            "Sales_Manual_Upload_DS",
            "2030/01/02 03:04:05",
            "Europe/London",
        )
        .await
        .unwrap();
    assert!(job.is_some());
    let iso = client
        .schedule_run_once("Sales_Manual_Upload_DS", "2030-01-02T03:04:05", "UTC")
        .await;
    assert!(
        iso.is_ok(),
        "ISO 8601 (as .NET writes it) is accepted too: {iso:?}"
    );
    let bad_time = client
        .schedule_run_once("Sales_Manual_Upload_DS", "tomorrow morning", "UTC")
        .await
        .unwrap_err();
    assert!(
        matches!(bad_time, PomError::Status { status: 417, .. }),
        "{bad_time:?}"
    );
    let unknown = client
        .schedule_run_once("No_Such_DS", "2030/01/02 03:04:05", "UTC")
        .await
        .unwrap_err();
    assert!(
        matches!(unknown, PomError::Status { status: 404, .. }),
        "{unknown:?}"
    );
    let other_org = h
        .client("collections.pom")
        .schedule_run_once("Sales_Manual_Upload_DS", "2030/01/02 03:04:05", "UTC")
        .await
        .unwrap_err();
    assert!(
        matches!(other_org, PomError::Status { status: 403, .. }),
        "{other_org:?}"
    );
}

#[tokio::test]
async fn jobs_start_queued_and_become_active() {
    let h = start().await;
    let client = h.global();
    let details = client.get_campaign_details(&[]).await.unwrap();
    let id_of = |jobs: &[pom::client::rest::JobSummary], id: i64| {
        jobs.iter()
            .find(|j| j.job_id == id)
            .map(|j| j.job_state.clone())
    };
    assert_eq!(details.len(), 6);
    let campaigns: serde_json::Value = reqwest::get(format!("{}/__sim/snapshot", h.origin))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let infinite = campaigns["campaigns"]
        .as_object()
        .unwrap()
        .values()
        .find(|c| c["finite"] == false)
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let started = client.start_job(infinite).await.unwrap();
    assert!(started.is_queued);
    let job = started.job_id.unwrap();
    assert_eq!(
        id_of(&client.job_list().await.unwrap(), job).as_deref(),
        Some("JOB_QUEUED")
    );
    h.fast_clock().await;
    assert_eq!(
        id_of(&client.job_list().await.unwrap(), job).as_deref(),
        Some("JOB_ACTIVE")
    );
    let again = client.start_job(infinite).await.unwrap_err();
    assert!(
        matches!(again, PomError::Status { status: 417, .. }),
        "infinite campaign already running: {again:?}"
    );
}
