//! `VP_POMAgentAPIService` operations: list emptying, DNC, contact deletion, attributes (and
//! setting one of a contact) and completion codes.

use super::soap::{boolean, decode_error, number, texts, Attribute, EmptyStatus, Service};
use super::{PomClient, PomError, Safety};

impl PomClient {
    /// `EmptyContactList` (asynchronous): returns the contacts remaining when emptying began.
    pub async fn empty_contact_list(&self, list: &str) -> Result<i64, PomError> {
        let r = self
            .soap_call(
                Service::AgentApi,
                "EmptyContactList",
                Safety::Unsafe,
                &|w| {
                    w.leaf("ContactListName", list);
                },
            )
            .await?;
        Ok(number(&r, "TotalContacts"))
    }

    /// `GetContactListEmptyStatus`: progress of an `EmptyContactList`.
    pub async fn get_contact_list_empty_status(&self, list: &str) -> Result<EmptyStatus, PomError> {
        let r = self
            .soap_call(
                Service::AgentApi,
                "GetContactListEmptyStatus",
                Safety::Safe,
                &|w| {
                    w.leaf("ContactListName", list);
                },
            )
            .await?;
        let status = r.child("ContactListEmptyStatus").ok_or_else(|| {
            decode_error("GetContactListEmptyStatus", "no ContactListEmptyStatus")
        })?;
        Ok(EmptyStatus {
            status: status
                .text_of("EmptyStatus")
                .unwrap_or_default()
                .to_string(),
            remaining: number(status, "TotalCount"),
        })
    }

    async fn dnc_call(
        &self,
        operation: &str,
        safety: Safety,
        address: &str,
        organization: Option<&str>,
    ) -> Result<bool, PomError> {
        let r = self
            .soap_call(Service::AgentApi, operation, safety, &|w| {
                w.leaf("Address", address).optional("OrgName", organization);
            })
            .await?;
        boolean(operation, &r, "Result")
    }

    /// `IsDNC`: with an organization, its list; without, the common list.
    pub async fn is_dnc(
        &self,
        address: &str,
        organization: Option<&str>,
    ) -> Result<bool, PomError> {
        self.dnc_call("IsDNC", Safety::Safe, address, organization)
            .await
    }

    /// `AddToDNCList` (global POM users only: -21 otherwise; -9 when already listed).
    pub async fn add_to_dnc_list(
        &self,
        address: &str,
        organization: Option<&str>,
    ) -> Result<bool, PomError> {
        self.dnc_call("AddToDNCList", Safety::Unsafe, address, organization)
            .await
    }

    /// `RemoveFromDNCList` (-17 when not listed).
    pub async fn remove_from_dnc_list(
        &self,
        address: &str,
        organization: Option<&str>,
    ) -> Result<bool, PomError> {
        self.dnc_call("RemoveFromDNCList", Safety::Unsafe, address, organization)
            .await
    }

    /// `DeleteContactFromList` (-33 while the contact is being dialled).
    pub async fn delete_contact_from_list(
        &self,
        user_contact_id: &str,
        list: &str,
    ) -> Result<bool, PomError> {
        let r = self
            .soap_call(
                Service::AgentApi,
                "DeleteContactFromList",
                Safety::Unsafe,
                &|w| {
                    w.leaf("ContactID", user_contact_id)
                        .leaf("ContactListName", list);
                },
            )
            .await?;
        boolean("DeleteContactFromList", &r, "Result")
    }

    /// `AddContactListToJob`: adds a contact list to the campaign's running job, with its
    /// priority (`LOW`, `MEDIUM`, `HIGH`) and whether the campaign's filter applies to it.
    /// Faults: -27 no running job, -14/-28 list unknown or not the organization's, -35 already
    /// in the job.
    pub async fn add_contact_list_to_job(
        &self,
        campaign: &str,
        list: &str,
        priority: &str,
        apply_filter: bool,
    ) -> Result<(), PomError> {
        self.soap_call(
            Service::AgentApi,
            "AddContactListToJob",
            Safety::Unsafe,
            &|w| {
                w.leaf("CampaignName", campaign)
                    .leaf("ContactListName", list)
                    .leaf("ContactPriority", priority)
                    .leaf("ApplyFilter", if apply_filter { "true" } else { "false" });
            },
        )
        .await?;
        Ok(())
    }

    /// `GetAttributesList`: the attribute catalogue (optionally as used by one list).
    pub async fn get_attributes_list(
        &self,
        list: Option<&str>,
    ) -> Result<Vec<Attribute>, PomError> {
        let r = self
            .soap_call(Service::AgentApi, "GetAttributesList", Safety::Safe, &|w| {
                w.optional("ContactListName", list);
            })
            .await?;
        Ok(r.children_named("attributes")
            .map(|a| Attribute {
                name: a.text_of("Name").unwrap_or_default().to_string(),
                value: a.text_of("Value").unwrap_or_default().to_string(),
                kind: a.text_of("Type").map(str::to_string),
                display_name: a.text_of("DisplayName").map(str::to_string),
            })
            .collect())
    }

    /// `GetAllCompletionCodesForCampaign` of the campaign that runs `job_id`.
    pub async fn get_all_completion_codes_for_campaign(
        &self,
        job_id: i64,
    ) -> Result<Vec<String>, PomError> {
        let id = job_id.to_string();
        let r = self
            .soap_call(
                Service::AgentApi,
                "GetAllCompletionCodesForCampaign",
                Safety::Safe,
                &|w| {
                    w.leaf("JobID", &id);
                },
            )
            .await?;
        Ok(texts(&r, "CompletionCodes"))
    }

    /// `UpdateContactAttributeValueToList` (seed 004 L2510): sets one attribute of a list's
    /// contact. Predefined attributes take the guide's method names (`FirstName`, `PhoneNumber1`);
    /// custom ones their own. Setting a value twice leaves it as once: OCM's
    /// completion-code rules make a call that got no answer again themselves. Faults: -2 contact not found, -5 attribute unknown (names are
    /// case-sensitive), -14/-28 list unknown or not the organization's, -29 another
    /// organization's private attribute, -45 POM could not store the value.
    pub async fn update_contact_attribute(
        &self,
        user_contact_id: &str,
        list: &str,
        attribute: &str,
        value: &str,
    ) -> Result<(), PomError> {
        self.soap_call(
            Service::AgentApi,
            "UpdateContactAttributeValueToList",
            Safety::Unsafe,
            &|w| {
                w.leaf("ContactID", user_contact_id)
                    .leaf("ContactListName", list)
                    .leaf("AttributeName", attribute)
                    .leaf("AttributeValue", value);
            },
        )
        .await?;
        Ok(())
    }
}
