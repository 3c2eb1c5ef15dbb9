//! How a stored number is written, for the format audit (`format_audit`): its shape (E.164 with
//! `+`, the same digits without it, or the national form, and its country code), and the verdict
//! on a registry entry against the shapes the organization's contacts use, with the form today's
//! rules would give it. An entry matches when a contact's number has its shape, or when it is in
//! a form the contacts use and valid for its country (another country's number, rightly written).
//! Pure functions of the text and the phone rules.

use std::fmt;

use crate::phone::{PhoneRules, PomFormat};

/// How one number is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Shape {
    pub form: PomFormat,
    /// The country calling code it is read with.
    pub code: u16,
}

impl fmt::Display for Shape {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.form {
            PomFormat::E164 => write!(f, "E.164 +{}…", self.code),
            PomFormat::Digits => write!(f, "digits {}…", self.code),
            PomFormat::National => write!(f, "national (+{})", self.code),
        }
    }
}

/// The shape of a stored number, or `None` for an e-mail address or a value that is no possible
/// phone number. Digits without `+` are the national form when today's rules read them so,
/// else the international digits; when both read, the valid reading wins, then the national.
pub fn shape(value: &str, rules: &PhoneRules) -> Option<Shape> {
    read_shape(value, rules).map(|(shape, _)| shape)
}

/// [`shape`], and whether the number is valid for its country.
fn read_shape(value: &str, rules: &PhoneRules) -> Option<(Shape, bool)> {
    let value = value.trim();
    if value.contains('@') {
        return None;
    }
    if value.starts_with('+') {
        let phone = rules.read(value).ok()?;
        let shape = Shape {
            form: PomFormat::E164,
            code: phone.code(),
        };
        return Some((shape, phone.is_valid()));
    }
    let digits: String = value.chars().filter(char::is_ascii_digit).collect();
    let national = rules
        .read(&digits)
        .ok()
        .filter(|p| p.national_digits() == digits)
        .map(|p| (p.is_valid(), PomFormat::National, p.code()));
    let international = rules
        .read(&format!("+{digits}"))
        .ok()
        .filter(|p| p.written(PomFormat::Digits, rules.region) == digits)
        .map(|p| (p.is_valid(), PomFormat::Digits, p.code()));
    let best = match (national, international) {
        (Some(n), Some(i)) if i.0 && !n.0 => i,
        (Some(n), _) => n,
        (None, Some(i)) => i,
        (None, None) => return None,
    };
    let shape = Shape {
        form: best.1,
        code: best.2,
    };
    Some((shape, best.0))
}

/// What is wrong with one registry entry, and the form it should have.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    pub problem: String,
    /// The entry as today's rules write it, when that is a form the contacts use.
    pub suggested: Option<String>,
}

/// The shapes in words: `E.164 +1…, national (+44)`.
pub fn describe(shapes: &[Shape]) -> String {
    shapes
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Judges `address` against `expected`, the shapes the contacts use; `None` when it matches one
/// (or is an e-mail address).
pub fn judge(address: &str, expected: &[Shape], rules: &PhoneRules) -> Option<Verdict> {
    if address.contains('@') {
        return None;
    }
    let own = read_shape(address, rules);
    let matches = |(own, valid): (Shape, bool)| {
        expected.contains(&own) || (valid && expected.iter().any(|s| s.form == own.form))
    };
    if own.is_some_and(matches) {
        return None;
    }
    let problem = match own.map(|(shape, _)| shape) {
        Some(own) => format!(
            "written {own}; the contacts' numbers are {}",
            describe(expected)
        ),
        None => "not a possible phone number by today's rules".to_string(),
    };
    // Today's rules on the entry as it is, then on its digits as a national number (what the
    // hand-written rules should have done with `5551234567`).
    let digits: String = address.chars().filter(char::is_ascii_digit).collect();
    let suggested = [address.trim(), digits.as_str()]
        .into_iter()
        .filter_map(|value| rules.read(value).ok())
        .map(|phone| phone.written(rules.format, rules.region))
        .find(|form| form != address && read_shape(form, rules).is_some_and(matches));
    Some(Verdict { problem, suggested })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::phone::Region;

    fn rules(region: &str, format: PomFormat) -> PhoneRules {
        PhoneRules {
            format,
            ..PhoneRules::new(Region::parse(region).unwrap())
        }
    }

    fn of(form: PomFormat, code: u16) -> Shape {
        Shape { form, code }
    }

    #[test]
    fn shapes_tell_the_forms_apart() {
        let us = rules("US", PomFormat::E164);
        assert_eq!(shape("+12125550147", &us), Some(of(PomFormat::E164, 1)));
        assert_eq!(shape("12125550147", &us), Some(of(PomFormat::Digits, 1)));
        assert_eq!(shape("2125550147", &us), Some(of(PomFormat::National, 1)));
        assert_eq!(shape("+5551234567", &us), Some(of(PomFormat::E164, 55)));
        let gb = rules("GB", PomFormat::E164);
        assert_eq!(shape("02079460959", &gb), Some(of(PomFormat::National, 44)));
        assert_eq!(shape("442079460959", &gb), Some(of(PomFormat::Digits, 44)));
        assert_eq!(shape("jo@example.com", &gb), None);
        assert_eq!(shape("12", &gb), None);
    }

    #[test]
    fn the_hand_written_rules_brazilian_entries_are_found_with_their_right_form() {
        let us = rules("US", PomFormat::E164);
        let contacts = [of(PomFormat::E164, 1)];
        let verdict = judge("+5551234567", &contacts, &us).unwrap();
        assert_eq!(
            verdict.problem,
            "written E.164 +55…; the contacts' numbers are E.164 +1…"
        );
        assert_eq!(verdict.suggested.as_deref(), Some("+15551234567"));
        assert_eq!(judge("+12125550147", &contacts, &us), None);
        assert_eq!(judge("jo@example.com", &contacts, &us), None);
        // Another country's valid number in the contacts' form is rightly written.
        assert_eq!(judge("+442079460959", &contacts, &us), None);
        assert!(judge("442079460959", &contacts, &us).is_some());
    }

    #[test]
    fn an_entry_in_another_form_than_the_contacts_is_listed() {
        let gb = rules("GB", PomFormat::National);
        let contacts = [of(PomFormat::National, 44)];
        let verdict = judge("+442079460959", &contacts, &gb).unwrap();
        assert_eq!(verdict.suggested.as_deref(), Some("02079460959"));
        assert_eq!(judge("02079460959", &contacts, &gb), None);
        let unreadable = judge("+0000", &contacts, &gb).unwrap();
        assert_eq!(
            unreadable.problem,
            "not a possible phone number by today's rules"
        );
    }
}
