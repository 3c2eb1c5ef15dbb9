//! POM's SOAP answers are read by `pom::xml::parse`: any text gives an element tree or an
//! error, never a panic, a hang or unbounded memory.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let _ = pom::xml::parse(text);
});
