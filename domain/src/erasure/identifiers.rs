//! The person to erase as the admin names them (phone numbers, e-mail addresses, customer ids),
//! each checked and put in the one form OCM compares (E.164, lower case, trimmed), and whether a
//! value met in a contact, a file or the DNC registry is one of them. Pure.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::dnc::parse::{normalise_contact_id, normalise_email};
use crate::phone::PhoneRules;

/// At most this many identifiers per erasure: a person, not a list (bounded before it is read).
pub const MAX_IDENTIFIERS: usize = 20;
/// The longest value accepted in any of the three fields (bytes, before splitting).
pub const MAX_FIELD_BYTES: usize = 8 * 1024;

/// What an identifier is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IdentifierKind {
    Phone,
    Email,
    CustomerId,
}

impl IdentifierKind {
    pub const ALL: [IdentifierKind; 3] = [
        IdentifierKind::Phone,
        IdentifierKind::Email,
        IdentifierKind::CustomerId,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            IdentifierKind::Phone => "phone",
            IdentifierKind::Email => "email",
            IdentifierKind::CustomerId => "customer_id",
        }
    }

    /// The form field the admin types them in.
    pub fn field(self) -> &'static str {
        match self {
            IdentifierKind::Phone => "phones",
            IdentifierKind::Email => "emails",
            IdentifierKind::CustomerId => "customer_ids",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            IdentifierKind::Phone => "phone number",
            IdentifierKind::Email => "e-mail address",
            IdentifierKind::CustomerId => "customer id",
        }
    }

    pub fn plural(self) -> &'static str {
        match self {
            IdentifierKind::Phone => "phone numbers",
            IdentifierKind::Email => "e-mail addresses",
            IdentifierKind::CustomerId => "customer ids",
        }
    }
}

/// One identifier in comparison form: `+447700900123`, `jane@example.com`, `C0042`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Identifier {
    pub kind: IdentifierKind,
    pub canonical: String,
}

/// The identifiers of one person, each kind apart for quick comparison.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    pub identifiers: BTreeSet<Identifier>,
}

/// A refused field: which one and why (the row of the field named).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldProblem {
    pub field: &'static str,
    pub message: String,
}

/// Reads the three fields (one value per line, or separated by commas or semicolons).
pub fn read(
    phones: &str,
    emails: &str,
    customer_ids: &str,
    rules: &PhoneRules,
) -> Result<Person, FieldProblem> {
    let mut person = Person::default();
    for (kind, text) in [
        (IdentifierKind::Phone, phones),
        (IdentifierKind::Email, emails),
        (IdentifierKind::CustomerId, customer_ids),
    ] {
        let refuse = |message: String| FieldProblem {
            field: kind.field(),
            message,
        };
        if text.len() > MAX_FIELD_BYTES {
            return Err(refuse(format!(
                "Too long: at most {MAX_FIELD_BYTES} characters."
            )));
        }
        for (index, raw) in text
            .split(['\n', ',', ';'])
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .enumerate()
        {
            let canonical = match kind {
                IdentifierKind::Phone => {
                    rules.read(raw).map(|p| p.e164()).map_err(|p| p.to_string())
                }
                IdentifierKind::Email => normalise_email(raw),
                IdentifierKind::CustomerId => normalise_contact_id(raw),
            }
            .map_err(|why| refuse(format!("Value {} ({raw}): {why}.", index + 1)))?;
            person.identifiers.insert(Identifier { kind, canonical });
            if person.identifiers.len() > MAX_IDENTIFIERS {
                return Err(refuse(format!(
                    "At most {MAX_IDENTIFIERS} identifiers in all: an erasure is for one person."
                )));
            }
        }
    }
    if person.identifiers.is_empty() {
        return Err(FieldProblem {
            field: "person",
            message: "Give at least one phone number, e-mail address or customer id.".into(),
        });
    }
    Ok(person)
}

impl Person {
    fn has(&self, kind: IdentifierKind, canonical: &str) -> bool {
        self.identifiers
            .iter()
            .any(|i| i.kind == kind && i.canonical == canonical)
    }

