//! What one import row is: the contact to add or update, or the `ImportJobStatus` counter that
//! explains why it was left out (runtime error, validation, duplicate, reject pattern, DNC match,
//! phone format). Pure apart from reading the attribute catalogue and the DNC lists.

use std::collections::{BTreeMap, BTreeSet};

use super::imports::{
    ImportRow, DNC_MATCH, DUPLICATE_IGNORED, PHONE_FORMAT, REJECT_PATTERN, RUNTIME_ERROR,
    VALIDATION_FAILED,
};
use super::world::{FileLayout, World};

/// The outcome of one row.
#[derive(Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Left out; the counter that says why.
    Counted(usize),
    Import {
        id: String,
        attributes: BTreeMap<String, String>,
    },
}

/// Classifies `row` (columns → attributes) for a list of `organization`.
pub fn classify(
    world: &World,
    organization: &str,
    layout: &FileLayout,
    columns: &[String],
    row: &ImportRow,
    seen: &BTreeSet<String>,
) -> Verdict {
    let fields = match &row.fields {
        Ok(fields) if fields.len() == columns.len() => fields,
        _ => return Verdict::Counted(RUNTIME_ERROR),
    };
    let mut id = None;
    let mut attributes = BTreeMap::new();
    for (column, value) in columns.iter().zip(fields) {
        let value = value.trim();
        if column == "userContactId" {
            id = Some(value.to_string()).filter(|v| !v.is_empty());
            continue;
        }
        if value.is_empty() {
            continue;
        }
        let Some(definition) = world.attribute(column) else {
            return Verdict::Counted(VALIDATION_FAILED);
        };
        let value = match definition.kind.as_str() {
            "PHONE" => match normalised_phone(value) {
                Some(phone) => phone,
                None => return Verdict::Counted(PHONE_FORMAT),
            },
            kind if !valid_value(kind, value) => return Verdict::Counted(VALIDATION_FAILED),
            _ => value.to_string(),
        };
        attributes.insert(column.clone(), value);
    }
    let Some(id) = id else {
        return Verdict::Counted(VALIDATION_FAILED);
    };
    if seen.contains(&id) {
        return Verdict::Counted(DUPLICATE_IGNORED);
    }
    if let Some(counter) = screen(world, organization, layout, &attributes) {
        return Verdict::Counted(counter);
    }
    Verdict::Import { id, attributes }
}

/// The counter of a contact's reject-pattern or DNC match, if it has one.
fn screen(
    world: &World,
    organization: &str,
    layout: &FileLayout,
    attributes: &BTreeMap<String, String>,
) -> Option<usize> {
    let phones = ["phoneNumber1", "phoneNumber2"].map(|a| attributes.get(a));
    if phones.iter().flatten().any(|p| {
        layout
            .reject_patterns
            .iter()
            .any(|pattern| glob(pattern, p))
    }) {
        return Some(REJECT_PATTERN);
    }
    let mut addresses = phones
        .into_iter()
        .chain([attributes.get("email")])
        .flatten();
    (layout.check_dnc && addresses.any(|a| world.suppressed(organization, a))).then_some(DNC_MATCH)
}

/// A phone number without spaces, dashes, dots or brackets: optional `+`, then 6–15 digits.
pub fn normalised_phone(value: &str) -> Option<String> {
    let kept: String = value
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '.' | '(' | ')'))
        .collect();
    let digits = kept.strip_prefix('+').unwrap_or(&kept);
    ((6..=15).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit())).then_some(kept)
}

/// Whether `value` is valid for an attribute type (`STRING` takes anything).
pub(crate) fn valid_value(kind: &str, value: &str) -> bool {
    match kind {
        "NUMBER" => value.parse::<f64>().is_ok_and(f64::is_finite),
        "DATE" => {
            let iso = time::macros::format_description!("[year]-[month]-[day]");
            let pom = time::macros::format_description!("[year]/[month]/[day]");
            time::Date::parse(value, iso).is_ok() || time::Date::parse(value, pom).is_ok()
        }
        "BOOLEAN" => ["true", "false", "1", "0", "yes", "no"]
            .iter()
            .any(|b| b.eq_ignore_ascii_case(value)),
        "EMAIL" => super::rules::valid_dnc_address(value) && value.contains('@'),
        _ => true,
    }
}

/// Matches `text` against a pattern where `*` is any run of characters and `?` one character.
pub fn glob(pattern: &str, text: &str) -> bool {
    let (p, t): (Vec<char>, Vec<char>) = (pattern.chars().collect(), text.chars().collect());
    let (mut pi, mut ti, mut star, mut mark) = (0, 0, None, 0);
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo;

    fn row(fields: &[&str]) -> ImportRow {
        ImportRow {
            fields: Ok(fields.iter().map(|f| f.to_string()).collect()),
        }
    }

    #[test]
    fn each_kind_of_bad_row_has_its_counter() {
        let world = demo::world(1, 0);
        let dnc = world
            .dnc_lists
            .values()
            .next()
            .unwrap()
            .addresses
            .iter()
            .next()
            .unwrap()
            .clone();
        let columns: Vec<String> = ["userContactId", "phoneNumber1", "BALANCE", "EXPIRY_DATE"]
            .map(String::from)
            .to_vec();
        let layout = FileLayout {
            reject_patterns: vec!["+44900*".into()],
            ..FileLayout::default()
        };
        let seen: BTreeSet<String> = ["taken".to_string()].into();
        let verdict =
            |fields: &[&str]| classify(&world, "Sales", &layout, &columns, &row(fields), &seen);
        assert_eq!(
            verdict(&["a", "+44 7700 900123", "1.5", "2027-01-31"]),
            Verdict::Import {
                id: "a".into(),
                attributes: [
                    ("phoneNumber1".to_string(), "+447700900123".to_string()),
                    ("BALANCE".into(), "1.5".into()),
                    ("EXPIRY_DATE".into(), "2027-01-31".into()),
                ]
                .into(),
            }
        );
        assert_eq!(
            verdict(&["a", "+447700900123"]),
            Verdict::Counted(RUNTIME_ERROR)
        );
        assert_eq!(
            verdict(&["", "+447700900123", "1", ""]),
            Verdict::Counted(VALIDATION_FAILED)
        );
        assert_eq!(
            verdict(&["a", "+447700900123", "lots", ""]),
            Verdict::Counted(VALIDATION_FAILED)
        );
        assert_eq!(
            verdict(&["a", "+447700900123", "", "31/01/2027"]),
            Verdict::Counted(VALIDATION_FAILED)
        );
        assert_eq!(
            verdict(&["a", "call me", "", ""]),
            Verdict::Counted(PHONE_FORMAT)
        );
        assert_eq!(
            verdict(&["taken", "+447700900123", "", ""]),
            Verdict::Counted(DUPLICATE_IGNORED)
        );
        assert_eq!(
            verdict(&["a", "+449001234567", "", ""]),
            Verdict::Counted(REJECT_PATTERN)
        );
        assert_eq!(verdict(&["a", &dnc, "", ""]), Verdict::Counted(DNC_MATCH));
        let unknown: Vec<String> = ["userContactId", "SHOE_SIZE"].map(String::from).to_vec();
        assert_eq!(
            classify(&world, "Sales", &layout, &unknown, &row(&["a", "9"]), &seen),
            Verdict::Counted(VALIDATION_FAILED)
        );
    }

    #[test]
    fn globs_match_prefixes_and_single_characters() {
        assert!(glob("+44900*", "+449001234"));
        assert!(glob("0?00*", "0900123"));
        assert!(!glob("0900*", "+44900"));
        assert!(glob("*", ""));
    }
}
