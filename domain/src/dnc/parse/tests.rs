//! Pre-flight over the committed fixture files (`app/tests/fixtures/dnc/`, written by
//! `scripts/make-dnc-fixtures.py`): text encodings, delimiters and line ends here, spreadsheets in
//! `sheets`, a file of numbers mixing countries under two regions in `regions`.

mod regions;
mod sheets;

use super::*;

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/dnc/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|error| panic!("{path}: {error}"))
}

fn options() -> ParseOptions {
    ParseOptions {
        delimiter: None,
        sheet: None,
        column: None,
        max_rows: 1_000,
        cancel: Cancel::default(),
        erased: Default::default(),
    }
}

fn uk() -> PhoneRules {
    PhoneRules::demo()
}

fn region(id: &str) -> PhoneRules {
    PhoneRules::new(crate::phone::Region::parse(id).unwrap())
}

fn run(name: &str, options: &ParseOptions, target: Target) -> Result<Preflight, ParseError> {
    preflight(name, &fixture(name), options, target, &uk())
}

fn rows_of_sample(preflight: &Preflight) -> Vec<u64> {
    preflight.sample.iter().map(|s| s.row).collect()
}

/// The six rows every `ROWS` fixture of the script holds, whatever its encoding and layout.
fn assert_standard(name: &str, format: &str) {
    let found = run(name, &options(), Target::Address).unwrap();
    assert_eq!(found.format, format, "{name}");
    assert_eq!(found.columns, ["name", "phone"], "{name}");
    assert_eq!((found.column, found.has_header), (1, true), "{name}");
    assert_eq!(
        (found.rows, found.empty, found.duplicates),
        (6, 1, 1),
        "{name}"
    );
    assert_eq!(found.valid, ["+447700900123", "flo@example.com"], "{name}");
    assert_eq!(
        found.invalid,
        [
            ("a local number: add the area code".to_string(), 1),
            ("letters in a phone number".to_string(), 1),
        ],
        "{name}"
    );
    // Ofcom's drama range: possible, not valid, accepted with a warning.
    assert_eq!(
        found.warnings,
        [("not a valid GB number".to_string(), 1)],
        "{name}"
    );
    assert_eq!(rows_of_sample(&found), [2, 3, 4, 5, 6, 7], "{name}");
    assert_eq!(found.sample[0].original, "+44 7700 900123");
    assert_eq!(found.sample[0].value.as_deref(), Some("+447700900123"));
    assert_eq!(found.sample[0].shown.as_deref(), Some("+44 7700 900123"));
    assert_eq!(
        found.sample[0].warning.as_deref(),
        Some("not a valid GB number")
    );
    assert_eq!(
        found.sample[1].problem.as_deref(),
        Some("duplicate of row 2")
    );
    assert_eq!(found.sample[4].problem.as_deref(), Some("empty"));
    assert_eq!(
        String::from_utf8(found.rejects_csv).unwrap(),
        "\u{feff}row_number,original_value,reason\r\n\
         3,\"07700900123\",\"duplicate of row 2\"\r\n\
         4,\"12345\",\"a local number: add the area code\"\r\n\
         5,\"call me\",\"letters in a phone number\"\r\n\
         6,\"\",\"empty\"\r\n",
        "{name}"
    );
}

#[test]
fn encodings_delimiters_and_line_ends() {
    assert_standard("utf8.csv", "CSV (UTF-8, delimiter ',')");
    assert_standard("utf8_bom.csv", "CSV (UTF-8 with BOM, delimiter ',')");
    assert_standard("utf16le.txt", "Text (UTF-16 LE, delimiter tab)");
    assert_standard("utf16be.csv", "CSV (UTF-16 BE, delimiter ',')");
    assert_standard("semicolon.csv", "CSV (UTF-8, delimiter ';')");
    assert_standard("tab.txt", "Text (UTF-8, delimiter tab)");
    assert_standard("cr.csv", "CSV (UTF-8, delimiter ',')");
}

#[test]
fn windows_1252_keeps_accented_names() {
    let france = region("FR");
    let name = "windows1252.csv";
    let found = preflight(name, &fixture(name), &options(), Target::Address, &france).unwrap();
    assert_eq!(found.format, "CSV (Windows-1252, delimiter ';')");
    assert_eq!(found.columns, ["nom", "téléphone"]);
    assert_eq!(found.column, 1);
    assert_eq!(found.valid, ["+33612345678", "+33612345679"]);
}

#[test]
fn a_quoted_field_may_span_lines() {
    let found = run("quoted_newline.csv", &options(), Target::Address).unwrap();
    assert_eq!(found.valid, ["+447700900123", "+447700900124"]);
    assert_eq!(rows_of_sample(&found), [2, 4]);
}

