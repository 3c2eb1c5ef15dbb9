//! Which attribute each column goes to: header texts matched with POM's attribute names and
//! common aliases (`auto_map`), the user's or a template's choices over that, the converted file's
//! columns, and the problems that make a mapping unsendable.

use std::collections::BTreeMap;

use super::values::Kind;
use super::{Attribute, OutputLayout, UploadOptions};

/// The attribute every contact is identified by.
pub(super) const CONTACT_ID: &str = "userContactId";

/// Header texts (squashed: lower-case letters and digits only) that name an attribute without
/// spelling it.
const ALIASES: &[(&str, &[&str])] = &[
    (
        "phoneNumber1",
        &[
            "mobile",
            "mobileno",
            "mobilenumber",
            "mobilephone",
            "mob",
            "cell",
            "cellphone",
            "cellno",
            "cellnumber",
            "phone",
            "phoneno",
            "phonenumber",
            "phone1",
            "telephone",
            "telephoneno",
            "telephonenumber",
            "telephone1",
            "tel",
            "telno",
            "tel1",
            "msisdn",
            "contactnumber",
            "mobile1",
        ],
    ),
    (
        "phoneNumber2",
        &[
            "phone2",
            "phoneno2",
            "tel2",
            "telephone2",
            "mobile2",
            "altphone",
            "alternativephone",
            "alternatephone",
            "alternativenumber",
            "otherphone",
            "homephone",
            "homenumber",
            "landline",
            "workphone",
        ],
    ),
    (
        "email",
        &["email", "emailaddress", "mail", "mailaddress", "emailid"],
    ),
    (
        CONTACT_ID,
        &[
            "customerid",
            "contactid",
            "clientid",
            "custid",
            "id",
            "customerno",
            "customernumber",
            "clientno",
            "clientnumber",
            "customerref",
            "customerreference",
        ],
    ),
    (
        "firstName",
        &["firstname", "forename", "givenname", "fname"],
    ),
    ("lastName", &["lastname", "surname", "familyname", "lname"]),
    ("title", &["salutation"]),
    ("zipcode", &["postcode", "zip", "zipcode", "postalcode"]),
    (
        "addressLine1",
        &["address", "address1", "street", "streetaddress"],
    ),
    ("addressLine2", &["address2"]),
    ("addressLine3", &["address3", "town", "city", "towncity"]),
];

