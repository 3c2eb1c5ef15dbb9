//! Reading identifiers, matching values in any written form, and scrubbing stored rows.

use super::*;
use crate::phone::Region;

fn rules() -> PhoneRules {
    PhoneRules::new(Region::parse("GB").unwrap())
}

#[test]
fn identifiers_are_read_into_one_form_and_bad_ones_name_their_field() {
    let person = read(
        "07700 900123\n+44 7700 900123",
        "Jane@Example.com",
        "C0042",
        &rules(),
    )
    .unwrap();
    assert_eq!(
        person.identifiers.len(),
        3,
        "one number written two ways is one identifier"
    );
    assert!(person.has(IdentifierKind::Phone, "+447700900123"));
    assert!(person.has(IdentifierKind::Email, "jane@example.com"));
    let problem = read("", "not-an-address", "", &rules()).unwrap_err();
    assert_eq!(problem.field, "emails");
    assert!(problem.message.contains("Value 1"), "{}", problem.message);
    let problem = read("", "", "", &rules()).unwrap_err();
    assert_eq!(problem.field, "person");
    let many: String = (0..25).map(|i| format!("C{i}\n")).collect();
    let problem = read("", "", &many, &rules()).unwrap_err();
    assert_eq!(problem.field, "customer_ids");
    let huge = "1".repeat(MAX_FIELD_BYTES + 1);
    assert_eq!(read(&huge, "", "", &rules()).unwrap_err().field, "phones");
}

#[test]
fn values_match_in_any_written_form_and_nothing_else_does() {
    let person = read("07700900123", "jane@example.com", "C0042", &rules()).unwrap();
    let rules = rules();
    for same in [
        "+447700900123",
        "447700900123",
        "07700 900 123",
        "JANE@example.COM",
    ] {
        assert!(person.matches_value(same, &rules), "{same}");
    }
    for other in ["07700900124", "john@example.com", "C0042", "", "hello"] {
        assert!(!person.matches_value(other, &rules), "{other}");
    }
    let contact = serde_json::json!({ "userContactId": "C0042", "firstName": "X" });
    assert!(person.matches_contact(contact.as_object().unwrap(), &rules));
    let contact = serde_json::json!({ "userContactId": "C9", "phoneNumber2": "+447700900123" });
    assert!(person.matches_contact(contact.as_object().unwrap(), &rules));
    let contact = serde_json::json!({ "userContactId": "C9", "phoneNumber1": "+447700900999" });
    assert!(!person.matches_contact(contact.as_object().unwrap(), &rules));
    let contact = serde_json::json!({ "UserContactID": "C0042" });
    assert!(
        person.matches_contact(contact.as_object().unwrap(), &rules),
        "POM's other spelling"
    );
    let contact = serde_json::json!({ "userContactId": "C9", "mobile": 447700900123_u64 });
    assert!(
        person.matches_contact(contact.as_object().unwrap(), &rules),
        "a number as a number"
    );
    let mut preflight = serde_json::json!({ "rows": 3, "sample": [
        { "row": 2, "values": ["U1", "Ann", "+447700900001"] },
        { "row": 3, "values": ["U2", "Jane", "07700 900123"] },
    ] });
    assert!(person.scrub(&mut preflight, &rules, "(erased)"));
    assert_eq!(
        preflight["sample"][1]["values"],
        serde_json::json!(["(erased)", "(erased)", "(erased)"])
    );
    assert_eq!(
        preflight["sample"][0]["values"][1], "Ann",
        "someone else's row stays"
    );
    assert_eq!(preflight["rows"], 3);
    assert!(
        !person.scrub(&mut preflight, &rules, "(erased)"),
        "nothing left to replace"
    );
    let (digits, texts) = person.fragments();
    assert_eq!(digits, ["0900123"]);
    assert_eq!(texts, ["jane@example.com", "c0042"]);
}
