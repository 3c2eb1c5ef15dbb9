//! REST operations under `VP_POM_Service/v<N>` (seed 001 and reference/pom-rest-api.md). Parsing
//! is tolerant where the contract is unknown: lists may come bare or wrapped, ids as numbers or
//! strings.

use reqwest::Method;
use serde::Deserialize;
use serde_json::{Map, Value};

use super::{excerpt, PomClient, PomError, Safety};

pub use super::records::*;

fn decode<T: for<'de> Deserialize<'de>>(what: &str, body: &str) -> Result<T, PomError> {
    serde_json::from_str(body).map_err(|_| PomError::Decode {
        what: what.into(),
        excerpt: excerpt(body),
    })
}

/// A list that may come bare (`[…]`) or wrapped in an object holding one array.
pub(super) fn tolerant_list<T: for<'de> Deserialize<'de>>(
    what: &str,
    body: &str,
) -> Result<Vec<T>, PomError> {
    let value: Value = decode(what, body)?;
    let array = match value {
        Value::Array(items) => items,
        Value::Object(map) => map
            .into_iter()
            .find_map(|(_, v)| match v {
                Value::Array(items) => Some(items),
                _ => None,
            })
            .unwrap_or_default(),
        _ => {
            return Err(PomError::Decode {
                what: what.into(),
                excerpt: excerpt(body),
            })
        }
    };
    array
        .into_iter()
        .map(|item| {
            serde_json::from_value(item).map_err(|e| PomError::Decode {
                what: what.into(),
                excerpt: e.to_string(),
            })
        })
        .collect()
}

fn string_list(value: Option<&Value>) -> Vec<String> {
    value
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .map(|v| {
                    v.as_str()
                        .map(str::to_string)
                        .unwrap_or_else(|| v.to_string())
                })
                .collect()
        })
        .unwrap_or_default()
}

/// POM's refusal inside a 200 answer (`errorCode`, `errorMessage`, `displayMessage`).
fn refusal(value: &Map<String, Value>, fallback: &str) -> PomError {
    let text = |key: &str| value.get(key).and_then(Value::as_str).map(str::to_string);
    PomError::Status {
        status: 200,
        code: value.get("errorCode").map(|v| {
            v.as_str()
                .map(str::to_string)
                .unwrap_or_else(|| v.to_string())
        }),
        message: text("errorMessage").unwrap_or_else(|| fallback.to_string()),
        display: text("displayMessage"),
    }
}

/// The ids or addresses POM refused; `result: false` with none named is a refusal of the whole call.
fn rejected_or_refusal(value: &Map<String, Value>) -> Result<Rejected, PomError> {
    let failed = string_list(
        value
            .get("failedContactIdList")
            .or(value.get("failedUserContactIds"))
            .or(value.get("failedAddresses")),
    );
    if value.get("result").and_then(Value::as_bool) == Some(false) && failed.is_empty() {
        return Err(refusal(value, "POM refused the request"));
    }
    Ok(Rejected(failed))
}

pub(super) fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

impl PomClient {
    /// The URL of `path` for `operation`, with the operation's API version when one is set.
    pub(super) fn rest_url(&self, operation: &str, path: &str) -> String {
        let base = self.config.rest_base.trim_end_matches('/');
        let base = match (
            self.config.endpoint_versions.get(operation),
            base.rsplit_once('/'),
        ) {
            (Some(version), Some((prefix, last)))
                if last.starts_with('v') && last[1..].bytes().all(|b| b.is_ascii_digit()) =>
            {
                format!("{prefix}/{version}")
            }
            _ => base.to_string(),
        };
        format!("{base}/{path}")
    }

    /// The organization's contact lists (`GET contactlists?searchBy=organizationName…`).
    pub async fn contact_lists(&self, organization: &str) -> Result<Vec<ContactList>, PomError> {
        let url = self.rest_url(
            "contactlists",
            &format!(
                "contactlists?searchBy=organizationName&searchOperator=like&searchValue={}",
                encode(organization)
            ),
        );
        let body = self
            .send("contactlists", Safety::Safe, &|| {
                self.rest_request(Method::GET, &url)
            })
            .await?;
        tolerant_list("contactlists", &body)
    }

