//! A new rule's fields checked one by one (pure), a rule's effect in words, and the value a
//! rule sets for one attempt.

use time::{Duration, OffsetDateTime};

use crate::error::AppError;
use crate::model::{NewCompletionRule, RuleAction};
use crate::reports::local_clock;

/// POM's predefined attributes as its catalogue names them: rules set custom attributes only
/// (a completion code changing a contact's number or name would be a mistake waiting to happen).
pub const PREDEFINED: [&str; 19] = [
    "userContactId",
    "title",
    "firstName",
    "lastName",
    "phoneNumber1",
    "phoneNumber1CtryCode",
    "phoneNumber1TimeZone",
    "phoneNumber2",
    "phoneNumber2CtryCode",
    "phoneNumber2TimeZone",
    "email",
    "language",
    "addressLine1",
    "addressLine2",
    "addressLine3",
    "addressLine4",
    "addressLine5",
    "country",
    "zipcode",
];

/// The longest days offset (ten years).
pub const MAX_DAYS: i32 = 3650;
/// The longest fixed value.
pub const MAX_VALUE: usize = 255;

/// What a set-attribute rule writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuleValue {
    Fixed(String),
    /// A date this many days after the attempt's day in the report time zone.
    DaysAfter(i32),
}

/// A rule whose fields read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedRule {
    pub organization: String,
    pub campaign: String,
    pub completion_code: String,
    pub action: RuleAction,
    pub attribute: Option<String>,
    pub value: Option<RuleValue>,
}

fn name_like(text: &str, extra: &[char]) -> bool {
    (1..=64).contains(&text.chars().count())
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || extra.contains(&c))
}

/// The form's fields, each refusal naming its field.
pub fn check(form: &NewCompletionRule) -> Result<CheckedRule, AppError> {
    let campaign = form.campaign.trim();
    if campaign.is_empty() {
        return Err(AppError::validation("campaign", "Choose a campaign."));
    }
    let code = form.completion_code.trim();
    if !name_like(code, &['-', '.', ' ']) {
        return Err(AppError::validation(
            "completion_code",
            "A completion code is 1 to 64 letters, digits, spaces, '_', '-' or '.'.",
        ));
    }
    let action = RuleAction::from(form.action.trim().to_string());
    let (attribute, value) = match action {
        RuleAction::SetAttribute => {
            let (attribute, value) = attribute_and_value(form)?;
            (Some(attribute), Some(value))
        }
        RuleAction::MarkUncallable | RuleAction::AddDnc => (None, None),
        RuleAction::Other(_) => {
            return Err(AppError::validation("action", "Choose what the rule does."))
        }
    };
    Ok(CheckedRule {
        organization: form.organization.trim().to_string(),
        campaign: campaign.to_string(),
        completion_code: code.to_string(),
        action,
        attribute,
        value,
    })
}

fn attribute_and_value(form: &NewCompletionRule) -> Result<(String, RuleValue), AppError> {
    let attribute = form.attribute.trim();
    if !name_like(attribute, &[]) {
        return Err(AppError::validation(
            "attribute",
            "Choose the contact attribute to set.",
        ));
    }
    if PREDEFINED.contains(&attribute) {
        return Err(AppError::validation(
            "attribute",
            "Rules set custom attributes only, not POM's predefined ones.",
        ));
    }
    let value = match form.value_kind.as_str() {
        "days_after" => {
            let days = form.days_after.trim();
            match days.parse::<i32>() {
                Ok(n) if (0..=MAX_DAYS).contains(&n) => RuleValue::DaysAfter(n),
                _ => {
                    return Err(AppError::validation(
                        "days_after",
                        format!("A whole number of days from 0 to {MAX_DAYS}."),
                    ))
                }
            }
        }
        _ => {
            let fixed = form.fixed_value.trim();
            if fixed.is_empty() || fixed.chars().count() > MAX_VALUE {
                return Err(AppError::validation(
                    "fixed_value",
                    format!("The value is 1 to {MAX_VALUE} characters."),
                ));
            }
            if fixed.chars().any(char::is_control) {
                return Err(AppError::validation(
                    "fixed_value",
                    "The value cannot hold line breaks or control characters.",
                ));
            }
            RuleValue::Fixed(fixed.to_string())
        }
    };
    Ok((attribute.to_string(), value))
}

