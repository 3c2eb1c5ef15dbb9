//! Finding a request's contacts in the contact lists. A DNC request's customer: the lists that
//! hold its `userContactId`. A record cancel's: the contacts whose `phoneNumber1` or
//! `phoneNumber2` holds the phone in any form POM may hold it (only the customer's, when a
//! customer id is given), and with `all_chain` every other record of the same customers. Each
//! contact says whether POM reported an attempt running for it.

use std::collections::{BTreeMap, BTreeSet};

use pom::client::rest::{user_contact_id, ContactSearch};
use pom::client::PomClient;
use serde_json::{Map, Value};

use crate::dnc::parse::normalise_address;
use crate::error::AppError;
use crate::lists;
use crate::state::AppState;

/// Contacts read per POM page.
const PAGE: u32 = 100;
/// Contacts one cancel may reach: past this the caller is asked to narrow it down.
pub(super) const MOST_CONTACTS: usize = 10_000;
/// POM searches an `all_chain` cancel may make for the customers' other records (customers ×
/// lists), so that one cancel cannot hold the worker for long.
const MOST_CHAIN_SEARCHES: usize = 2_000;
/// The phone attributes a contact is dialled on.
const PHONE_ATTRIBUTES: [&str; 2] = ["phoneNumber1", "phoneNumber2"];

/// One contact to make uncallable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Found {
    pub list_id: i64,
    pub list_name: String,
    pub user_contact_id: String,
    /// POM's `attemptInProgress` when it gives one.
    pub in_progress: Option<bool>,
}

/// What a cancel asks for, as stored on its receipt.
pub(super) struct Wanted<'a> {
    pub phone: &'a str,
    pub customer_id: Option<&'a str>,
    pub all_chain: bool,
}

/// Lists searched: the campaign's when one is named (and, for a DNC request, only with
/// `record_only`), else every list of the organization; (id, name).
pub(super) async fn lists_to_search(
    state: &AppState,
    organization: &str,
    campaign: Option<&str>,
) -> Result<Vec<(i64, String)>, AppError> {
    let all = lists::lists_of(state, organization).await?;
    let wanted = match campaign {
        Some(campaign) => {
            let catalogue = state.campaigns.catalogue(organization, true).await?;
            let Some(info) = catalogue.into_iter().find(|c| c.campaign_name == campaign) else {
                return Err(AppError::NotFound(format!("Campaign {campaign}")));
            };
            Some(info.contact_lists)
        }
        None => None,
    };
    Ok(all
        .into_iter()
        .filter(|l| wanted.as_ref().is_none_or(|names| names.contains(&l.name)))
        .map(|l| (l.list_id, l.name))
        .collect())
}

/// A DNC request's customer: its record in each of `lists` that holds it.
pub(super) async fn customer_records(
    state: &AppState,
    lists: &[(i64, String)],
    customer_id: &str,
) -> Result<Vec<Found>, AppError> {
    let pom = state.pom()?;
    let search = ContactSearch {
        attribute: "userContactId".into(),
        operator: "equals".into(),
        value: customer_id.to_string(),
    };
    let mut records = Vec::new();
    for list in lists {
        let page = pom.contacts_page(list.0, 0, 1, Some(&search)).await?;
        if let Some(contact) = page.contacts.first() {
            records.push(Found {
                list_id: list.0,
                list_name: list.1.clone(),
                user_contact_id: customer_id.to_string(),
                in_progress: contact.get("attemptInProgress").and_then(Value::as_bool),
            });
        }
    }
    Ok(records)
}

fn found(list: &(i64, String), contact: &Map<String, Value>) -> Option<Found> {
    Some(Found {
        list_id: list.0,
        list_name: list.1.clone(),
        user_contact_id: user_contact_id(contact)?,
        in_progress: contact.get("attemptInProgress").and_then(Value::as_bool),
    })
}

/// Contacts found so far by (list, user contact id); read twice, a contact POM once said was
/// being dialled stays so.
type FoundSet = BTreeMap<(i64, String), Found>;

fn add(into: &mut FoundSet, contact: Found) {
    let key = (contact.list_id, contact.user_contact_id.clone());
    let entry = into.entry(key).or_insert_with(|| contact.clone());
    entry.in_progress = match (entry.in_progress, contact.in_progress) {
        (Some(a), Some(b)) => Some(a || b),
        (a, b) => a.or(b),
    };
}

/// Every contact of `list` matching `search` that `keep` keeps, page by page, up to the bound.
async fn search_all(
    pom: &PomClient,
    list: &(i64, String),
    search: &ContactSearch,
    keep: &(dyn Fn(&Found) -> bool + Sync),
    into: &mut FoundSet,
) -> Result<(), AppError> {
    let mut page = 0;
    loop {
        let answer = pom.contacts_page(list.0, page, PAGE, Some(search)).await?;
        for contact in answer.contacts.iter().filter_map(|c| found(list, c)) {
            if keep(&contact) {
                add(into, contact);
            }
        }
        if into.len() > MOST_CONTACTS {
            return Err(AppError::validation(
                "phone",
                format!(
                    "more than {MOST_CONTACTS} contacts would be cancelled: name a campaign or a customer_id"
                ),
            ));
        }
        page += 1;
        if page >= answer.total_pages || answer.contacts.is_empty() {
            return Ok(());
        }
    }
}

/// The contacts of `lists` (id, name) a cancel reaches.
pub(super) async fn contacts_to_cancel(
    state: &AppState,
    lists: &[(i64, String)],
    wanted: &Wanted<'_>,
) -> Result<Vec<Found>, AppError> {
    let pom = state.pom()?;
    let rules = &state.settings.phone;
    let checked = normalise_address(wanted.phone, rules)
        .map_err(|reason| AppError::validation("phone", reason))?;
    let forms = match checked.phone {
        Some(phone) => phone.forms(rules.format, rules.region),
        None => vec![wanted.phone.to_string()],
    };
    // Only the named customer's records count, before the bound is checked.
    let of_customer = |f: &Found| wanted.customer_id.is_none_or(|c| f.user_contact_id == c);
    let mut matched = FoundSet::new();
    for list in lists {
        for attribute in PHONE_ATTRIBUTES {
            for form in &forms {
                let search = ContactSearch {
                    attribute: attribute.into(),
                    operator: "equals".into(),
                    value: form.clone(),
                };
                search_all(pom, list, &search, &of_customer, &mut matched).await?;
            }
        }
    }
    if wanted.all_chain {
        let customers: BTreeSet<String> = matched
            .values()
            .map(|f| f.user_contact_id.clone())
            .collect();
        if customers.len() * lists.len() > MOST_CHAIN_SEARCHES {
            return Err(AppError::validation(
                "scope",
                format!(
                    "{} customers have this phone: their other records in {} lists are too many \
                     to look up ({MOST_CHAIN_SEARCHES} searches at most); use record_only, a \
                     campaign or a customer_id",
                    customers.len(),
                    lists.len()
                ),
            ));
        }
        for list in lists {
            for customer in &customers {
                let search = ContactSearch {
                    attribute: "userContactId".into(),
                    operator: "equals".into(),
                    value: customer.clone(),
                };
                search_all(pom, list, &search, &|_| true, &mut matched).await?;
            }
        }
    }
    Ok(matched.into_values().collect())
}
