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
mod tests;
