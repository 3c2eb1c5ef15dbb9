//! Single values checked as POM takes them: what is written, flagged or refused, and how
//! POM's attribute types are read.

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
    let refused = |kind, value| check(kind, value, "Col", &rules, &mut String::new()).unwrap_err();
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
