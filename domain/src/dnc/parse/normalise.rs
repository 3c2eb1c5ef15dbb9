//! Checking one value: e-mail addresses (a maintained parser, `email_address`), phone numbers
//! (`backend::phone`: libphonenumber's rules for the default region, written in POM's form),
//! contact ids, the address dispatch (e-mail when it has an `@`, else phone number), and
//! `Problem`, why a value is refused, with a stable key and summary for the counts and a
//! detailed text for the row.

use std::fmt;

use email_address::{EmailAddress, Options};

use super::{PhoneRules, Target};
use crate::erasure::tombstone::erased_reason;
use crate::phone::{Phone, PhoneProblem};

/// RFC 5321's limit on a forward path.
const EMAIL_MAX_CHARS: usize = 254;
/// POM's `userContactId` column.
const CONTACT_ID_MAX_CHARS: usize = 255;

/// Why a value is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    Empty,
    Phone(PhoneProblem),
    Email,
    TooLong {
        length: usize,
        max: usize,
    },
    Control,
    /// The person was erased on request (the erasure's id).
    Erased(i64),
}

impl Problem {
    /// Groups the counts; stable across releases.
    pub fn key(&self) -> &'static str {
        match self {
            Problem::Empty => "empty",
            Problem::Phone(problem) => problem.key(),
            Problem::Email => "not_email",
            Problem::TooLong { .. } => "too_long",
            Problem::Control => "control_characters",
            Problem::Erased(_) => "erased",
        }
    }

    /// The text shown beside a count: the same for every value with this key.
    pub fn summary(&self) -> String {
        match self {
            Problem::Phone(problem) => problem.summary(),
            Problem::TooLong { max, .. } => format!("too long (more than {max} characters)"),
            Problem::Erased(_) => "erased on request (right to erasure): not sent".into(),
            other => other.to_string(),
        }
    }
}

/// The reason for one value, as in the sample and the reject file.
impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::Empty => write!(f, "empty"),
            Problem::Phone(problem) => write!(f, "{problem}"),
            Problem::Email => write!(f, "not an e-mail address"),
            Problem::TooLong { length, max } => {
                write!(f, "too long: {length} characters (at most {max})")
            }
            Problem::Control => write!(f, "control characters in the value"),
            Problem::Erased(id) => write!(f, "{}", erased_reason(*id)),
        }
    }
}

/// A value that passed: as it will be sent, and the phone number it was read as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    pub value: String,
    pub phone: Option<Phone>,
}

/// A trimmed, lower-cased e-mail address.
pub fn normalise_email(raw: &str) -> Result<String, String> {
    check_email(raw).map_err(|problem| problem.to_string())
}

/// A phone number (in POM's form) when the value has no `@`, else an e-mail address.
pub fn normalise_address(raw: &str, rules: &PhoneRules) -> Result<Checked, String> {
    check(Target::Address, rules, raw).map_err(|problem| problem.to_string())
}

/// A trimmed POM user contact id: not empty, at most 255 characters, no control characters.
pub fn normalise_contact_id(raw: &str) -> Result<String, String> {
    check_contact_id(raw).map_err(|problem| problem.to_string())
}

pub(super) fn check(target: Target, rules: &PhoneRules, raw: &str) -> Result<Checked, Problem> {
    let value = match target {
        Target::Address if raw.contains('@') => check_email(raw)?,
        Target::Address => {
            let phone = rules.read(raw).map_err(Problem::Phone)?;
            return Ok(Checked {
                value: phone.written(rules.format, rules.region),
                phone: Some(phone),
            });
        }
        Target::ContactId => check_contact_id(raw)?,
    };
    Ok(Checked { value, phone: None })
}

fn check_email(raw: &str) -> Result<String, Problem> {
    valid_email(raw).map(str::to_lowercase)
}

/// [`normalise_email`]'s checks with the reason as a [`Problem`], without the lower-casing: the
/// trimmed address. RFC 5322 by the `email_address` crate, with a domain of at least two labels
/// and neither a display name (`Jane <jane@…>`) nor an address literal (`jane@[10.0.0.1]`).
pub fn valid_email(raw: &str) -> Result<&str, Problem> {
    let value = raw.trim();
    if value.is_empty() {
        return Err(Problem::Empty);
    }
    let length = value.chars().count();
    if length > EMAIL_MAX_CHARS {
        return Err(Problem::TooLong {
            length,
            max: EMAIL_MAX_CHARS,
        });
    }
    let options = Options::default()
        .with_required_tld()
        .without_domain_literal()
        .without_display_text();
    EmailAddress::parse_with_options(value, options).map_err(|_| Problem::Email)?;
    Ok(value)
}

