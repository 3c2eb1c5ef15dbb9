//! Phone numbers as people type them, read by libphonenumber's rules for the demo region and
//! written for POM: any text gives a number or a named problem, never a panic.
#![no_main]

use domain::phone::PhoneRules;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let rules = PhoneRules::demo();
    let mut out = String::new();
    let _ = rules.write_into(text, &mut out);
});
