//! `UpdateContactAttributeValueToList` (seed 004 L2510): one attribute of a list's contact set,
//! predefined attributes named as the guide's table names them for this method.

use super::ListRef;
use crate::import_rows::valid_value;
use crate::rules::{fault, Caller, Fault};
use crate::world::World;

/// The guide's method names for predefined attributes and the names contacts carry them under.
const PREDEFINED: [(&str, &str); 19] = [
    ("UserContactId", "userContactId"),
    ("FirstName", "firstName"),
    ("LastName", "lastName"),
    ("PhoneNumber1", "phoneNumber1"),
    ("PhoneNumber1CtryCode", "phoneNumber1CtryCode"),
    ("TimeZone", "phoneNumber1TimeZone"),
    ("PhoneNumber2", "phoneNumber2"),
    ("PhoneNumber2CtryCode", "phoneNumber2CtryCode"),
    ("PhoneNumber2Tz", "phoneNumber2TimeZone"),
    ("Email", "email"),
    ("Language", "language"),
    ("TitlePredefined", "title"),
    ("AddrLine1Predefined", "addressLine1"),
    ("AddrLine2Predefined", "addressLine2"),
    ("AddrLine3Predefined", "addressLine3"),
    ("AddrLine4Predefined", "addressLine4"),
    ("AddrLine5Predefined", "addressLine5"),
    ("CountryPredefined", "country"),
    ("ZipcodePredefined", "zipcode"),
];

impl World {
    /// Sets `attribute` of a contact: -14/-28 for the list, -2 no such contact, -5 no such
    /// attribute (case-sensitive; a predefined one only by its method name), -45 a value the
    /// attribute's type does not take.
    pub fn update_attribute(
        &mut self,
        caller: &Caller,
        list: &str,
        user_contact_id: &str,
        (attribute, value): (&str, &str),
        now_ms: i64,
    ) -> Result<(), Fault> {
        let id = self.list_for(caller, ListRef::Name(list))?.id;
        let stored = match PREDEFINED.iter().find(|(method, _)| *method == attribute) {
            Some((_, stored)) => stored.to_string(),
            None => match self.attribute(attribute) {
                Some(def) if !def.system => attribute.to_string(),
                _ => return Err(fault(-5, "")),
            },
        };
        let kind = self
            .attribute(&stored)
            .map_or("STRING".to_string(), |a| a.kind.clone());
        if stored == "userContactId" || !valid_value(&kind, value) {
            return Err(fault(-45, ""));
        }
        let list = self.lists.get_mut(&id).ok_or_else(|| fault(-14, ""))?;
        let contact = list
            .contacts
            .get_mut(user_contact_id)
            .ok_or_else(|| fault(-2, ""))?;
        contact.attributes.insert(stored, value.to_string());
        list.last_update_ms = now_ms;
        Ok(())
    }
}