    /// One page (0-based `page`) of a list's contacts, optionally searched, always sorted by
    /// `userContactId` descending (a stable order for paging).
    pub async fn contacts_page(
        &self,
        list_id: i64,
        page: u32,
        page_size: u32,
        search: Option<&ContactSearch>,
    ) -> Result<ContactPage, PomError> {
        let mut url = self.rest_url(
            "contacts.list",
            &format!(
                "contactlists/{list_id}/contacts/list?pageSize={page_size}&pageNumber={}",
                page + self.config.first_page
            ),
        );
        if let Some(search) = search {
            url.push_str(&format!(
                "&searchBy={}&searchOperator={}&searchValue={}",
                encode(&search.attribute),
                encode(&search.operator),
                encode(&search.value)
            ));
        }
        // Always one stable order, so reading a whole list page by page neither skips nor repeats.
        url.push_str("&sortBy=userContactId&sortDirection=DESC");
        let body = self
            .send("contacts.list", Safety::Safe, &|| {
                self.rest_request(Method::GET, &url)
            })
            .await?;
        let value: Map<String, Value> = decode("contacts.list", &body)?;
        let contacts = match value.get("contactBatch") {
            Some(Value::Array(items)) => items
                .iter()
                .filter_map(|c| c.as_object().cloned())
                .collect(),
            _ => Vec::new(),
        };
        let total_pages = value.get("totalPage").and_then(Value::as_u64).unwrap_or(0) as u32;
        Ok(ContactPage {
            contacts,
            total_pages,
        })
    }

    /// Deletes one contact. "Attempt in progress" comes back as an error that says so.
    pub async fn delete_contact(
        &self,
        list_id: i64,
        user_contact_id: &str,
    ) -> Result<(), PomError> {
        let url = self.rest_url(
            "contacts.delete",
            &format!(
                "contactlists/{list_id}/contacts/{}/delete",
                encode(user_contact_id)
            ),
        );
        let body = self
            .send("contacts.delete", Safety::Unsafe, &|| {
                self.rest_request(Method::POST, &url)
            })
            .await?;
        let value: Map<String, Value> = decode("contacts.delete", &body)?;
        if value.get("isDeleted").and_then(Value::as_bool) == Some(true) {
            return Ok(());
        }
        Err(refusal(&value, "contact not deleted"))
    }

    /// Marks contacts uncallable in a list; returns the ids POM did not mark.
    pub async fn mark_uncallable(
        &self,
        list_id: i64,
        user_contact_ids: &[String],
    ) -> Result<Rejected, PomError> {
        let url = self.rest_url(
            "contacts.markuncallable",
            &format!("contactlists/{list_id}/contacts/markuncallable"),
        );
        let body = self
            .send("contacts.markuncallable", Safety::Unsafe, &|| {
                self.rest_request(Method::POST, &url).json(user_contact_ids)
            })
            .await?;
        let value: Map<String, Value> = decode("contacts.markuncallable", &body)?;
        rejected_or_refusal(&value)
    }

    /// Adds (or, with `update_existing_contact`, updates) one contact (v4 API shape).
    /// An answer without a recognised `status` counts as added.
    pub async fn add_contact(
        &self,
        list_id: i64,
        contact: &NewContact,
    ) -> Result<AddOutcome, PomError> {
        let url = self.rest_url("contacts.add", &format!("contactlists/{list_id}/contacts"));
        let body = self
            .send("contacts.add", Safety::Unsafe, &|| {
                self.rest_request(Method::POST, &url).json(contact)
            })
            .await?;
        let value: Map<String, Value> = serde_json::from_str(&body).unwrap_or_default();
        if value.get("result").and_then(Value::as_bool) == Some(false) {
            return Err(refusal(&value, "contact not added"));
        }
        Ok(
            match value.get("status").and_then(Value::as_str).unwrap_or("") {
                "UPDATED" => AddOutcome::Updated,
                "DUPLICATE_IGNORED" => AddOutcome::DuplicateIgnored,
                _ => AddOutcome::Added,
            },
        )
    }

    /// Every DNC list visible to OCM's POM user.
    pub async fn dnc_lists(&self) -> Result<Vec<DncList>, PomError> {
        let url = self.rest_url("dnclists", "dnclists");
        let body = self
            .send("dnclists", Safety::Safe, &|| {
                self.rest_request(Method::GET, &url)
            })
            .await?;
        tolerant_list("dnclists", &body)
    }

