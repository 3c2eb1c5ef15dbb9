//! Simulated POM rules for contact lists, contacts, DNC lists, data sources and attributes.

use std::collections::BTreeMap;

use super::rules::{fault, valid_dnc_address, zoned_schedule_time, Caller, Fault};
use super::world::{AttributeDef, ContactRec, EmptyTask, ImportJobRec, ListRec, World};

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

    /// The DNC list an operation works on: the organization's when named, else the common list.
    /// Changes need a global user (`-21`).
    fn dnc_list_id(
        &self,
        caller: &Caller,
        organization: Option<&str>,
        change: bool,
    ) -> Result<i64, Fault> {
        if change && caller.organization.is_some() {
            return Err(fault(-21, ""));
        }
        if organization.is_some_and(|org| !caller.sees(org)) {
            return Err(fault(-21, ""));
        }
        self.dnc_lists
            .values()
            .find(|d| d.organization.as_deref() == organization)
            .map(|d| d.id)
            .ok_or_else(|| fault(-40, ""))
    }

    fn checked_address(address: &str) -> Result<String, Fault> {
        let address = address.trim();
        if address.is_empty() {
            return Err(fault(-18, ""));
        }
        if !valid_dnc_address(address) {
            return Err(fault(-19, address));
        }
        Ok(address.to_string())
    }

    /// `IsDNC`.
    pub fn dnc_contains(
        &self,
        caller: &Caller,
        address: &str,
        organization: Option<&str>,
    ) -> Result<bool, Fault> {
        let address = Self::checked_address(address)?;
        let id = self.dnc_list_id(caller, organization, false)?;
        Ok(self.dnc_lists[&id].addresses.contains(&address))
    }

    /// `AddToDNCList` (`-9` when already listed) and `RemoveFromDNCList` (`-17` when not listed).
    pub fn dnc_change(
        &mut self,
        caller: &Caller,
        address: &str,
        organization: Option<&str>,
        add: bool,
        now_ms: i64,
    ) -> Result<(), Fault> {
        let address = Self::checked_address(address)?;
        let id = self.dnc_list_id(caller, organization, true)?;
        let list = self.dnc_lists.get_mut(&id).ok_or_else(|| fault(-40, ""))?;
        let changed = if add {
            list.addresses.insert(address)
        } else {
            list.addresses.remove(&address)
        };
        if !changed {
            return Err(fault(if add { -9 } else { -17 }, ""));
        }
        list.last_updated_ms = now_ms;
        Ok(())
    }

    /// REST `dnclists/{id}/addresses`: adds many; returns the ones refused (invalid addresses).
    pub fn dnc_add_many(
        &mut self,
        caller: &Caller,
        dnc_list_id: i64,
        addresses: &[String],
        now_ms: i64,
    ) -> Result<Vec<String>, Fault> {
        if caller.organization.is_some() {
            return Err(fault(-21, ""));
        }
        let list = self
            .dnc_lists
            .get_mut(&dnc_list_id)
            .ok_or_else(|| fault(-40, ""))?;
        let mut refused = Vec::new();
        for address in addresses {
            match Self::checked_address(address) {
                Ok(valid) => {
                    list.addresses.insert(valid);
                }
                Err(_) => refused.push(address.clone()),
            }
        }
        list.last_updated_ms = now_ms;
        Ok(refused)
    }

    /// `ScheduleDataSource`: creates an import job that starts at `start`, wall time in `zone`
    /// (`-12`, `-60`, `-59`).
    pub fn schedule_data_source(
        &mut self,
        caller: &Caller,
        name: &str,
        start: &str,
        zone: &str,
    ) -> Result<i64, Fault> {
        let source = self.data_sources.get(name).ok_or_else(|| fault(-12, ""))?;
        if !caller.sees(&source.organization) {
            return Err(fault(-60, ""));
        }
        let list_name = source.list_name.clone();
        let start_ms = zoned_schedule_time(start, zone)?;
        let id = self.new_id();
        self.import_jobs.insert(
            id,
            ImportJobRec {
                id,
                data_source: name.to_string(),
                list_name,
                state: "QUEUED".into(),
                start_ms,
                ..Default::default()
            },
        );
        Ok(id)
    }

    /// `GetImportJobStatus`: the data source's import jobs in `states` (POM's default: RUNNING).
    pub fn import_jobs(
        &self,
        caller: &Caller,
        name: &str,
        states: &[String],
    ) -> Result<Vec<&ImportJobRec>, Fault> {
        let source = self.data_sources.get(name).ok_or_else(|| fault(-12, ""))?;
        if !caller.sees(&source.organization) {
            return Err(fault(-60, ""));
        }
        let default = ["RUNNING".to_string()];
        let states = if states.is_empty() {
            &default[..]
        } else {
            states
        };
        Ok(self
            .import_jobs
            .values()
            .filter(|j| j.data_source == name && states.contains(&j.state))
            .collect())
    }

    /// `GetAttributesList`: the catalogue, or the attributes a list's contacts use.
    pub fn attributes_for(
        &self,
        caller: &Caller,
        list: Option<&str>,
    ) -> Result<Vec<AttributeDef>, Fault> {
        let Some(name) = list else {
            return Ok(self.attributes.clone());
        };
        let list = self.list_for(caller, ListRef::Name(name))?;
        let used: std::collections::BTreeSet<&String> = list
            .contacts
            .values()
            .flat_map(|c| c.attributes.keys())
            .collect();
        Ok(self
            .attributes
            .iter()
            .filter(|a| a.system || used.contains(&a.name))
            .cloned()
            .collect())
    }
}
