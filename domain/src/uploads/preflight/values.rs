//! One value of a mapped column, checked and written as POM takes it by its attribute's type:
//! phone numbers by `backend::phone` in POM's form (a possible but not valid one flagged or
//! refused, `OCM_UPLOAD_INVALID_PHONES`), e-mail addresses by the DNC rule (`dnc::parse`), dates,
//! numbers, booleans, and text trimmed. A refusal or flag names the column and the value, with a
//! stable kind for the counts.

use super::dates::{normalise_date, DateProblem};
use super::numbers::normalise_number;
use super::{Attribute, DateFormat, PhoneRules};
use crate::dnc::parse::{valid_email, Problem};
use crate::phone::{InvalidPhones, PhoneProblem};

/// How a column's values are checked. The order is the order of the row rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Kind {
    Phone,
    Email,
    Date,
    Number,
    Boolean,
    Text,
}

impl Kind {
    pub(super) fn of(attribute: &Attribute) -> Kind {
        match attribute.pom_type.trim().to_ascii_uppercase().as_str() {
            "PHONE" => Kind::Phone,
            "EMAIL" => Kind::Email,
            "DATE" => Kind::Date,
            "NUMBER" => Kind::Number,
            "BOOLEAN" => Kind::Boolean,
            _ => Kind::Text,
        }
    }

    /// A phone number or e-mail address: a way to reach the contact.
    pub(super) fn reaches(self) -> bool {
        matches!(self, Kind::Phone | Kind::Email)
    }
}

/// Why a row is rejected (or flagged).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Refusal {
    /// For the row: names the column and the value.
    pub detail: String,
    /// For the counts: the same text for every value with this kind of problem in this column.
    pub kind: String,
}

impl Refusal {
    pub(super) fn new(detail: String, kind: String) -> Refusal {
        Refusal { detail, kind }
    }

    fn of(column: &str, value: &str, problem: &str, summary: &str) -> Refusal {
        Refusal::new(
            format!("{column} '{value}': {problem}"),
            format!("{column}: {summary}"),
        )
    }

    pub(super) fn problem(column: &str, value: &str, problem: &Problem) -> Refusal {
        Refusal::of(column, value, &problem.to_string(), &problem.summary())
    }
}

/// What the checks need besides the value.
pub(super) struct Rules<'a> {
    pub numbers: &'a PhoneRules,
    pub dates: DateFormat,
}

/// The value (trimmed, not empty) as POM takes it, appended to `out`, with a flag when it is
/// sent but deserves a look; or why it is refused.
pub(super) fn check(
    kind: Kind,
    value: &str,
    column: &str,
    rules: &Rules<'_>,
    out: &mut String,
) -> Result<Option<Refusal>, Refusal> {
    let phone_problem = |problem| Refusal::problem(column, value, &Problem::Phone(problem));
    match kind {
        Kind::Phone => match rules
            .numbers
            .write_into(value, out)
            .map_err(phone_problem)?
        {
            None => {}
            Some(warning) if rules.numbers.invalid_uploads == InvalidPhones::Flag => {
                let flag = PhoneProblem::NotValid(warning);
                return Ok(Some(Refusal::of(
                    column,
                    value,
                    &flag.to_string(),
                    &flag.summary(),
                )));
            }
            Some(warning) => return Err(phone_problem(PhoneProblem::NotValid(warning))),
        },
        Kind::Email => {
            let address =
                valid_email(value).map_err(|problem| Refusal::problem(column, value, &problem))?;
            // Only the domain is lower-cased: the part before `@` is the mailbox owner's.
            let (local, domain) = address.split_once('@').unwrap_or((address, ""));
            out.push_str(local);
            out.push('@');
            out.extend(domain.chars().flat_map(char::to_lowercase));
        }
        Kind::Date => normalise_date(value, rules.dates, out).map_err(|problem| {
            let label = rules.dates.label();
            match problem {
                DateProblem::Form => {
                    let text = format!("not a date in the form {label}");
                    Refusal::of(column, value, &text, &text)
                }
                DateProblem::NoSuchDate => Refusal::of(
                    column,
                    value,
                    &format!("no such date (read as {label})"),
                    "no such date",
                ),
            }
        })?,
        Kind::Number => {
            if !normalise_number(value, out) {
                return Err(Refusal::of(column, value, "not a number", "not a number"));
            }
        }
        Kind::Boolean => match boolean(value) {
            Some(text) => out.push_str(text),
            None => {
                return Err(Refusal::of(
                    column,
                    value,
                    "not true or false (true/false, yes/no, y/n or 1/0)",
                    "not true or false",
                ))
            }
        },
        Kind::Text => out.push_str(value),
    }
    Ok(None)
}

fn boolean(value: &str) -> Option<&'static str> {
    let any = |words: [&str; 4]| words.iter().any(|word| value.eq_ignore_ascii_case(word));
    if any(["true", "yes", "y", "1"]) {
        Some("true")
    } else if any(["false", "no", "n", "0"]) {
        Some("false")
    } else {
        None
    }
}