/// [`normalise_contact_id`] with the reason as a [`Problem`].
pub fn check_contact_id(raw: &str) -> Result<String, Problem> {
    let value = raw.trim();
    if value.is_empty() {
        return Err(Problem::Empty);
    }
    let length = value.chars().count();
    if length > CONTACT_ID_MAX_CHARS {
        return Err(Problem::TooLong {
            length,
            max: CONTACT_ID_MAX_CHARS,
        });
    }
    if value.chars().any(char::is_control) {
        return Err(Problem::Control);
    }
    Ok(value.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_checked_and_lower_cased() {
        assert_eq!(
            normalise_email("  Jane.Doe@Example.COM "),
            Ok("jane.doe@example.com".into())
        );
        assert_eq!(
            normalise_email("a+tag@sub.example.co.uk"),
            Ok("a+tag@sub.example.co.uk".into())
        );
        for bad in [
            "@example.com",
            "jane@",
            "jane@example",
            "jane@@example.com",
            "jane@exa@mple.com",
            "jane doe@example.com",
            "jane@example..com",
            "jane@.example.com",
            "jane@example.com.",
            "a@b.com;c@d.com",
            "Jane <jane@example.com>",
            // The hand-written rules took these; RFC 5322 does not.
            "jane..doe@example.com",
            ".jane@example.com",
            "jane@-example.com",
        ] {
            assert_eq!(
                normalise_email(bad),
                Err("not an e-mail address".into()),
                "{bad}"
            );
        }
        let long = format!("{}@example.com", "a".repeat(250));
        assert_eq!(
            normalise_email(&long),
            Err("too long: 262 characters (at most 254)".into())
        );
    }

    #[test]
    fn addresses_dispatch_on_the_at_sign() {
        let rules = PhoneRules::demo();
        let address = |raw| normalise_address(raw, &rules).map(|checked| checked.value);
        assert_eq!(address("X@Y.org"), Ok("x@y.org".into()));
        assert_eq!(address("+44 20 7946 0959"), Ok("+442079460959".into()));
        assert_eq!(address("020 7946 0959"), Ok("+442079460959".into()));
        assert_eq!(address("x@y"), Err("not an e-mail address".into()));
    }

    #[test]
    fn contact_ids_are_trimmed_and_bounded() {
        assert_eq!(normalise_contact_id("  C-00017 "), Ok("C-00017".into()));
        assert_eq!(
            normalise_contact_id("=HYPERLINK(1)"),
            Ok("=HYPERLINK(1)".into())
        );
        assert_eq!(normalise_contact_id("   "), Err("empty".into()));
        assert_eq!(
            normalise_contact_id("a\u{7}b"),
            Err("control characters in the value".into())
        );
        assert_eq!(
            normalise_contact_id(&"x".repeat(255)).map(|v| v.len()),
            Ok(255)
        );
        assert_eq!(
            normalise_contact_id(&"é".repeat(256)),
            Err("too long: 256 characters (at most 255)".into())
        );
    }

    #[test]
    fn summaries_are_the_same_for_every_value_of_a_key() {
        let us = PhoneRules::new(crate::phone::Region::parse("US").unwrap());
        let warning = |raw| us.read(raw).unwrap().warning().unwrap();
        let fictional = Problem::Phone(PhoneProblem::NotValid(warning("5551234567")));
        assert_eq!(fictional.to_string(), "not a valid US number");
        let british = Problem::Phone(PhoneProblem::NotValid(warning("+447700900123")));
        assert_eq!(british.to_string(), "not a valid GB number");
        assert_eq!(fictional.key(), british.key());
        assert_eq!(fictional.summary(), british.summary());
        let short = Problem::Phone(PhoneProblem::TooShort);
        assert_eq!(short.key(), "too_short");
        assert_eq!(short.summary(), short.to_string());
    }
}
