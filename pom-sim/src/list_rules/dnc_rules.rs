//! Simulated POM rules for DNC lists: which list an operation works on, the addresses it
//! takes, and checking, adding and removing them one at a time or many at once.

use crate::rules::{fault, valid_dnc_address, Caller, Fault};
use crate::world::World;

impl World {
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
}
