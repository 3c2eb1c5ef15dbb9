//! The purge form's rules, shared by the browser (inline validation) and the server (the same
//! checks before any POM call): dates, numbers, operator arity and kinds, a reason.

use super::purge::{AttributeKind, FieldProblem, Operator, PurgeRequest};

/// Parses `YYYY-MM-DD` into (year, month, day), checking the calendar.
pub fn parse_date(value: &str) -> Option<(i32, u32, u32)> {
    let value = value.trim();
    let bytes = value.as_bytes();
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return None;
    }
    let year: i32 = value[0..4].parse().ok()?;
    let month: u32 = value[5..7].parse().ok()?;
    let day: u32 = value[8..10].parse().ok()?;
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    (1..=days).contains(&day).then_some((year, month, day))
}

/// A number as POM attributes hold them (`1234.50`, `-3`).
pub fn parse_number(value: &str) -> Option<f64> {
    value.trim().parse::<f64>().ok().filter(|n| n.is_finite())
}

/// A value named for a message: "“x”" when it is the only one, "Value 2 (“x”)" among several.
fn which_value(count: usize, index: usize, value: &str) -> String {
    if count == 1 {
        format!("“{value}”")
    } else {
        format!("Value {} (“{value}”)", index + 1)
    }
}

/// Checks a request against the attribute's kind; every problem, each naming its field.
pub fn validate(request: &PurgeRequest, kind: Option<AttributeKind>) -> Vec<FieldProblem> {
    let mut problems = Vec::new();
    let mut problem =
        |field: &'static str, message: String| problems.push(FieldProblem { field, message });
    if request.list_id <= 0 {
        problem("list", "Choose a contact list.".into());
    }
    let kind = match (request.attribute.trim().is_empty(), kind) {
        (true, _) => {
            problem("attribute", "Choose an attribute.".into());
            None
        }
        (false, None) => {
            problem(
                "attribute",
                format!("POM has no attribute named “{}”.", request.attribute),
            );
            None
        }
        (false, Some(kind)) => Some(kind),
    };
    let values: Vec<&str> = request
        .values
        .iter()
        .map(|v| v.trim())
        .filter(|v| !v.is_empty())
        .collect();
    let (least, most) = request.operator.arity();
    if values.len() < least {
        problem(
            "values",
            match least {
                2 => "Give a start date and an end date.".into(),
                _ => "Give a value to compare with.".into(),
            },
        );
    } else if values.len() > most {
        problem(
            "values",
            match most {
                0 => "“is empty” takes no value.".into(),
                1 => format!(
                    "“{}” takes one value; use “is one of” for several.",
                    request.operator.label()
                ),
                2 => "Give exactly two dates.".into(),
                _ => format!(
                    "At most {} values; {} were given.",
                    crate::words::thousands(most as i64),
                    crate::words::thousands(values.len() as i64)
                ),
            },
        );
    }
    if request.operator.needs_date() && kind.is_some_and(|k| k != AttributeKind::Date) {
        problem(
            "operator",
            format!(
                "“{}” only works on date attributes.",
                request.operator.label()
            ),
        );
    }
    match kind {
        Some(AttributeKind::Date)
            if request.operator != Operator::Contains
                && request.operator != Operator::StartsWith =>
        {
            for (index, value) in values.iter().enumerate() {
                if parse_date(value).is_none() {
                    problem(
                        "values",
                        format!(
                            "{} is not a date; write it as YYYY-MM-DD, e.g. 2026-12-31.",
                            which_value(values.len(), index, value)
                        ),
                    );
                }
            }
            if let [from, to] = values[..] {
                if let (Some(a), Some(b)) = (parse_date(from), parse_date(to)) {
                    if request.operator == Operator::Between && a > b {
                        problem("values", "The start date is after the end date.".into());
                    }
                }
            }
        }
        Some(AttributeKind::Number)
            if !matches!(request.operator, Operator::Contains | Operator::StartsWith) =>
        {
            for (index, value) in values.iter().enumerate() {
                if parse_number(value).is_none() {
                    problem(
                        "values",
                        format!(
                            "{} is not a number.",
                            which_value(values.len(), index, value)
                        ),
                    );
                }
            }
        }
        _ => {}
    }
    if request.reason.trim().chars().count() < 5 {
        problem(
            "reason",
            "Say why these contacts are purged (at least 5 characters); it is kept in the history."
                .into(),
        );
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(operator: Operator, values: &[&str]) -> PurgeRequest {
        PurgeRequest {
            list_id: 1,
            attribute: "EXPIRY_DATE".into(),
            operator,
            values: values.iter().map(|v| v.to_string()).collect(),
            reason: "expired offers".into(),
        }
    }

    #[test]
    fn a_pasted_list_longer_than_the_bound_is_refused_with_its_size() {
        let many: Vec<String> = (0..=crate::model::purge::MAX_VALUES)
            .map(|i| format!("C{i}"))
            .collect();
        let values: Vec<&str> = many.iter().map(String::as_str).collect();
        let problems = validate(&request(Operator::In, &values), Some(AttributeKind::Text));
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].field, "values");
        assert_eq!(
            problems[0].message,
            "At most 10,000 values; 10,001 were given."
        );
        let allowed = &values[..crate::model::purge::MAX_VALUES];
        assert!(validate(&request(Operator::In, allowed), Some(AttributeKind::Text)).is_empty());
    }

    #[test]
    fn dates_are_checked_against_the_calendar() {
        assert_eq!(parse_date("2024-02-29"), Some((2024, 2, 29)));
        assert_eq!(parse_date("2026-02-29"), None);
        assert_eq!(parse_date("2026-13-01"), None);
        assert_eq!(parse_date("31/12/2026"), None);
    }

    #[test]
    fn a_bad_date_names_the_value() {
        let problems = validate(
            &request(Operator::Before, &["2026-02-30"]),
            Some(AttributeKind::Date),
        );
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].field, "values");
        assert!(
            problems[0]
                .message
                .starts_with("“2026-02-30” is not a date"),
            "one value is not numbered: {}",
            problems[0].message
        );
        let several = validate(
            &request(Operator::Between, &["2026-01-01", "2026-02-30"]),
            Some(AttributeKind::Date),
        );
        assert!(several[0]
            .message
            .starts_with("Value 2 (“2026-02-30”) is not a date"));
        assert!(validate(
            &request(Operator::Before, &["2026-02-28"]),
            Some(AttributeKind::Date)
        )
        .is_empty());
    }

    #[test]
    fn between_needs_two_ordered_dates() {
        let kind = Some(AttributeKind::Date);
        assert!(!validate(&request(Operator::Between, &["2026-01-01"]), kind).is_empty());
        let reversed = validate(
            &request(Operator::Between, &["2026-02-01", "2026-01-01"]),
            kind,
        );
        assert!(reversed[0].message.contains("start date is after"));
    }

    #[test]
    fn date_operators_refuse_text_attributes_and_unknown_attributes_are_named() {
        let problems = validate(
            &request(Operator::After, &["2026-01-01"]),
            Some(AttributeKind::Text),
        );
        assert_eq!(problems[0].field, "operator");
        let unknown = validate(&request(Operator::Equals, &["x"]), None);
        assert!(unknown[0].message.contains("EXPIRY_DATE"));
    }

    #[test]
    fn empty_filter_and_missing_reason_are_refused() {
        let mut empty = request(Operator::Equals, &[" "]);
        empty.reason = String::new();
        let fields: Vec<_> = validate(&empty, Some(AttributeKind::Text))
            .iter()
            .map(|p| p.field)
            .collect();
        assert_eq!(fields, ["values", "reason"]);
    }

    #[test]
    fn numbers_are_checked_for_numeric_attributes() {
        let mut r = request(Operator::Equals, &["12,5"]);
        r.attribute = "BALANCE".into();
        assert_eq!(validate(&r, Some(AttributeKind::Number)).len(), 1);
        r.values = vec!["12.5".into()];
        assert!(validate(&r, Some(AttributeKind::Number)).is_empty());
    }
}
