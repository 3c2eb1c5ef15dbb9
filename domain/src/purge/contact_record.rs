//! Turns a snapshot record (the attributes POM returned when the contact was read) back into the
//! contact POM's add-contact call takes: the four named fields, other system attributes by their
//! REST names, everything else as custom attributes. Read-only fields POM adds are left out.

use std::collections::BTreeMap;

use pom::client::rest::{CustomAttribute, NewContact};
use serde_json::{Map, Value};

use crate::contacts::text_of;

/// System attributes (REST names) other than the four `NewContact` names.
const OTHER_SYSTEM: [&str; 14] = [
    "title",
    "phoneNumber1CtryCode",
    "phoneNumber1TimeZone",
    "phoneNumber2",
    "phoneNumber2CtryCode",
    "phoneNumber2TimeZone",
    "addressLine1",
    "addressLine2",
    "addressLine3",
    "addressLine4",
    "addressLine5",
    "country",
    "zipcode",
    "zoneName",
];

/// Fields POM reports about a contact that are not attributes one can set.
const READ_ONLY: [&str; 6] = [
    "userContactId",
    "contactListName",
    "callable",
    "attemptInProgress",
    "userContactID",
    "UserContactId",
];
const NAMED: [&str; 4] = ["firstName", "lastName", "phoneNumber1", "email"];

/// The add-contact request that recreates `attributes` without overwriting an existing contact.
pub fn new_contact(user_contact_id: &str, attributes: &Map<String, Value>) -> NewContact {
    let optional = |key: &str| Some(text_of(attributes, key)).filter(|v| !v.is_empty());
    let mut other_system_attributes = BTreeMap::new();
    let mut custom_attribute_list = Vec::new();
    for key in attributes.keys() {
        let value = text_of(attributes, key);
        if value.is_empty() || READ_ONLY.contains(&key.as_str()) || NAMED.contains(&key.as_str()) {
            continue;
        }
        if OTHER_SYSTEM.contains(&key.as_str()) {
            other_system_attributes.insert(key.clone(), value);
        } else {
            custom_attribute_list.push(CustomAttribute {
                attribute_name: key.clone(),
                attribute_value: value,
            });
        }
    }
    NewContact {
        user_contact_id: user_contact_id.to_string(),
        first_name: optional("firstName"),
        last_name: optional("lastName"),
        phone_number1: optional("phoneNumber1"),
        email: optional("email"),
        update_existing_contact: false,
        check_dnc: false,
        custom_attribute_list,
        other_system_attributes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_snapshot_record_becomes_the_same_contact() {
        let record = json!({
            "userContactId": "C1", "contactListName": "L", "callable": true,
            "firstName": "Ada", "phoneNumber1": "+44", "phoneNumber1TimeZone": "Europe/London",
            "CAMP_ID": "S01", "EXPIRY_DATE": "2026-01-01", "email": ""
        });
        let contact = new_contact("C1", record.as_object().unwrap());
        assert_eq!(contact.first_name.as_deref(), Some("Ada"));
        assert_eq!(contact.email, None);
        assert!(!contact.update_existing_contact);
        assert_eq!(
            contact.other_system_attributes["phoneNumber1TimeZone"],
            "Europe/London"
        );
        let custom: Vec<_> = contact
            .custom_attribute_list
            .iter()
            .map(|c| c.attribute_name.as_str())
            .collect();
        assert_eq!(custom, ["CAMP_ID", "EXPIRY_DATE"]);
    }
}
