//! SOAP DNC, contact and list operations with their faults.

use pom::client::rest::user_contact_id;
use serde_json::json;

use super::helpers::{code, start};

#[tokio::test]
async fn dnc_check_add_remove_with_every_documented_fault() {
    let h = start().await;
    let global = h.global();
    let number = "+441632960777";
    assert!(!global.is_dnc(number, Some("Sales")).await.unwrap());
    assert!(global.add_to_dnc_list(number, Some("Sales")).await.unwrap());
    assert!(global.is_dnc(number, Some("Sales")).await.unwrap());
    assert!(
        !global.is_dnc(number, None).await.unwrap(),
        "the common list is separate"
    );
    assert_eq!(
        code(
            global
                .add_to_dnc_list(number, Some("Sales"))
                .await
                .unwrap_err()
        ),
        -9
    );
    assert!(global
        .remove_from_dnc_list(number, Some("Sales"))
        .await
        .unwrap());
    assert_eq!(
        code(
            global
                .remove_from_dnc_list(number, Some("Sales"))
                .await
                .unwrap_err()
        ),
        -17
    );
    assert_eq!(
        code(global.add_to_dnc_list("", None).await.unwrap_err()),
        -18
    );
    let invalid = global.add_to_dnc_list("12ab", None).await.unwrap_err();
    assert_eq!(code(invalid.clone()), -19);
    assert!(
        invalid.to_string().contains("Invalid address for DNC 12ab"),
        "{invalid}"
    );
    let org_user = h
        .client("sales.pom")
        .add_to_dnc_list(number, Some("Sales"))
        .await
        .unwrap_err();
    assert_eq!(code(org_user.clone()), -21);
    assert!(org_user.user_message().contains("global POM users"));
    assert_eq!(
        code(global.is_dnc(number, Some("Marketing")).await.unwrap_err()),
        -40
    );
    assert!(
        h.client("sales.pom")
            .is_dnc(number, Some("Sales"))
            .await
            .is_ok(),
        "checking is allowed for organization users"
    );
}

#[tokio::test]
async fn deleting_by_soap_reports_in_use_missing_and_foreign_contacts() {
    let h = start().await;
    let list_id = h.list_id("Coll_Manual_Upload").await;
    let page = h.global().contacts_page(list_id, 0, 2, None).await.unwrap();
    let ids: Vec<String> = page.contacts.iter().filter_map(user_contact_id).collect();
    let collections = h.client("collections.pom");
    assert!(collections
        .delete_contact_from_list(&ids[0], "Coll_Manual_Upload")
        .await
        .unwrap());
    assert_eq!(
        code(
            collections
                .delete_contact_from_list(&ids[0], "Coll_Manual_Upload")
                .await
                .unwrap_err()
        ),
        -2
    );
    h.control(
        "in-progress",
        json!({ "list_id": list_id, "user_contact_id": ids[1], "seconds": 5.0 }),
    )
    .await;
    let busy = collections
        .delete_contact_from_list(&ids[1], "Coll_Manual_Upload")
        .await
        .unwrap_err();
    assert_eq!(code(busy.clone()), -33);
    assert!(busy.is_attempt_in_progress());
    assert_eq!(
        code(
            collections
                .delete_contact_from_list(&ids[1], "No_Such_List")
                .await
                .unwrap_err()
        ),
        -14
    );
    assert_eq!(
        code(
            h.client("sales.pom")
                .delete_contact_from_list(&ids[1], "Coll_Manual_Upload")
                .await
                .unwrap_err()
        ),
        -28
    );
    h.fast_clock().await;
    assert!(collections
        .delete_contact_from_list(&ids[1], "Coll_Manual_Upload")
        .await
        .unwrap());
}

#[tokio::test]
async fn emptying_a_list_is_asynchronous_and_refused_while_a_job_uses_it() {
    let h = start().await;
    let global = h.global();
    let total = global.empty_contact_list("Sales_Winback").await.unwrap();
    assert_eq!(total, 1_200);
    let status = global
        .get_contact_list_empty_status("Sales_Winback")
        .await
        .unwrap();
    assert_eq!(status.status, "LIST_BEING_EMPTIED");
    h.fast_clock().await;
    let done = global
        .get_contact_list_empty_status("Sales_Winback")
        .await
        .unwrap();
    assert_eq!(
        (done.status.as_str(), done.remaining),
        ("LIST_BEING_IDLE", 0)
    );
    global.run_campaign("Coll_Promises_Preview").await.unwrap();
    assert_eq!(
        code(
            global
                .empty_contact_list("Coll_Promises")
                .await
                .unwrap_err()
        ),
        -61
    );
}
