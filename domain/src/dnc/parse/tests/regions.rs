//! One file mixing American national numbers, British national and international ones, read
//! under `OCM_PHONE_REGION=US` and `GB`. The expected answers were computed independently, by
//! Python's `phonenumbers` 9.0.33 (`parse`, `is_possible_number_with_reason`, `is_valid_number`,
//! E.164), and written out by hand.

use super::*;

const MIXED: &str = "phone,name\n\
(212) 555-0147,New York\n\
(555) 123-4567,Fictional\n\
020 7946 0959,London\n\
+44 20 7946 0959,London again\n\
07700 900123,Drama mobile\n\
+1 212 555 0147,New York again\n\
011 44 20 7946 0959,London from the US\n\
0044 20 7946 0959,London from Europe\n\
555-0147,No area code\n\
jo@example.com,Mail\n";

fn read(region_id: &str) -> Preflight {
    preflight(
        "mixed.csv",
        MIXED.as_bytes(),
        &options(),
        Target::Address,
        &region(region_id),
    )
    .unwrap()
}

fn sent(found: &Preflight, row: u64) -> (Option<&str>, Option<&str>, Option<&str>) {
    let sample = found.sample.iter().find(|s| s.row == row).unwrap();
    (
        sample.value.as_deref(),
        sample.warning.as_deref(),
        sample.problem.as_deref(),
    )
}

#[test]
fn under_us_national_numbers_are_american() {
    let found = read("US");
    assert_eq!(
        found.valid,
        [
            "+12125550147",
            "+15551234567",
            "+442079460959",
            "jo@example.com"
        ]
    );
    assert_eq!(sent(&found, 2), (Some("+12125550147"), None, None));
    assert_eq!(
        sent(&found, 3),
        (Some("+15551234567"), Some("not a valid US number"), None)
    );
    let shown = found
        .sample
        .iter()
        .find(|s| s.row == 3)
        .unwrap()
        .shown
        .as_deref();
    assert_eq!(shown, Some("+1 555-123-4567"));
    assert_eq!(
        sent(&found, 4),
        (None, None, Some("not a phone number: too long"))
    );
    assert_eq!(sent(&found, 8), (None, None, Some("duplicate of row 5")));
    assert_eq!(
        sent(&found, 10),
        (None, None, Some("a local number: add the area code"))
    );
    assert_eq!(found.duplicates, 2);
    assert_eq!(
        found.invalid,
        [
            ("not a phone number: too long".to_string(), 3),
            ("a local number: add the area code".to_string(), 1),
        ]
    );
    assert_eq!(found.warnings, [("not a valid US number".to_string(), 1)]);
}

#[test]
fn under_gb_national_numbers_are_british() {
    let found = read("GB");
    assert_eq!(
        found.valid,
        [
            "+442125550147",
            "+445551234567",
            "+442079460959",
            "+447700900123",
            "+12125550147",
            "+445550147",
            "jo@example.com"
        ]
    );
    assert_eq!(sent(&found, 4), (Some("+442079460959"), None, None));
    assert_eq!(sent(&found, 5), (None, None, Some("duplicate of row 4")));
    assert_eq!(
        sent(&found, 8),
        (None, None, Some("not a phone number: too long"))
    );
    assert_eq!(found.duplicates, 2);
    assert_eq!(
        found.invalid,
        [("not a phone number: too long".to_string(), 1)]
    );
    assert_eq!(found.warnings, [("not a valid GB number".to_string(), 3)]);
}

#[test]
fn pom_s_form_is_what_the_pre_flight_sends() {
    let mut digits = region("US");
    digits.format = crate::phone::PomFormat::National;
    let found = preflight(
        "mixed.csv",
        MIXED.as_bytes(),
        &options(),
        Target::Address,
        &digits,
    )
    .unwrap();
    assert_eq!(
        found.valid,
        [
            "2125550147",
            "5551234567",
            "+442079460959",
            "jo@example.com"
        ]
    );
}
