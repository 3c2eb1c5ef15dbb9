//! The one-off check behind `ocm dnc audit-formats`: every phone number the registry says was
//! added to a DNC list (`dnc_entry`, pending or confirmed) against the way the organization's
//! contacts write numbers. The contacts are sampled from POM (the first page of each of the
//! organization's lists, their PHONE attributes); without POM, or without contacts, the expected
//! form is `OCM_POM_PHONE_FORMAT`. An entry written in a form no contact uses, such as the
//! hand-written rules' `+5551234567` for an American `555 123 4567`, is listed with the form
//! today's rules give it, so an operator can correct the list.

use std::collections::BTreeSet;

use pom::client::PomClient;
use serde_json::Value;
use sqlx::PgPool;
use time::format_description::well_known::Rfc3339;

use super::formats::{describe, judge, shape, Shape};
use crate::phone::PhoneRules;

/// Lists read per organization, and contacts per list.
const SAMPLE_LISTS: usize = 20;
const SAMPLE_CONTACTS: u32 = 200;

/// One entry whose form no contact uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub entry_id: i64,
    pub address: String,
    pub state: String,
    pub requested_at: String,
    pub problem: String,
    pub suggested: Option<String>,
}

/// One organization's audit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrganizationAudit {
    pub organization: String,
    /// Where the expected forms came from, in words.
    pub basis: String,
    /// The forms the contacts use.
    pub expected: String,
    pub entries: usize,
    pub findings: Vec<Finding>,
}

/// Runs the audit; `client` is POM (none: the configured form alone).
pub async fn audit(
    pool: &PgPool,
    client: Option<&PomClient>,
    rules: &PhoneRules,
) -> Result<Vec<OrganizationAudit>, sqlx::Error> {
    let entries = sqlx::query!(
        r#"select dnc_entry_id, organization, address, state, requested_at
           from dnc_entry
           where action = 'add' and state in ('pending', 'confirmed')
             and position('@' in address) = 0
           order by organization, dnc_entry_id"#
    )
    .fetch_all(pool)
    .await?;
    // Each organization's audit with the shapes its entries are judged against.
    let mut audits: Vec<(OrganizationAudit, Vec<Shape>)> = Vec::new();
    for entry in entries {
        if audits
            .last()
            .is_none_or(|(a, _)| a.organization != entry.organization)
        {
            let (expected, basis) = expected_shapes(client, &entry.organization, rules).await;
            let audit = OrganizationAudit {
                organization: entry.organization.clone(),
                basis,
                expected: describe(&expected),
                entries: 0,
                findings: Vec::new(),
            };
            audits.push((audit, expected));
        }
        let Some((audit, expected)) = audits.last_mut() else {
            continue;
        };
        audit.entries += 1;
        if let Some(verdict) = judge(&entry.address, expected, rules) {
            audit.findings.push(Finding {
                entry_id: entry.dnc_entry_id,
                address: entry.address,
                state: entry.state,
                requested_at: entry.requested_at.format(&Rfc3339).unwrap_or_default(),
                problem: verdict.problem,
                suggested: verdict.suggested,
            });
        }
    }
    Ok(audits.into_iter().map(|(audit, _)| audit).collect())
}

/// The shapes of the organization's contacts' numbers, or the configured form when none can be
/// read, and where they came from.
async fn expected_shapes(
    client: Option<&PomClient>,
    organization: &str,
    rules: &PhoneRules,
) -> (Vec<Shape>, String) {
    let configured = || {
        vec![Shape {
            form: rules.format,
            code: rules.region.code(),
        }]
    };
    let Some(client) = client else {
        return (configured(), "no POM: OCM_POM_PHONE_FORMAT".into());
    };
    match sample(client, organization, rules).await {
        Ok((shapes, contacts, _)) if !shapes.is_empty() => (
            shapes,
            format!("{contacts} contacts' numbers read from POM"),
        ),
        Ok((_, _, lists)) => (
            configured(),
            format!("no numbers in {lists} POM lists: OCM_POM_PHONE_FORMAT"),
        ),
        Err(error) => (
            configured(),
            format!("POM could not be read ({error}): OCM_POM_PHONE_FORMAT"),
        ),
    }
}

/// The shapes found, the contacts read and the lists looked at.
async fn sample(
    client: &PomClient,
    organization: &str,
    rules: &PhoneRules,
) -> Result<(Vec<Shape>, usize, usize), pom::client::PomError> {
    let phones: Vec<String> = client
        .get_attributes_list(None)
        .await?
        .into_iter()
        .filter(|a| {
            a.kind
                .as_deref()
                .is_some_and(|k| k.eq_ignore_ascii_case("PHONE"))
        })
        .map(|a| a.name)
        .collect();
    let lists = client.contact_lists(organization).await?;
    let mut shapes = BTreeSet::new();
    let mut contacts = 0;
    for list in lists.iter().take(SAMPLE_LISTS) {
        let page = client
            .contacts_page(list.contact_list_id, 0, SAMPLE_CONTACTS, None)
            .await?;
        contacts += page.contacts.len();
        for contact in &page.contacts {
            let numbers = phones
                .iter()
                .filter_map(|name| contact.get(name).and_then(Value::as_str));
            shapes.extend(numbers.filter_map(|number| shape(number, rules)));
        }
    }
    Ok((shapes.into_iter().collect(), contacts, lists.len()))
}
