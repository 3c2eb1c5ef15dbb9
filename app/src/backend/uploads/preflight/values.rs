//! One value of a mapped column, checked and written as POM takes it by its attribute's type:
//! phone numbers in E.164 form and e-mail addresses by the DNC rules (`dnc::parse`), dates,
//! numbers, booleans, and text trimmed. A refusal names the column and the value, with a stable
//! kind for the counts.

use super::dates::{normalise_date, DateProblem};
use super::numbers::normalise_number;
use super::{Attribute, DateFormat, NumberRules};
use crate::backend::dnc::parse::{check_phone, check_phone_into, valid_email, Problem};

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

/// Why a row is rejected.
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
    pub numbers: &'a NumberRules,
    pub dates: DateFormat,
}

/// The value (trimmed, not empty) as POM takes it, appended to `out`, or why it is refused.
pub(super) fn check(
    kind: Kind,
    value: &str,
    column: &str,
    rules: &Rules<'_>,
    out: &mut String,
) -> Result<(), Refusal> {
    match kind {
        Kind::Phone => check_phone_into(value, rules.numbers, out)
            .map_err(|problem| Refusal::problem(column, value, &problem))?,
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
    Ok(())
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
pub(super) fn is_data(value: &str, numbers: &NumberRules) -> bool {
    is_address(value, numbers)
        || normalise_number(value, &mut String::new())
        || super::dates::looks_like_date(value)
}

/// Whether a value is a phone number or e-mail address.
pub(super) fn is_address(value: &str, numbers: &NumberRules) -> bool {
    valid_email(value).is_ok() || check_phone(value, numbers).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(numbers: &NumberRules) -> Rules<'_> {
        Rules {
            numbers,
            dates: DateFormat::DayMonthYear,
        }
    }

    #[test]
    fn values_come_out_as_pom_takes_them() {
        let uk = NumberRules {
            default_country_code: Some("44".into()),
            ..NumberRules::default()
        };
        let rules = rules(&uk);
        let ok = |kind, value| {
            let mut out = String::from("kept ");
            check(kind, value, "C", &rules, &mut out).unwrap();
            out.strip_prefix("kept ").unwrap().to_string()
        };
        assert_eq!(ok(Kind::Phone, "07700 900123"), "+447700900123");
        assert_eq!(ok(Kind::Phone, "447700900123"), "+447700900123");
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
    fn refusals_name_the_column_and_the_value() {
        let numbers = NumberRules::default();
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
                "Col '+44 123': not a phone number: 5 digits (8 to 15 needed)".into(),
                "Col: not a phone number: too few digits (8 to 15 needed)".into()
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
        let numbers = NumberRules::default();
        assert!(is_data("12/31/2026", &numbers) && is_data("1,5", &numbers));
        assert!(!is_data("Mobile", &numbers) && is_address("a@b.co", &numbers));
    }
}
