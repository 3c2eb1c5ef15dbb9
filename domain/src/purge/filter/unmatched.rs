//! Which values of an "is one of" filter matched no contact, noted while the list is read: a
//! mistyped id would otherwise vanish silently from the dry run's count.

use std::collections::HashSet;

use serde_json::{Map, Value};

use super::Filter;
use crate::model::Operator;

/// Unmatched values named in full; beyond this the dry run says "and N more".
pub const SHOWN: usize = 50;

/// The filter values (by position) that at least one contact had.
#[derive(Debug, Default)]
pub struct ValueHits {
    hit: HashSet<usize>,
}

impl ValueHits {
    /// Notes which values `contact` (a contact the filter matched) has. Only "is one of" says
    /// which values matched; other operators are left alone.
    pub fn note(&mut self, filter: &Filter, contact: &Map<String, Value>) {
        if filter.operator != Operator::In || self.hit.len() == filter.values.len() {
            return;
        }
        let own = filter.own_value(contact);
        let own = own.trim();
        for (index, value) in filter.values.iter().enumerate() {
            if !self.hit.contains(&index) && filter.equal(own, value) {
                self.hit.insert(index);
            }
        }
    }

    /// The values no contact had, in the order given (each once), at most `SHOWN` of them, and
    /// how many more there are. Empty for operators other than "is one of".
    pub fn unmatched(&self, filter: &Filter) -> (Vec<String>, i64) {
        if filter.operator != Operator::In {
            return (Vec::new(), 0);
        }
        let mut seen = HashSet::new();
        let missing: Vec<&String> = filter
            .values
            .iter()
            .enumerate()
            .filter(|(index, value)| !self.hit.contains(index) && seen.insert(value.as_str()))
            .map(|(_, value)| value)
            .collect();
        let more = missing.len().saturating_sub(SHOWN) as i64;
        (missing.into_iter().take(SHOWN).cloned().collect(), more)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{AttributeKind, PurgeRequest};
    use crate::phone::{PhoneRules, Region};

    fn filter(operator: Operator, values: &[String], kind: AttributeKind) -> Filter {
        let request = PurgeRequest {
            list_id: 1,
            attribute: "CUST_ID".into(),
            operator,
            values: values.to_vec(),
            reason: "test".into(),
        };
        let us = PhoneRules::new(Region::parse("US").unwrap());
        Filter::new(&request, kind, "userContactId", &us)
    }

    fn contact(value: &str) -> Map<String, Value> {
        [("CUST_ID".to_string(), Value::String(value.into()))]
            .into_iter()
            .collect()
    }

    fn strings(values: &[&str]) -> Vec<String> {
        values.iter().map(|v| v.to_string()).collect()
    }

    #[test]
    fn values_no_contact_had_are_named_once_in_the_order_given() {
        let f = filter(
            Operator::In,
            &strings(&["A1", "A2x", "A3", "A2x", "B9"]),
            AttributeKind::Text,
        );
        let mut hits = ValueHits::default();
        hits.note(&f, &contact("A1"));
        hits.note(&f, &contact(" A3 "));
        hits.note(&f, &contact("A1"));
        assert_eq!(hits.unmatched(&f), (strings(&["A2x", "B9"]), 0));
    }

    #[test]
    fn numbers_match_as_numbers() {
        let f = filter(Operator::In, &strings(&["7", "8.0"]), AttributeKind::Number);
        let mut hits = ValueHits::default();
        hits.note(&f, &contact("7.00"));
        hits.note(&f, &contact("8"));
        assert_eq!(hits.unmatched(&f), (Vec::new(), 0));
    }

    #[test]
    fn beyond_fifty_the_rest_is_counted() {
        let values: Vec<String> = (0..120).map(|n| format!("ID{n:03}")).collect();
        let f = filter(Operator::In, &values, AttributeKind::Text);
        let mut hits = ValueHits::default();
        hits.note(&f, &contact("ID000"));
        let (shown, more) = hits.unmatched(&f);
        assert_eq!(shown.len(), SHOWN);
        assert_eq!(shown[0], "ID001");
        assert_eq!(more, 119 - SHOWN as i64);
    }

    #[test]
    fn other_operators_name_no_values() {
        let f = filter(Operator::Equals, &strings(&["A1"]), AttributeKind::Text);
        let mut hits = ValueHits::default();
        hits.note(&f, &contact("B1"));
        assert_eq!(hits.unmatched(&f), (Vec::new(), 0));
    }
}
