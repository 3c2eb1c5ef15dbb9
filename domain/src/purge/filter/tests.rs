//! The purge filter against contacts: the direct purge, dates, text, numbers and phone numbers.

use super::*;

fn contact(pairs: &[(&str, &str)]) -> Map<String, Value> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), Value::String(v.to_string())))
        .collect()
}

fn filter(attribute: &str, operator: Operator, values: &[&str], kind: AttributeKind) -> Filter {
    let request = PurgeRequest {
        list_id: 1,
        attribute: attribute.into(),
        operator,
        values: values.iter().map(|v| v.to_string()).collect(),
        reason: "test".into(),
    };
    let us = PhoneRules::new(crate::phone::Region::parse("US").unwrap());
    Filter::new(&request, kind, "userContactId", &us)
}

#[test]
fn phone_values_compare_in_pom_s_form() {
    let f = filter(
        "phoneNumber1",
        Operator::In,
        &["(212) 555-0147", "555 123 4567"],
        AttributeKind::Phone,
    );
    assert_eq!(f.values, ["+12125550147", "+15551234567"]);
    let number = |own: &str| f.verdict(&contact(&[("phoneNumber1", own)]));
    assert_eq!(number("+12125550147"), Verdict::Match);
    assert_eq!(number("212-555-0147"), Verdict::Match);
    // Not the Brazilian number the hand-written rules made of 5551234567.
    assert_eq!(number("+5551234567"), Verdict::Keep);
    assert_eq!(number("+15551234567"), Verdict::Match);
    assert!(f.describe("L").contains("“+12125550147”"));
}

#[test]
fn not_equal_on_the_direct_attribute_keeps_only_the_given_contacts() {
    let f = filter(
        "userContactId",
        Operator::NotEquals,
        &["A1", " A2 "],
        AttributeKind::Text,
    );
    assert!(f.direct);
    assert_eq!(
        f.verdict(&contact(&[("userContactId", "A1")])),
        Verdict::Keep
    );
    assert_eq!(
        f.verdict(&contact(&[("userContactId", "A2")])),
        Verdict::Keep
    );
    assert_eq!(
        f.verdict(&contact(&[("userContactId", "B7")])),
        Verdict::Match
    );
    assert!(f.describe("L").contains("EXCEPT the 2"));
    let normal = filter(
        "CAMP_ID",
        Operator::NotEquals,
        &["S01"],
        AttributeKind::Text,
    );
    assert!(!normal.direct);
    assert_eq!(
        normal.verdict(&contact(&[])),
        Verdict::Match,
        "missing is not equal"
    );
}

#[test]
fn dates_compare_as_dates_and_unreadable_ones_are_kept() {
    let f = filter(
        "EXPIRY_DATE",
        Operator::Before,
        &["2026-06-01"],
        AttributeKind::Date,
    );
    assert_eq!(
        f.verdict(&contact(&[("EXPIRY_DATE", "2026-05-31")])),
        Verdict::Match
    );
    assert_eq!(
        f.verdict(&contact(&[("EXPIRY_DATE", "2026-06-01 00:00:00")])),
        Verdict::Keep
    );
    assert_eq!(
        f.verdict(&contact(&[("EXPIRY_DATE", "31/05/2026")])),
        Verdict::UnreadableDate
    );
    let between = filter(
        "EXPIRY_DATE",
        Operator::Between,
        &["2026-01-01", "2026-01-31"],
        AttributeKind::Date,
    );
    assert_eq!(
        between.verdict(&contact(&[("EXPIRY_DATE", "2026-01-31")])),
        Verdict::Match
    );
    assert_eq!(
        between.verdict(&contact(&[("EXPIRY_DATE", "2026-02-01")])),
        Verdict::Keep
    );
}

#[test]
fn text_operators() {
    let c = contact(&[("lastName", "McDonald"), ("BALANCE", "10.50")]);
    let v = |op, values: &[&str], kind| {
        filter(
            if kind == AttributeKind::Number {
                "BALANCE"
            } else {
                "lastName"
            },
            op,
            values,
            kind,
        )
        .verdict(&c)
    };
    assert_eq!(
        v(Operator::Contains, &["DON"], AttributeKind::Text),
        Verdict::Match
    );
    assert_eq!(
        v(Operator::StartsWith, &["mc"], AttributeKind::Text),
        Verdict::Match
    );
    assert_eq!(
        v(Operator::Equals, &["mcdonald"], AttributeKind::Text),
        Verdict::Keep
    );
    assert_eq!(
        v(Operator::In, &["Smith", "McDonald"], AttributeKind::Text),
        Verdict::Match
    );
    assert_eq!(
        v(Operator::Equals, &["10.5"], AttributeKind::Number),
        Verdict::Match
    );
    assert_eq!(
        v(Operator::IsEmpty, &[], AttributeKind::Text),
        Verdict::Keep
    );
}
