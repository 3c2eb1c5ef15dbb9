//! Contact-list operations: the organization's lists, a page of a list's contacts, and adding,
//! deleting or marking contacts uncallable.

use reqwest::Method;
use serde_json::{Map, Value};

use super::{
    decode, encode, refusal, rejected_or_refusal, tolerant_list, AddOutcome, ContactList,
    ContactPage, ContactSearch, NewContact, Rejected,
};
use crate::client::{PomClient, PomError, Safety};

impl PomClient {
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
}
