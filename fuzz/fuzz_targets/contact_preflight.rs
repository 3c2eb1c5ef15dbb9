//! A contact upload's pre-flight (reading, column mapping, every row rule, the converted file):
//! any file ends in a pre-flight or a refusal, never a panic.
#![no_main]

use std::collections::{BTreeMap, HashSet};

use domain::phone::PhoneRules;
use domain::uploads::preflight::{preflight, Attribute, DateFormat, OutputLayout, UploadOptions};
use libfuzzer_sys::fuzz_target;

fn catalogue() -> Vec<Attribute> {
    [
        ("userContactId", "STRING"),
        ("firstName", "STRING"),
        ("phoneNumber1", "PHONE"),
        ("phoneNumber2", "PHONE"),
        ("email", "EMAIL"),
        ("EXPIRY_DATE", "DATE"),
        ("BALANCE", "NUMBER"),
        ("OPT_IN", "BOOLEAN"),
    ]
    .iter()
    .map(|(name, pom_type)| Attribute {
        name: name.to_string(),
        pom_type: pom_type.to_string(),
    })
    .collect()
}

fuzz_target!(|bytes: &[u8]| {
    let options = UploadOptions {
        delimiter: None,
        sheet: None,
        has_header: None,
        mapping: BTreeMap::new(),
        date_format: DateFormat::DayMonthYear,
        max_rows: 10_000,
        numbers: PhoneRules::demo(),
        collect_addresses_up_to: 1_000,
        cancel: Default::default(),
        erased: Default::default(),
    };
    let layout = OutputLayout {
        delimiter: b',',
        header_row: true,
        columns: Vec::new(),
    };
    let hits: HashSet<String> = HashSet::from(["+447700900123".to_string()]);
    let _ = preflight("fuzz.csv", bytes, &options, &catalogue(), &layout, &hits);
});
