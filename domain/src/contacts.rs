//! A POM contact's attributes as text: the columns a page or file shows, and each value.

use serde_json::{Map, Value};

/// The catalogue order first, then anything else a contact carries, alphabetically.
pub fn columns_of<'a>(contacts: impl Iterator<Item = &'a Map<String, Value>>) -> Vec<String> {
    const FIRST: [&str; 5] = [
        "userContactId",
        "firstName",
        "lastName",
        "phoneNumber1",
        "email",
    ];
    // What POM says about a contact rather than what it holds.
    const HIDDEN: [&str; 3] = ["contactListName", "callable", "attemptInProgress"];
    let mut others = std::collections::BTreeSet::new();
    for contact in contacts {
        others.extend(
            contact
                .keys()
                .filter(|k| !FIRST.contains(&k.as_str()) && !HIDDEN.contains(&k.as_str()))
                .cloned(),
        );
    }
    FIRST.iter().map(|s| s.to_string()).chain(others).collect()
}

/// A contact's value of `attribute` as text (missing is empty).
pub fn text_of(contact: &Map<String, Value>, attribute: &str) -> String {
    match contact.get(attribute) {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}
