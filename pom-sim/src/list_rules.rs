//! Simulated POM rules for contact lists and contacts: how an operation names a list, adding,
//! deleting and marking contacts uncallable, and emptying a list. DNC lists are in `dnc_rules`,
//! data sources and the catalogue in `data_sources`, setting a contact's attribute in `attributes`.

mod attributes;
mod data_sources;
mod dnc_rules;

use std::collections::BTreeMap;

use super::rules::{fault, Caller, Fault};
use super::world::{ContactRec, EmptyTask, ListRec, World};

/// How an operation names a list: REST by id, SOAP by name.
#[derive(Debug, Clone, Copy)]
pub enum ListRef<'a> {
    Id(i64),
    Name(&'a str),
}

/// What adding a contact did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Saved {
    Added,
    Updated,
    /// It existed and updating was not asked for.
    DuplicateIgnored,
}

impl World {
    fn list_id(&self, caller: &Caller, list: ListRef<'_>) -> Result<i64, Fault> {
        let found = match list {
            ListRef::Id(id) => self.lists.get(&id),
            ListRef::Name(name) => self.list_by_name(name),
        };
        let found = found.ok_or_else(|| fault(-14, ""))?;
        if !caller.sees(&found.organization) {
            return Err(fault(-28, ""));
        }
        Ok(found.id)
    }

    /// A list the caller may use (`-14` unknown, `-28` another organization's).
    pub fn list_for(&self, caller: &Caller, list: ListRef<'_>) -> Result<&ListRec, Fault> {
        let id = self.list_id(caller, list)?;
        self.lists.get(&id).ok_or_else(|| fault(-14, ""))
    }

    /// A list is in use while a job of a campaign dialling it is queued, active or paused.
    /// A list is in use while a job of a campaign dialling it is queued, active or paused.
    fn list_in_use(&self, name: &str) -> bool {
        self.campaigns.values().any(|c| {
            c.lists.iter().any(|l| l == name)
                && self.jobs.values().any(|j| {
                    j.campaign_id == c.id
                        && matches!(j.state.as_str(), "JOB_QUEUED" | "JOB_ACTIVE" | "JOB_PAUSED")
                })
        })
    }

    /// Deletes one contact (`-2` unknown, `-33` while it is being dialled).
    pub fn delete_contact(
        &mut self,
        caller: &Caller,
        list: ListRef<'_>,
        user_contact_id: &str,
        now_ms: i64,
    ) -> Result<(), Fault> {
        let id = self.list_id(caller, list)?;
        let list = self.lists.get_mut(&id).ok_or_else(|| fault(-14, ""))?;
        let contact = list
            .contacts
            .get(user_contact_id)
            .ok_or_else(|| fault(-2, ""))?;
        if contact
            .in_progress_until_ms
            .is_some_and(|until| until > now_ms)
        {
            return Err(fault(-33, ""));
        }
        list.contacts.remove(user_contact_id);
        list.last_update_ms = now_ms;
        Ok(())
    }

    /// Marks contacts uncallable; returns the ids that are not in the list.
    pub fn mark_uncallable(
        &mut self,
        caller: &Caller,
        list_id: i64,
        ids: &[String],
        now_ms: i64,
    ) -> Result<Vec<String>, Fault> {
        let id = self.list_id(caller, ListRef::Id(list_id))?;
        let list = self.lists.get_mut(&id).ok_or_else(|| fault(-14, ""))?;
        let mut failed = Vec::new();
        for contact_id in ids {
            match list.contacts.get_mut(contact_id) {
                Some(contact) => contact.callable = false,
                None => failed.push(contact_id.clone()),
            }
        }
        list.last_update_ms = now_ms;
        Ok(failed)
    }

    /// Adds or updates a contact; unknown attributes are refused (`-5`), as POM does.
    pub fn save_contact(
        &mut self,
        caller: &Caller,
        list_id: i64,
        attributes: BTreeMap<String, String>,
        update_existing: bool,
        now_ms: i64,
    ) -> Result<Saved, Fault> {
        let id = self.list_id(caller, ListRef::Id(list_id))?;
        let user_contact_id = attributes.get("userContactId").cloned().unwrap_or_default();
        if user_contact_id.is_empty() {
            return Err(Fault {
                code: -38,
                message: "Invalid value for attribute. userContactId is required.".into(),
            });
        }
        if let Some(unknown) = attributes
            .keys()
            .find(|name| self.attribute(name).is_none())
        {
            return Err(Fault {
                code: -5,
                message: format!(
                    "Attribute record not found. AttributeName is case-sensitive. {unknown}"
                ),
            });
        }
        let list = self.lists.get_mut(&id).ok_or_else(|| fault(-14, ""))?;
        list.last_update_ms = now_ms;
        match list.contacts.get_mut(&user_contact_id) {
            Some(_) if !update_existing => Ok(Saved::DuplicateIgnored),
            Some(existing) => {
                existing.attributes.extend(attributes);
                Ok(Saved::Updated)
            }
            None => {
                list.contacts.insert(
                    user_contact_id,
                    ContactRec {
                        attributes,
                        created_ms: now_ms,
                        callable: true,
                        in_progress_until_ms: None,
                    },
                );
                Ok(Saved::Added)
            }
        }
    }

    /// `EmptyContactList`: starts deleting contacts older than now; returns how many there are.
    pub fn empty_list(&mut self, caller: &Caller, name: &str, now_ms: i64) -> Result<i64, Fault> {
        let id = self.list_id(caller, ListRef::Name(name))?;
        if self.list_in_use(name) {
            return Err(fault(-61, ""));
        }
        let list = self.lists.get_mut(&id).ok_or_else(|| fault(-14, ""))?;
        list.emptying = Some(EmptyTask {
            cutoff_ms: now_ms,
            last_step_ms: now_ms,
        });
        Ok(list.contacts.len() as i64)
    }

    /// `GetContactListEmptyStatus`: whether emptying is under way, and the contacts remaining.
    pub fn empty_status(&self, caller: &Caller, name: &str) -> Result<(&'static str, i64), Fault> {
        let list = self.list_for(caller, ListRef::Name(name))?;
        let status = if list.emptying.is_some() {
            "LIST_BEING_EMPTIED"
        } else {
            "LIST_BEING_IDLE"
        };
        Ok((status, list.contacts.len() as i64))
    }
}