    /// Adds addresses (phone numbers or e-mail addresses) to a DNC list; returns the rejected ones.
    pub async fn add_dnc_addresses(
        &self,
        dnc_list_id: i64,
        addresses: &[String],
    ) -> Result<Rejected, PomError> {
        let url = self.rest_url(
            "dnclists.addresses",
            &format!("dnclists/{dnc_list_id}/addresses"),
        );
        let body = self
            .send("dnclists.addresses", Safety::Unsafe, &|| {
                self.rest_request(Method::POST, &url).json(addresses)
            })
            .await?;
        let value: Map<String, Value> = decode("dnclists.addresses", &body)?;
        rejected_or_refusal(&value)
    }

    /// Schedules a data source to run once at `start_time` (`yyyy/MM/dd HH:mm:ss`) in `time_zone`.
    /// Returns the import job id when POM reports one.
    pub async fn schedule_run_once(
        &self,
        data_source: &str,
        start_time: &str,
        time_zone: &str,
    ) -> Result<Option<i64>, PomError> {
        let url = self.rest_url("datasources.runonce", "datasources/schedule/runonce");
        let payload = serde_json::json!({ "DataSourceName": data_source, "StartTime": start_time, "TimeZone": time_zone });
        let body = self
            .send("datasources.runonce", Safety::Unsafe, &|| {
                self.rest_request(Method::POST, &url).json(&payload)
            })
            .await?;
        let value: Map<String, Value> = decode("datasources.runonce", &body)?;
        Ok(value.get("importJobId").and_then(Value::as_i64))
    }

    /// Starts a job of the campaign; POM answers whether it queued it.
    pub async fn start_job(&self, campaign_id: i64) -> Result<JobStart, PomError> {
        let url = self.rest_url(
            "campaigns.job.start",
            &format!("campaigns/{campaign_id}/job/start"),
        );
        let body = self
            .send("campaigns.job.start", Safety::Unsafe, &|| {
                self.rest_request(Method::POST, &url)
            })
            .await?;
        decode("campaigns.job.start", &body)
    }

    /// Every campaign job with its state (`campaigns/joblist/`).
    pub async fn job_list(&self) -> Result<Vec<JobSummary>, PomError> {
        let url = self.rest_url("campaigns.joblist", "campaigns/joblist/");
        let body = self
            .send("campaigns.joblist", Safety::Safe, &|| {
                self.rest_request(Method::GET, &url)
            })
            .await?;
        tolerant_list("campaigns.joblist", &body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_read_bare_or_wrapped() {
        let bare = r#"[{"DNCListId":1,"DNCListName":"Sales"}]"#;
        let wrapped = r#"{"dncLists":[{"DNCListId":1,"DNCListName":"Sales"}]}"#;
        assert_eq!(tolerant_list::<DncList>("x", bare).unwrap().len(), 1);
        assert_eq!(
            tolerant_list::<DncList>("x", wrapped).unwrap()[0].name,
            "Sales"
        );
        assert!(matches!(
            tolerant_list::<DncList>("x", "<html>"),
            Err(PomError::Decode { .. })
        ));
    }

    #[test]
    fn endpoint_versions_replace_the_base_version() {
        let client = PomClient::new(super::super::PomConfig::for_origin(
            "https://epm.example",
            "u",
            "p",
        ))
        .unwrap();
        assert_eq!(
            client.rest_url("contacts.list", "x"),
            "https://epm.example/VP_POM_Service/v2/x"
        );
        assert_eq!(
            client.rest_url("contacts.add", "x"),
            "https://epm.example/VP_POM_Service/v4/x"
        );
        assert_eq!(
            client.rest_url("dnclists", "dnclists"),
            "https://epm.example/VP_POM_Service/v1/dnclists"
        );
    }

    #[test]
    fn user_contact_ids_are_read_whatever_their_type_or_casing() {
        let contact: Map<String, Value> = serde_json::from_str(r#"{"userContactID": 42}"#).unwrap();
        assert_eq!(user_contact_id(&contact).as_deref(), Some("42"));
    }
}
