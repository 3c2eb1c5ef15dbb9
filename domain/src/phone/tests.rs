//! Reading numbers for a region: the examples, libphonenumber's special cases, and a
//! fixture of numbers with the answers of Python's `phonenumbers` (an independent port of
//! libphonenumber), computed by `scripts/phone-expectations.py` and committed.

use super::*;

fn rules(region: &str) -> PhoneRules {
    PhoneRules::new(Region::parse(region).unwrap())
}

/// The number as POM takes it and the warning, or the refusal.
fn sent(region: &str, raw: &str) -> Result<(String, Option<String>), String> {
    let mut out = String::new();
    rules(region)
        .write_into(raw, &mut out)
        .map(|warning| (out, warning.map(|w| w.to_string())))
        .map_err(|problem| problem.to_string())
}

fn ok(number: &str) -> Result<(String, Option<String>), String> {
    Ok((number.to_string(), None))
}

fn warned(number: &str, warning: &str) -> Result<(String, Option<String>), String> {
    Ok((number.to_string(), Some(warning.to_string())))
}

#[test]
fn north_american_numbers_without_a_country_code_are_american() {
    assert_eq!(sent("US", "(212) 555-0147"), ok("+12125550147"));
    assert_eq!(sent("US", "212.555.0147"), ok("+12125550147"));
    assert_eq!(sent("US", "1 212 555 0147"), ok("+12125550147"));
    assert_eq!(sent("US", "+1 (212) 555-0147"), ok("+12125550147"));
    // The fictional 555 area code is possible, not valid: accepted with a warning.
    let fictional = warned("+15551234567", "not a valid US number");
    assert_eq!(sent("US", "(555) 123-4567"), fictional);
    assert_eq!(sent("US", "5551234567"), fictional);
    // Not the Brazilian +55 51234567 the hand-written rules made of it.
    assert_ne!(sent("US", "5551234567").unwrap().0, "+5551234567");
}

#[test]
fn british_national_and_international_forms() {
    assert_eq!(sent("GB", "020 7946 0959"), ok("+442079460959"));
    assert_eq!(sent("GB", "+44 (0)20 7946 0959"), ok("+442079460959"));
    assert_eq!(sent("GB", "0044 20 7946 0959"), ok("+442079460959"));
    assert_eq!(sent("GB", "442079460959"), ok("+442079460959"));
    assert_eq!(sent("US", "011 44 20 7946 0959"), ok("+442079460959"));
    assert_eq!(sent("US", "+44 20 7946 0959"), ok("+442079460959"));
    // Ofcom's drama range is possible, and not valid in libphonenumber's metadata.
    assert_eq!(
        sent("GB", "07700 900123"),
        warned("+447700900123", "not a valid GB number")
    );
}

#[test]
fn numbers_that_are_not_possible_are_refused_with_the_reason() {
    assert_eq!(
        sent("US", "020 7946 0959"),
        Err("not a phone number: too long".into())
    );
    assert_eq!(
        sent("US", "555-0147"),
        Err("a local number: add the area code".into())
    );
    assert_eq!(
        sent("GB", "+44 123"),
        Err("not a phone number: too short".into())
    );
    assert_eq!(
        sent("GB", "+999 1234 5678"),
        Err("not a phone number: no such country code".into())
    );
    assert_eq!(
        sent("GB", "+0 7700 900123"),
        Err("not a phone number: no such country code".into())
    );
    assert_eq!(
        sent("GB", "call me"),
        Err("letters in a phone number".into())
    );
    assert_eq!(sent("GB", "- -"), Err("not a phone number".into()));
    assert_eq!(
        sent("GB", "4.477009E+11"),
        Err(
            "a number in scientific notation (digits may be lost): format the column as text"
                .into()
        )
    );
    assert_eq!(sent("GB", "442079460959.0"), ok("+442079460959"));
}

#[test]
fn pom_forms_and_the_forms_a_lookup_tries() {
    let us = rules("US");
    let phone = us.read("(212) 555-0147").unwrap();
    let home = us.region;
    assert_eq!(phone.written(PomFormat::E164, home), "+12125550147");
    assert_eq!(phone.written(PomFormat::Digits, home), "12125550147");
    assert_eq!(phone.written(PomFormat::National, home), "2125550147");
    assert_eq!(phone.shown(), "+1 212-555-0147");
    assert_eq!(
        phone.forms(PomFormat::Digits, home),
        ["12125550147", "+12125550147", "2125550147"]
    );
    let gb = rules("GB");
    let london = gb.read("020 7946 0959").unwrap();
    assert_eq!(
        london.written(PomFormat::National, gb.region),
        "02079460959"
    );
    assert_eq!(london.shown(), "+44 20 7946 0959");
    // Another country's number has no national form for POM: it stays international.
    assert_eq!(london.written(PomFormat::National, home), "+442079460959");
    assert_eq!(
        london.forms(PomFormat::E164, home),
        ["+442079460959", "442079460959"],
        "no national digits of another country: at home they are another number"
    );
    assert_eq!(PomFormat::parse(" Digits "), Some(PomFormat::Digits));
    assert_eq!(PomFormat::parse("international"), None);
}

#[test]
fn regions_are_iso_codes_libphonenumber_knows() {
    assert_eq!(Region::parse("gb").map(Region::id), Some("GB"));
    assert_eq!(Region::parse("US").map(Region::code), Some(1));
    assert!(Region::parse("UK").is_none() && Region::parse("001").is_none());
    assert_eq!(PhoneRules::demo().region.id(), DEMO_REGION);
}

#[test]
fn every_answer_agrees_with_python_phonenumbers() {
    let path = format!(
        "{}/tests/fixtures/phone/expectations.csv",
        env!("CARGO_MANIFEST_DIR")
    );
    let mut reader = csv::Reader::from_path(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let mut checked = 0;
    let mut differences = Vec::new();
    for record in reader.records() {
        let record = record.unwrap();
        let (region, input) = (&record[0], &record[1]);
        let expected = (&record[2], &record[3], &record[4]);
        let ours = match rules(region).read(input) {
            Ok(phone) => (
                phone.e164(),
                phone.is_valid().to_string(),
                phone.national_digits(),
            ),
            Err(_) => ("refused".into(), "false".into(), String::new()),
        };
        if (ours.0.as_str(), ours.1.as_str(), ours.2.as_str()) != expected {
            differences.push(format!(
                "{region} {input:?}: {ours:?}, expected {expected:?}"
            ));
        }
        checked += 1;
    }
    assert!(checked > 4_000, "{checked} rows");
    assert!(differences.is_empty(), "{}", differences.join("\n"));
}