/// Whether a value is data rather than a name: a phone number, e-mail address, number or date.
pub(super) fn is_data(value: &str, numbers: &PhoneRules) -> bool {
    is_address(value, numbers)
        || normalise_number(value, &mut String::new())
        || super::dates::looks_like_date(value)
}

/// Whether a value is a phone number or e-mail address.
pub(super) fn is_address(value: &str, numbers: &PhoneRules) -> bool {
    valid_email(value).is_ok() || numbers.read(value).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(numbers: &PhoneRules) -> Rules<'_> {
        Rules {
            numbers,
            dates: DateFormat::DayMonthYear,
        }
    }

    #[test]
    fn values_come_out_as_pom_takes_them() {
        let uk = PhoneRules::demo();
        let rules = rules(&uk);
        let ok = |kind, value| {
            let mut out = String::from("kept ");
            check(kind, value, "C", &rules, &mut out).unwrap();
            out.strip_prefix("kept ").unwrap().to_string()
        };
        assert_eq!(ok(Kind::Phone, "020 7946 0959"), "+442079460959");
        assert_eq!(ok(Kind::Phone, "442079460959"), "+442079460959");
        assert_eq!(
            ok(Kind::Email, "Jane.Doe@Example.COM"),
            "Jane.Doe@example.com"
        );
        assert_eq!(ok(Kind::Date, "31.03.2026"), "2026-03-31");
        assert_eq!(ok(Kind::Number, "1,234.50"), "1234.50");
        assert_eq!(ok(Kind::Boolean, "Yes"), "true");
        assert_eq!(ok(Kind::Boolean, "0"), "false");
        assert_eq!(ok(Kind::Text, "as is"), "as is");
    }

    #[test]
    fn numbers_possible_but_not_valid_are_flagged_or_refused_by_the_setting() {
        let mut us = PhoneRules::new(crate::phone::Region::parse("US").unwrap());
        let mut out = String::new();
        let flag = check(
            Kind::Phone,
            "(555) 123-4567",
            "Mobile",
            &rules(&us),
            &mut out,
        );
        assert_eq!(out, "+15551234567");
        assert_eq!(
            flag,
            Ok(Some(Refusal::new(
                "Mobile '(555) 123-4567': not a valid US number".into(),
                "Mobile: not a valid number for its country".into()
            )))
        );
        us.invalid_uploads = InvalidPhones::Refuse;
        let refused = check(
            Kind::Phone,
            "(555) 123-4567",
            "Mobile",
            &rules(&us),
            &mut out,
        );
        assert_eq!(
            refused.unwrap_err().detail,
            "Mobile '(555) 123-4567': not a valid US number"
        );
        let valid = check(
            Kind::Phone,
            "(212) 555-0147",
            "Mobile",
            &rules(&us),
            &mut out,
        );
        assert_eq!(valid, Ok(None));
    }

    #[test]
    fn refusals_name_the_column_and_the_value() {
        let numbers = PhoneRules::demo();
        let rules = rules(&numbers);
        let refused =
            |kind, value| check(kind, value, "Col", &rules, &mut String::new()).unwrap_err();
        assert_eq!(
            refused(Kind::Phone, "call me"),
            Refusal::new(
                "Col 'call me': letters in a phone number".into(),
                "Col: letters in a phone number".into()
            )
        );
        assert_eq!(
            refused(Kind::Phone, "+44 123"),
            Refusal::new(
                "Col '+44 123': not a phone number: too short".into(),
                "Col: not a phone number: too short".into()
            )
        );
        assert_eq!(
            refused(Kind::Email, "a@b").kind,
            "Col: not an e-mail address"
        );
        assert_eq!(
            refused(Kind::Date, "2026/31/03").detail,
            "Col '2026/31/03': no such date (read as DD/MM/YYYY)"
        );
        assert_eq!(
            refused(Kind::Date, "March").detail,
            "Col 'March': not a date in the form DD/MM/YYYY"
        );
        assert_eq!(
            refused(Kind::Number, "12abc").detail,
            "Col '12abc': not a number"
        );
        assert_eq!(
            refused(Kind::Boolean, "maybe").kind,
            "Col: not true or false"
        );
    }

    #[test]
    fn types_are_read_from_pom_s_names() {
        let kind = |pom_type: &str| {
            Kind::of(&Attribute {
                name: "x".into(),
                pom_type: pom_type.into(),
            })
        };
        assert_eq!(kind("PHONE"), Kind::Phone);
        assert_eq!(kind("email"), Kind::Email);
        assert_eq!(kind("DATE"), Kind::Date);
        assert_eq!(kind("NUMBER"), Kind::Number);
        assert_eq!(kind("BOOLEAN"), Kind::Boolean);
        assert_eq!(kind("STRING"), Kind::Text);
        assert_eq!(kind("TIME"), Kind::Text);
        let numbers = PhoneRules::demo();
        assert!(is_data("12/31/2026", &numbers) && is_data("1,5", &numbers));
        assert!(!is_data("Mobile", &numbers) && is_address("a@b.co", &numbers));
    }
}
