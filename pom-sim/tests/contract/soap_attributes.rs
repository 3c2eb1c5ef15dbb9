//! `UpdateContactAttributeValueToList` with each fault the guide lists, and a value set on a
//! contact read back through REST.

use pom::client::rest::ContactSearch;

use super::helpers::{code, start};

#[tokio::test]
async fn each_fault_then_the_value_on_the_contact() {
    let h = start().await;
    let sales = h.client("sales.pom");
    let (contact, list) = ("0102901", "Sales_Winback");
    let cases: [(&str, &str, &str, &str, i32); 7] = [
        (contact, "Nowhere", "NEXT_ACTION", "legal", -14),
        (contact, "Coll_Promises", "NEXT_ACTION", "legal", -28),
        ("nobody", list, "NEXT_ACTION", "legal", -2),
        (contact, list, "next_action", "legal", -5),
        // Predefined attributes go by the guide's method names, not the contacts' own.
        (contact, list, "phoneNumber1", "+441632960001", -5),
        (contact, list, "NEXT_ACTION_DATE", "next week", -45),
        (contact, list, "UserContactId", "another", -45),
    ];
    for (id, list, attribute, value, expected) in cases {
        let refused = sales
            .update_contact_attribute(id, list, attribute, value)
            .await
            .unwrap_err();
        assert_eq!(code(refused), expected, "{id} {list} {attribute} {value}");
    }
    sales
        .update_contact_attribute(contact, list, "NEXT_ACTION", "legal")
        .await
        .unwrap();
    sales
        .update_contact_attribute(contact, list, "NEXT_ACTION_DATE", "2027-01-06")
        .await
        .unwrap();
    sales
        .update_contact_attribute(contact, list, "FirstName", "Ada")
        .await
        .unwrap();
    let search = ContactSearch {
        attribute: "userContactId".into(),
        operator: "equals".into(),
        value: contact.into(),
    };
    let page = sales
        .contacts_page(h.list_id(list).await, 0, 10, Some(&search))
        .await
        .unwrap();
    let found = &page.contacts[0];
    assert_eq!(found["NEXT_ACTION"], "legal");
    assert_eq!(found["NEXT_ACTION_DATE"], "2027-01-06");
    assert_eq!(found["firstName"], "Ada");
}