#[test]
fn a_header_alone_is_zero_rows_and_an_empty_file_is_refused() {
    let found = run("header_only.csv", &options(), Target::Address).unwrap();
    assert_eq!((found.rows, found.has_header), (0, true));
    assert_eq!(found.columns, ["name", "phone"]);
    assert!(found.valid.is_empty() && found.sample.is_empty());
    assert_eq!(
        run("empty.csv", &options(), Target::Address),
        Err(ParseError::Empty)
    );
    let blank = preflight(
        "blank.csv",
        b" \r\n\r\n,,\n",
        &options(),
        Target::Address,
        &uk(),
    );
    assert_eq!(blank, Err(ParseError::Empty));
}

#[test]
fn binary_content_is_refused() {
    let refused = run("binary.csv", &options(), Target::Address).unwrap_err();
    assert_eq!(refused, ParseError::NotText);
    assert!(refused.to_string().contains("Save it as CSV"));
}

#[test]
fn contact_ids_are_trimmed_and_deduplicated() {
    let found = run("contact_ids.csv", &options(), Target::ContactId).unwrap();
    assert_eq!((found.column, found.has_header), (0, true));
    assert_eq!(found.valid, ["C0001", "C0002"]);
    assert_eq!((found.rows, found.empty, found.duplicates), (4, 1, 1));
    assert!(found.invalid.is_empty());
}

#[test]
fn the_users_choices_override_detection() {
    let by_name = ParseOptions {
        column: Some(0),
        ..options()
    };
    let names = run("utf8.csv", &by_name, Target::Address).unwrap();
    assert_eq!((names.column, names.has_header), (0, true));
    assert_eq!(
        names.invalid,
        [("letters in a phone number".to_string(), 6)]
    );
    let semicolons = ParseOptions {
        delimiter: Some(b';'),
        ..options()
    };
    let one_column = run("utf8.csv", &semicolons, Target::Address).unwrap();
    assert_eq!(one_column.columns, ["name,phone"]);
    assert_eq!(one_column.delimiter, Some(b';'));
    let beyond = ParseOptions {
        column: Some(5),
        ..options()
    };
    let refused = run("utf8.csv", &beyond, Target::Address).unwrap_err();
    assert_eq!(refused, ParseError::NoSuchColumn(5));
    assert!(refused.to_string().contains("no column 6"));
}

#[test]
fn the_row_limit_is_enforced() {
    let five = ParseOptions {
        max_rows: 5,
        ..options()
    };
    let refused = run("utf8.csv", &five, Target::Address).unwrap_err();
    assert_eq!(refused, ParseError::TooManyRows(5));
    assert!(refused.to_string().contains("more than 5 rows"));
    let six = ParseOptions {
        max_rows: 6,
        ..options()
    };
    assert!(run("utf8.csv", &six, Target::Address).is_ok());
}

#[test]
fn files_without_a_header_are_numbered_from_one() {
    let bytes = b"+447700900123\r\n07700 900124\r\n\r\n+447700900123\r\n";
    let found = preflight("list.txt", bytes, &options(), Target::Address, &uk()).unwrap();
    assert_eq!(found.columns, ["Column 1"]);
    assert!(!found.has_header);
    assert_eq!(found.format, "Text (UTF-8, delimiter ',')");
    assert_eq!(rows_of_sample(&found), [1, 2, 4]);
    assert_eq!(found.duplicates, 1);
}

#[test]
fn long_files_are_checked_past_the_detection_rows() {
    let mut text = String::from("id;phone\n");
    for i in 0..250u32 {
        match i % 50 {
            7 => text.push_str(&format!("{i};\n")),
            9 => text.push_str(&format!("{i};+44 7700 900000\n")),
            11 => text.push_str(&format!("{i};=1+2\n")),
            _ => text.push_str(&format!("{i};07700 9{i:05}\n")),
        }
    }
    let found = preflight(
        "long.csv",
        text.as_bytes(),
        &options(),
        Target::Address,
        &uk(),
    )
    .unwrap();
    assert_eq!((found.rows, found.empty), (250, 5));
    // Row 0's number is +447700900000 too, so each of the five repeats is a duplicate.
    assert_eq!(found.duplicates, 5);
    assert_eq!(found.invalid, [("not a phone number".to_string(), 5)]);
    assert_eq!(found.valid.len(), 250 - 15);
    assert_eq!(found.valid[0], "+447700900000");
    assert_eq!(found.sample.len(), 20);
    let rejects = String::from_utf8(found.rejects_csv).unwrap();
    assert!(rejects.contains("\r\n13,\"'=1+2\",\"not a phone number\"\r\n"));
    assert_eq!(rejects.lines().count(), 1 + 15);
}

#[test]
fn rejected_values_may_start_with_any_character() {
    let bytes = "phone\n№ n/a\n📞\n+447700900123\n".as_bytes();
    let found = preflight("odd.csv", bytes, &options(), Target::Address, &uk()).unwrap();
    assert_eq!(found.valid, ["+447700900123"]);
    let rejects = String::from_utf8(found.rejects_csv).unwrap();
    assert!(rejects.contains("\r\n2,\"№ n/a\","), "{rejects}");
    assert!(rejects.contains("\r\n3,\"📞\","), "{rejects}");
}
