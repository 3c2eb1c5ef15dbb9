//! Checking one value: e-mail addresses, contact ids, the address dispatch (e-mail when it has an
//! `@`, else phone number), and `Problem`, why a value is refused, with a stable key and summary
//! for the counts and a detailed text for the row.

use std::fmt;

use super::phone::check_phone;
use super::{NumberRules, Target};

/// RFC 5321's limit on a forward path.
const EMAIL_MAX_CHARS: usize = 254;
/// POM's `userContactId` column.
const CONTACT_ID_MAX_CHARS: usize = 255;
/// Characters that only appear in an "address" when several are pasted into one cell or it is a
/// display form like `Name <a@b.c>`.
const EMAIL_FORBIDDEN: &[char] = &[',', ';', '<', '>', '(', ')', '[', ']', '\\', '"'];

/// Why a value is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    Empty,
    NoDigits,
    Digits {
        count: usize,
        min: usize,
        max: usize,
    },
    Letters,
    Plus,
    Character(char),
    CountryCode,
    NoCountryCode,
    Scientific,
    Email,
    TooLong {
        length: usize,
        max: usize,
    },
    Control,
}

impl Problem {
    /// Groups the counts; stable across releases.
    pub fn key(&self) -> &'static str {
        match self {
            Problem::Empty => "empty",
            Problem::NoDigits => "no_digits",
            Problem::Digits { count, min, .. } if count < min => "too_few_digits",
            Problem::Digits { .. } => "too_many_digits",
            Problem::Letters => "letters",
            Problem::Plus => "misplaced_plus",
            Problem::Character(_) => "bad_character",
            Problem::CountryCode => "bad_country_code",
            Problem::NoCountryCode => "no_country_code",
            Problem::Scientific => "scientific_notation",
            Problem::Email => "not_email",
            Problem::TooLong { .. } => "too_long",
            Problem::Control => "control_characters",
        }
    }

    /// The text shown beside a count: the same for every value with this key.
    pub fn summary(&self) -> String {
        match self {
            Problem::Digits { count, min, max } if count < min => {
                format!("not a phone number: too few digits ({min} to {max} needed)")
            }
            Problem::Digits { min, max, .. } => {
                format!("not a phone number: too many digits ({min} to {max} needed)")
            }
            Problem::Character(_) => "not a phone number: characters other than digits".into(),
            Problem::TooLong { max, .. } => format!("too long (more than {max} characters)"),
            other => other.to_string(),
        }
    }
}

/// The reason for one value, as in the sample and the reject file.
impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::Empty => write!(f, "empty"),
            Problem::NoDigits => write!(f, "not a phone number: no digits"),
            Problem::Digits { count, min, max } => {
                write!(
                    f,
                    "not a phone number: {count} digits ({min} to {max} needed)"
                )
            }
            Problem::Letters => write!(f, "letters in a phone number"),
            Problem::Plus => write!(f, "not a phone number: '+' belongs only at the start"),
            Problem::Character(c) => write!(
                f,
                "not a phone number: unexpected character '{}'",
                c.escape_default()
            ),
            Problem::CountryCode => {
                write!(f, "not a phone number: a country code cannot start with 0")
            }
            Problem::NoCountryCode => write!(
                f,
                "national number (starts with 0) and no default country code is set"
            ),
            Problem::Scientific => write!(
                f,
                "a number in scientific notation (digits may be lost): format the column as text"
            ),
            Problem::Email => write!(f, "not an e-mail address"),
            Problem::TooLong { length, max } => {
                write!(f, "too long: {length} characters (at most {max})")
            }
            Problem::Control => write!(f, "control characters in the value"),
        }
    }
}

/// A trimmed, lower-cased e-mail address: one `@`, a local part, a domain with a dot and no
/// empty labels, no spaces.
pub fn normalise_email(raw: &str) -> Result<String, String> {
    check_email(raw).map_err(|problem| problem.to_string())
}

/// A phone number when the value has no `@`, else an e-mail address.
pub fn normalise_address(raw: &str, rules: &NumberRules) -> Result<String, String> {
    check(Target::Address, rules, raw).map_err(|problem| problem.to_string())
}

/// A trimmed POM user contact id: not empty, at most 255 characters, no control characters.
pub fn normalise_contact_id(raw: &str) -> Result<String, String> {
    check_contact_id(raw).map_err(|problem| problem.to_string())
}

pub(super) fn check(target: Target, rules: &NumberRules, raw: &str) -> Result<String, Problem> {
    match target {
        Target::Address if raw.contains('@') => check_email(raw),
        Target::Address => check_phone(raw, rules),
        Target::ContactId => check_contact_id(raw),
    }
}

fn check_email(raw: &str) -> Result<String, Problem> {
    valid_email(raw).map(str::to_lowercase)
}

/// [`normalise_email`]'s checks with the reason as a [`Problem`], without the lower-casing: the
/// trimmed address, which has exactly one `@`.
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
    let (local, domain) = value.split_once('@').ok_or(Problem::Email)?;
    let odd = |c: char| c.is_whitespace() || c.is_control() || EMAIL_FORBIDDEN.contains(&c);
    let labels_ok = domain.contains('.') && domain.split('.').all(|label| !label.is_empty());
    if local.is_empty() || domain.contains('@') || !labels_ok || value.chars().any(odd) {
        return Err(Problem::Email);
    }
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
        let rules = NumberRules::default();
        assert_eq!(normalise_address("X@Y.org", &rules), Ok("x@y.org".into()));
        assert_eq!(
            normalise_address("+44 7700 900123", &rules),
            Ok("+447700900123".into())
        );
        assert_eq!(
            normalise_address("x@y", &rules),
            Err("not an e-mail address".into())
        );
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
        let short = Problem::Digits {
            count: 5,
            min: 8,
            max: 15,
        };
        let shorter = Problem::Digits {
            count: 3,
            min: 8,
            max: 15,
        };
        assert_eq!(short.key(), shorter.key());
        assert_eq!(short.summary(), shorter.summary());
        assert_eq!(
            short.to_string(),
            "not a phone number: 5 digits (8 to 15 needed)"
        );
        assert_eq!(
            Problem::Digits {
                count: 16,
                min: 8,
                max: 15
            }
            .key(),
            "too_many_digits"
        );
    }
}