/// What a rule does, in words.
pub fn effect(
    action: &RuleAction,
    attribute: Option<&str>,
    fixed: Option<&str>,
    days: Option<i32>,
) -> String {
    match (action, attribute, fixed, days) {
        (RuleAction::SetAttribute, Some(attribute), Some(value), _) => {
            format!("{attribute} = “{value}”")
        }
        (RuleAction::SetAttribute, Some(attribute), None, Some(days)) => {
            format!("{attribute} = the call's day + {days} days")
        }
        (action, ..) => action.label().to_string(),
    }
}

/// The value a rule writes for an attempt that ended at `ended_at`: dates as `yyyy-MM-dd`,
/// the day being the attempt's in `zone` (the report time zone).
pub fn value_for(value: &RuleValue, ended_at: OffsetDateTime, zone: &str) -> String {
    match value {
        RuleValue::Fixed(text) => text.clone(),
        RuleValue::DaysAfter(days) => {
            let day = local_clock(ended_at, zone).0 + Duration::days(i64::from(*days));
            format!(
                "{:04}-{:02}-{:02}",
                day.year(),
                u8::from(day.month()),
                day.day()
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn form(action: &str) -> NewCompletionRule {
        NewCompletionRule {
            organization: "Collections".into(),
            campaign: "Coll_Arrears_Predictive".into(),
            completion_code: "NSP".into(),
            action: action.into(),
            attribute: "NEXT_ACTION".into(),
            value_kind: "fixed".into(),
            fixed_value: "legal".into(),
            days_after: String::new(),
        }
    }

    /// A change to the form.
    type Change = fn(&mut NewCompletionRule);

    fn field(result: Result<CheckedRule, AppError>) -> String {
        match result {
            Err(AppError::Validation { field, .. }) => field,
            other => panic!("a refusal, not {other:?}"),
        }
    }

    #[test]
    fn each_field_is_checked_and_named() {
        let checked = check(&form("set_attribute")).unwrap();
        assert_eq!(checked.value, Some(RuleValue::Fixed("legal".into())));
        let cases: [(Change, &str); 8] = [
            (|f| f.campaign = " ".into(), "campaign"),
            (|f| f.completion_code = "NSP;drop".into(), "completion_code"),
            (|f| f.action = "delete".into(), "action"),
            (|f| f.attribute = "phoneNumber1".into(), "attribute"),
            (|f| f.attribute = "NEXT ACTION".into(), "attribute"),
            (|f| f.fixed_value = "a\nb".into(), "fixed_value"),
            (|f| f.fixed_value = "x".repeat(256), "fixed_value"),
            (
                |f| {
                    f.value_kind = "days_after".into();
                    f.days_after = "3651".into();
                },
                "days_after",
            ),
        ];
        for (change, expected) in cases {
            let mut f = form("set_attribute");
            change(&mut f);
            assert_eq!(field(check(&f)), expected);
        }
    }

    #[test]
    fn other_actions_carry_no_attribute() {
        let checked = check(&form("add_dnc")).unwrap();
        assert_eq!((checked.attribute, checked.value), (None, None));
    }

    #[test]
    fn a_date_counts_from_the_calls_day_in_the_report_zone() {
        // 23:30 UTC on 31 March is 00:30 on 1 April in London (summer time).
        let ended = datetime!(2027-03-31 23:30 UTC);
        assert_eq!(
            value_for(&RuleValue::DaysAfter(30), ended, "Europe/London"),
            "2027-05-01"
        );
        assert_eq!(
            value_for(&RuleValue::DaysAfter(0), ended, "UTC"),
            "2027-03-31"
        );
        assert_eq!(
            effect(
                &RuleAction::SetAttribute,
                Some("NEXT_ACTION_DATE"),
                None,
                Some(30)
            ),
            "NEXT_ACTION_DATE = the call's day + 30 days"
        );
    }
}