    /// How many of each kind, in kind order.
    pub fn counts(&self) -> Vec<(IdentifierKind, usize)> {
        IdentifierKind::ALL
            .into_iter()
            .map(|kind| {
                (
                    kind,
                    self.identifiers.iter().filter(|i| i.kind == kind).count(),
                )
            })
            .collect()
    }

    /// Whether a value found anywhere (a cell, an attribute, a registry address) is one of the
    /// person's phone numbers or e-mail addresses, in whatever form it was written.
    pub fn matches_value(&self, raw: &str, rules: &PhoneRules) -> bool {
        let value = raw.trim();
        if value.is_empty() {
            return false;
        }
        if value.contains('@') {
            return self.has(IdentifierKind::Email, &value.to_lowercase());
        }
        let digits = value.bytes().filter(u8::is_ascii_digit).count();
        // Reading every text as a phone number would be slow and pointless: numbers have digits.
        digits >= 6
            && rules
                .read(value)
                .is_ok_and(|phone| self.has(IdentifierKind::Phone, &phone.e164()))
    }

    /// Whether a value is one of the person's customer ids (POM's `userContactId`).
    pub fn matches_id(&self, id: &str) -> bool {
        self.has(IdentifierKind::CustomerId, id.trim())
    }

    /// Whether a POM contact is the person's: its id (under any of the spellings POM uses), or
    /// any attribute's value, text or number.
    pub fn matches_contact(&self, contact: &Map<String, Value>, rules: &PhoneRules) -> bool {
        contact.iter().any(|(name, value)| {
            let text = match value {
                Value::String(s) => s.clone(),
                Value::Number(n) => n.to_string(),
                _ => return false,
            };
            (name.eq_ignore_ascii_case("userContactId") && self.matches_id(&text))
                || self.matches_value(&text, rules)
        })
    }

    /// Whether a stored text value is one of the person's identifiers (as a value or an id).
    fn names(&self, text: &str, rules: &PhoneRules) -> bool {
        self.matches_id(text) || self.matches_value(text, rules)
    }

    /// Replaces, in stored JSON (a pre-flight's sample rows, a request), every row that names
    /// the person: an array or object holding one of the identifiers as a direct value has all
    /// its texts replaced by `erased`, so a row's other cells (the name beside the number) go
    /// too. Whether anything was replaced.
    pub fn scrub(&self, value: &mut Value, rules: &PhoneRules, erased: &str) -> bool {
        let direct = |v: &Value| v.as_str().is_some_and(|t| self.names(t, rules));
        match value {
            Value::Array(items) if items.iter().any(direct) => {
                items
                    .iter_mut()
                    .filter(|v| v.is_string())
                    .for_each(|v| *v = erased.into());
                true
            }
            Value::Object(fields) if fields.values().any(direct) => {
                fields
                    .values_mut()
                    .filter(|v| v.is_string())
                    .for_each(|v| *v = erased.into());
                true
            }
            // Every row is visited (no short cut): each one naming the person must go.
            Value::Array(items) => {
                let mut any = false;
                for item in items {
                    any |= self.scrub(item, rules, erased);
                }
                any
            }
            Value::Object(fields) => {
                let mut any = false;
                for field in fields.values_mut() {
                    any |= self.scrub(field, rules, erased);
                }
                any
            }
            _ => false,
        }
    }

    /// Fragments a stored text holding one of the identifiers contains, used to narrow what the
    /// database returns before [`Person::matches_value`] decides: a phone number's last seven
    /// digits (to look for in the text's digits alone, so any spacing matches), and the
    /// lower-cased e-mail addresses and ids (to look for in the lower-cased text).
    pub fn fragments(&self) -> (Vec<String>, Vec<String>) {
        let (phones, others): (Vec<&Identifier>, Vec<&Identifier>) = self
            .identifiers
            .iter()
            .partition(|i| i.kind == IdentifierKind::Phone);
        let digits = phones
            .iter()
            .map(|i| i.canonical[i.canonical.len().saturating_sub(7)..].to_string())
            .collect();
        let texts = others.iter().map(|i| i.canonical.to_lowercase()).collect();
        (digits, texts)
    }
}

#[cfg(test)]
mod tests;
