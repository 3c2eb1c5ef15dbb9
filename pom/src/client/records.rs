//! The records POM's REST API returns and accepts (seed 001 DTOs, public clients' field names).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// A contact list as POM's `contactlists` returns it (seed 001 `ContactList`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ContactList {
    pub contact_list_id: i64,
    pub contact_list_name: String,
    #[serde(default)]
    pub last_update_on: Option<String>,
    #[serde(default)]
    pub total_contacts: i64,
    #[serde(default)]
    pub available_contacts: i64,
    #[serde(default)]
    pub total_excluded_contacts: i64,
    #[serde(default)]
    pub organization_name: Option<String>,
    #[serde(default)]
    pub zone_name: Option<String>,
}

/// One page of contacts: each contact is its attribute map (`userContactId`, `phoneNumber1`, …).
#[derive(Debug, Clone, PartialEq)]
pub struct ContactPage {
    pub contacts: Vec<Map<String, Value>>,
    pub total_pages: u32,
}

/// Reads a contact's user contact id whatever its casing.
pub fn user_contact_id(contact: &Map<String, Value>) -> Option<String> {
    ["userContactId", "userContactID", "UserContactId"]
        .iter()
        .find_map(|key| contact.get(*key))
        .map(|v| match v {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        })
}

/// A search on a list's contacts (`searchBy` / `searchOperator` / `searchValue`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactSearch {
    pub attribute: String,
    pub operator: String,
    pub value: String,
}

/// A DNC list (seed 001 `DNCList`; note POM's capitalised id and name keys).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DncList {
    #[serde(rename = "DNCListId")]
    pub id: i64,
    #[serde(rename = "DNCListName")]
    pub name: String,
    #[serde(rename = "lastUpdated", default)]
    pub last_updated: Option<String>,
    #[serde(rename = "totalAddresses", default)]
    pub total_addresses: i64,
    #[serde(rename = "listType", default)]
    pub list_type: Option<String>,
}

/// A contact to add (`POST contactlists/{id}/contacts`, field names confirmed by public clients).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NewContact {
    #[serde(rename = "userContactID")]
    pub user_contact_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone_number1: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    pub update_existing_contact: bool,
    #[serde(rename = "checkDNC")]
    pub check_dnc: bool,
    #[serde(default)]
    pub custom_attribute_list: Vec<CustomAttribute>,
    /// Other system attributes (`title`, `phoneNumber2`, `zipcode`, …) under their REST names.
    #[serde(flatten)]
    pub other_system_attributes: std::collections::BTreeMap<String, String>,
}

/// What POM did with an added contact.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddOutcome {
    Added,
    Updated,
    /// A contact with this id exists and `updateExistingContact` was off: nothing changed.
    DuplicateIgnored,
}

/// A custom attribute value of a contact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CustomAttribute {
    pub attribute_name: String,
    pub attribute_value: String,
}

/// A job as `campaigns/joblist` lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JobSummary {
    pub campaign_name: String,
    #[serde(rename = "jobID")]
    pub job_id: i64,
    pub job_state: String,
}

/// What `job/start` answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JobStart {
    pub is_queued: bool,
    #[serde(default)]
    pub job_id: Option<i64>,
}

/// Addresses or ids POM did not accept.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rejected(pub Vec<String>);
