//! The purge filter as a pure function over one contact's attributes, and its plain-words
//! description. Text comparisons: "equals", "not equal to" and "is one of" are exact (after
//! trimming); "contains" and "starts with" ignore case. Numbers compare as numbers. Phone numbers
//! compare in POM's form: the filter's values are read by the phone rules and written as POM
//! keeps numbers (`(212) 555-0147` → `+12125550147`), and a contact's number in another spelling
//! is read the same way. Dates are `YYYY-MM-DD` (a time after the date is ignored); a contact
//! without a readable date never matches a date operator and is counted apart.

use serde_json::{Map, Value};

use crate::contacts::text_of;
use crate::model::{parse_date, parse_number, AttributeKind, Operator, PurgeRequest};
use crate::phone::PhoneRules;
use pom::client::rest::user_contact_id;

/// A validated filter.
#[derive(Debug, Clone)]
pub struct Filter {
    pub attribute: String,
    pub operator: Operator,
    pub values: Vec<String>,
    pub kind: AttributeKind,
    /// "Not equal to" on the direct-purge attribute: everything except the given values.
    pub direct: bool,
    /// How phone attributes' values are read and written.
    phone: PhoneRules,
}

/// How one contact fares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Match,
    Keep,
    /// A date operator on a contact whose date cannot be read: kept.
    UnreadableDate,
}

/// A phone number in POM's form, when the value is one.
fn pom_form(phone: &PhoneRules, value: &str) -> Option<String> {
    let number = phone.read(value).ok()?;
    Some(number.written(phone.format, phone.region))
}

/// A contact's date: `YYYY-MM-DD`, optionally followed by a time.
fn contact_date(value: &str) -> Option<(i32, u32, u32)> {
    let head = value.get(..10)?;
    match value.as_bytes().get(10) {
        None | Some(b' ' | b'T') => parse_date(head),
        _ => None,
    }
}

impl Filter {
    /// The filter of a request already checked with `model::validate_purge`. A phone number
    /// value is written in POM's form (one that is not a number stays as typed).
    pub fn new(
        request: &PurgeRequest,
        kind: AttributeKind,
        direct_attribute: &str,
        phone: &PhoneRules,
    ) -> Filter {
        let values: Vec<String> = request
            .values
            .iter()
            .map(|v| v.trim())
            .filter(|v| !v.is_empty())
            .map(|v| match kind {
                AttributeKind::Phone => pom_form(phone, v).unwrap_or_else(|| v.to_string()),
                _ => v.to_string(),
            })
            .collect();
        Filter {
            direct: request.operator == Operator::NotEquals
                && request
                    .attribute
                    .trim()
                    .eq_ignore_ascii_case(direct_attribute),
            attribute: request.attribute.trim().to_string(),
            operator: request.operator,
            values,
            kind,
            phone: phone.clone(),
        }
    }

    fn equal(&self, own: &str, wanted: &str) -> bool {
        match (self.kind, parse_number(own), parse_number(wanted)) {
            (AttributeKind::Number, Some(a), Some(b)) => a == b,
            (AttributeKind::Phone, _, _) => {
                own == wanted || pom_form(&self.phone, own).is_some_and(|own| own == wanted)
            }
            _ => own == wanted,
        }
    }

    /// The contact's value of the filter's attribute, as typed in POM.
    fn own_value(&self, contact: &Map<String, Value>) -> String {
        if self.attribute == "userContactId" {
            user_contact_id(contact).unwrap_or_default()
        } else {
            text_of(contact, &self.attribute)
        }
    }

    /// Whether `contact` is to be deleted.
    pub fn verdict(&self, contact: &Map<String, Value>) -> Verdict {
        let own = self.own_value(contact);
        let own = own.trim();
        let lower = own.to_lowercase();
        let matched = match self.operator {
            Operator::Equals => self.values.iter().any(|v| self.equal(own, v)),
            Operator::In => self.values.iter().any(|v| self.equal(own, v)),
            Operator::NotEquals => !self.values.iter().any(|v| self.equal(own, v)),
            Operator::Contains => self
                .values
                .iter()
                .any(|v| lower.contains(&v.to_lowercase())),
            Operator::StartsWith => self
                .values
                .iter()
                .any(|v| lower.starts_with(&v.to_lowercase())),
            Operator::IsEmpty => own.is_empty(),
            Operator::Before | Operator::After | Operator::Between => {
                let Some(date) = contact_date(own) else {
                    return Verdict::UnreadableDate;
                };
                let bound = |i: usize| self.values.get(i).and_then(|v| parse_date(v));
                match (self.operator, bound(0), bound(1)) {
                    (Operator::Before, Some(limit), _) => date < limit,
                    (Operator::After, Some(limit), _) => date > limit,
                    (Operator::Between, Some(from), Some(to)) => from <= date && date <= to,
                    _ => false,
                }
            }
        };
        if matched {
            Verdict::Match
        } else {
            Verdict::Keep
        }
    }

    /// The filter in words, saying what will be deleted from `list`.
    pub fn describe(&self, list: &str) -> String {
        let shown = |values: &[String]| {
            let mut text = values
                .iter()
                .take(5)
                .map(|v| format!("“{v}”"))
                .collect::<Vec<_>>()
                .join(", ");
            if values.len() > 5 {
                text.push_str(&format!(" and {} more", values.len() - 5));
            }
            text
        };
        if self.direct {
            return format!(
                "Direct purge: every contact in {list} will be deleted EXCEPT the {} whose {} is {}.",
                self.values.len(),
                self.attribute,
                shown(&self.values)
            );
        }
        let condition = match self.operator {
            Operator::IsEmpty => format!("{} is empty", self.attribute),
            Operator::Between => format!(
                "{} is between {} and {} (inclusive)",
                self.attribute,
                self.values.first().map_or("", String::as_str),
                self.values.get(1).map_or("", String::as_str)
            ),
            Operator::NotEquals => format!("{} is none of {}", self.attribute, shown(&self.values)),
            operator => format!(
                "{} {} {}",
                self.attribute,
                operator.label(),
                shown(&self.values)
            ),
        };
        format!("Contacts in {list} whose {condition} will be deleted.")
    }

    /// The filter alone (for the history), e.g. `EXPIRY_DATE before “2026-01-01”`.
    pub fn summary(&self) -> String {
        let values = self
            .values
            .iter()
            .map(|v| format!("“{v}”"))
            .collect::<Vec<_>>()
            .join(", ");
        format!("{} {} {}", self.attribute, self.operator.label(), values)
            .trim_end()
            .to_string()
    }
}

mod unmatched;

pub use unmatched::ValueHits;

#[cfg(test)]
mod tests;