fn squashed(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The attribute a header names: its name whatever the case and punctuation (`PHONE_NUMBER_1`,
/// `phone number 1` → `phoneNumber1`), else a common alias (`Mobile`, `Surname`, `Post code`, …)
/// of an attribute the catalogue has.
pub fn auto_map(header: &str, attributes: &[Attribute]) -> Option<String> {
    let wanted = squashed(header);
    if wanted.is_empty() {
        return None;
    }
    let named = |name: &str| {
        attributes
            .iter()
            .find(|a| a.name == name)
            .map(|a| a.name.clone())
    };
    attributes
        .iter()
        .find(|a| squashed(&a.name) == wanted)
        .map(|a| a.name.clone())
        .or_else(|| {
            ALIASES
                .iter()
                .filter(|(_, aliases)| aliases.contains(&wanted.as_str()))
                .find_map(|(name, _)| named(name))
        })
}

/// The mapping decided for a file.
#[derive(Debug)]
pub(super) struct Plan {
    pub mapping: Vec<Option<String>>,
    pub auto_mapped: Vec<bool>,
    /// Per file column, how its values are checked: `None` when it is left out or its attribute
    /// is not in the catalogue.
    pub kinds: Vec<Option<Kind>>,
    /// The column of userContactId (the first, should two be mapped to it).
    pub id: Option<usize>,
    /// The attribute of each converted column and the file column it comes from.
    pub output: Vec<String>,
    pub sources: Vec<Option<usize>>,
    pub blocking: Vec<String>,
    /// Mapped file columns the data source's layout has no column for.
    pub dropped: Vec<usize>,
}

impl Plan {
    pub(super) fn new(
        columns: &[String],
        options: &UploadOptions,
        attributes: &[Attribute],
        layout: &OutputLayout,
    ) -> Plan {
        let known = |name: &str| {
            attributes.iter().find(|a| a.name == name).or_else(|| {
                attributes
                    .iter()
                    .find(|a| a.name.eq_ignore_ascii_case(name))
            })
        };
        // The map's choices first, so an automatic match never takes an attribute chosen later.
        let chosen: Vec<Option<Option<String>>> = columns
            .iter()
            .map(|name| {
                options.mapping.get(name).map(|choice| {
                    choice
                        .as_deref()
                        .map(|a| known(a).map_or_else(|| a.to_string(), |a| a.name.clone()))
                })
            })
            .collect();
        let mut taken: Vec<String> = chosen.iter().flatten().flatten().cloned().collect();
        let mut mapping = Vec::with_capacity(columns.len());
        let mut auto_mapped = Vec::with_capacity(columns.len());
        for (name, choice) in columns.iter().zip(chosen) {
            let (attribute, auto) = match choice {
                Some(choice) => (choice, false),
                None => match auto_map(name, attributes).filter(|a| !taken.contains(a)) {
                    Some(found) => {
                        taken.push(found.clone());
                        (Some(found), true)
                    }
                    None => (None, false),
                },
            };
            mapping.push(attribute);
            auto_mapped.push(auto);
        }
        let kinds: Vec<Option<Kind>> = mapping
            .iter()
            .map(|m| m.as_deref().and_then(known).map(Kind::of))
            .collect();
        let position = |attribute: &str| {
            mapping.iter().zip(&kinds).position(|(m, kind)| {
                kind.is_some()
                    && m.as_deref()
                        .is_some_and(|m| m.eq_ignore_ascii_case(attribute))
            })
        };
        let id = position(CONTACT_ID);
        let output: Vec<String> = if layout.columns.is_empty() {
            let mut output: Vec<String> = Vec::new();
            for (m, kind) in mapping.iter().zip(&kinds) {
                match (m, kind) {
                    (Some(attribute), Some(_)) if !output.contains(attribute) => {
                        output.push(attribute.clone());
                    }
                    _ => {}
                }
            }
            output
        } else {
            layout.columns.clone()
        };
        let sources = output.iter().map(|attribute| position(attribute)).collect();
        let mut blocking = blocking(columns, &mapping, &kinds, id, attributes);
        let mut dropped = Vec::new();
        if !layout.columns.is_empty() {
            let checked =
                super::layout::check(&layout.columns, &mapping, &kinds, attributes, CONTACT_ID);
            blocking.extend(checked.problems);
            dropped = checked.dropped;
        }
        Plan {
            mapping,
            auto_mapped,
            kinds,
            id,
            output,
            sources,
            blocking,
            dropped,
        }
    }
}

/// What makes the mapping unsendable, each naming the column or attribute.
fn blocking(
    columns: &[String],
    mapping: &[Option<String>],
    kinds: &[Option<Kind>],
    id: Option<usize>,
    attributes: &[Attribute],
) -> Vec<String> {
    let mut problems = Vec::new();
    if id.is_none() {
        problems.push(format!(
            "No column is mapped to {CONTACT_ID}, which every contact needs: choose the column \
             that holds each contact's id."
        ));
    }
    if !kinds.iter().flatten().any(|kind| kind.reaches()) {
        let reachable: Vec<&str> = attributes
            .iter()
            .filter(|a| Kind::of(a).reaches())
            .map(|a| a.name.as_str())
            .collect();
        problems.push(format!(
            "No column is mapped to a phone number or e-mail attribute ({}): POM needs one to \
             reach a contact.",
            reachable.join(", ")
        ));
    }
    let mut by_attribute: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for ((name, m), kind) in columns.iter().zip(mapping).zip(kinds) {
        match (m, kind) {
            (Some(attribute), None) => problems.push(format!(
                "Column '{name}' is mapped to {attribute}, which POM's catalogue does not have."
            )),
            (Some(attribute), Some(_)) => by_attribute.entry(attribute).or_default().push(name),
            (None, _) => {}
        }
    }
    for (attribute, names) in by_attribute.into_iter().filter(|(_, n)| n.len() > 1) {
        let quoted: Vec<String> = names.iter().map(|n| format!("'{n}'")).collect();
        if let Some((last, rest)) = quoted.split_last() {
            let all = if rest.len() == 1 { "both" } else { "all" };
            problems.push(format!(
                "Columns {} and {last} are {all} mapped to {attribute}: choose one.",
                rest.join(", ")
            ));
        }
    }
    problems
}
