//! Records about a person erased on request that arrive after the erasure (a feed behind, a
//! late file, a replay from the start): their personal values are replaced before they are
//! stored, as the erasure replaced those already stored (`erasure/call_data.rs`).

use super::ingest::organization;
use super::parse::{Item, Record};
use crate::dnc::kill_list::Registrar;
use crate::erasure::ocm_stores::ERASED;
use crate::erasure::tombstone::Suppression;
use crate::phone::PhoneRules;

/// Replaces the erased people's values in `items`; returns how many records were changed.
pub async fn suppress(
    items: &mut [Item],
    erased: &mut Registrar<'_>,
) -> Result<usize, sqlx::Error> {
    let mut changed = 0;
    for item in items {
        let Item::Known { record, .. } = item else {
            continue;
        };
        let rules = erased.rules();
        let suppression = erased.suppression(organization(record)).await?;
        if !suppression.is_empty() {
            changed += usize::from(scrub(record, suppression, rules));
        }
    }
    Ok(changed)
}

/// The erasure that names the contact, by their id, address or any contact attribute.
fn erasure_of<'a>(
    s: &Suppression,
    rules: &PhoneRules,
    id: &str,
    address: Option<&str>,
    attributes: impl IntoIterator<Item = &'a String>,
) -> Option<i64> {
    s.customer_id(id)
        .or_else(|| address.and_then(|a| s.address(a, rules)))
        .or_else(|| attributes.into_iter().find_map(|v| s.address(v, rules)))
}

fn scrub(record: &mut Record, s: &Suppression, rules: &PhoneRules) -> bool {
    let none = std::iter::empty();
    match record {
        Record::Attempt(a) => {
            let Some(id) = erasure_of(
                s,
                rules,
                &a.user_contact_id,
                Some(&a.address),
                a.contact.values(),
            ) else {
                return false;
            };
            a.address = ERASED.to_string();
            a.contact.clear();
            a.user_contact_id = format!("erased:{id}");
        }
        Record::Callback(c) => {
            let Some(id) = erasure_of(s, rules, &c.user_contact_id, Some(&c.address), none) else {
                return false;
            };
            c.address = ERASED.to_string();
            c.notes = ERASED.to_string();
            c.user_contact_id = format!("erased:{id}");
        }
        Record::CallbackEvent(e) => {
            let Some(id) = erasure_of(s, rules, &e.user_contact_id, None, none) else {
                return false;
            };
            e.user_contact_id = format!("erased:{id}");
        }
        Record::Sale(sale) => {
            let Some(id) = erasure_of(s, rules, &sale.user_contact_id, None, none) else {
                return false;
            };
            sale.user_contact_id = format!("erased:{id}");
        }
        Record::Inbound(call) => {
            if s.address(&call.caller, rules).is_none() {
                return false;
            }
            call.caller = ERASED.to_string();
        }
        // The contact id is part of the row's key: kept, pseudonymous without the attributes.
        Record::ContactSkip(k) => {
            if erasure_of(s, rules, &k.user_contact_id, None, k.contact.values()).is_none() {
                return false;
            }
            k.contact.clear();
        }
        _ => return false,
    }
    true
}
