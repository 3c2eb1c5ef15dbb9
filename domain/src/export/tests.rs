//! The injection corpus: every string is written as OCM writes CSV, then read back the way
//! spreadsheets in different locales split cells; no cell may start a formula.

use super::*;

/// Payloads from OWASP's CSV injection page and the ones found in OCM (a user agent stored by a
/// failed sign-in, an uploaded cell), in every position a locale's separator may expose them.
const CORPUS: &[&str] = &[
    "=1+1",
    "+1+1",
    "-1+1",
    "@SUM(1+1)",
    "\t=1+1",
    "\r=1+1",
    " =1+1",
    "=cmd|' /C calc'!A0",
    "x;=cmd|' /C calc'!A0",
    "Mozilla/5.0;=cmd|' /C calc'!A0",
    "a,=HYPERLINK(\"http://evil.example\",\"x\")",
    "a\n@SUM(A1:A9)",
    "a\r\n-2+3",
    "a\t+cmd",
    "a; -1+1",
    "=\"\"\"quoted\"\"\"",
    "+44 20 7946 0959",
    "@",
    "-",
    "=1",
    "@1",
    "\u{a0}=1+1",
    "\u{3000}=1+1",
    "\u{b}=1+1",
    "\u{FF1D}1+1",
    "x;\u{FF20}SUM(1)",
];

/// Reads `text` as a spreadsheet with this list separator would (quotes honoured).
fn cells_as_read(text: &str, separator: u8) -> Vec<String> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(separator)
        .from_reader(text.trim_start_matches(UTF8_BOM).as_bytes())
        .records()
        .flat_map(|record| {
            record
                .unwrap()
                .iter()
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .collect()
}

/// Written independently of `export.rs`: every whitespace or control character and quotes are
/// skipped, ASCII and full-width formula signs count.
fn starts_a_formula(cell: &str) -> bool {
    let cell = cell.trim_start_matches(|c: char| c.is_whitespace() || c.is_control() || c == '"');
    let cell = &cell.replace(['\u{FF1D}', '\u{FF0B}', '\u{FF0D}', '\u{FF20}'], "=");
    let signed_number = cell.starts_with(['+', '-'])
        && cell.len() > 1
        && cell[1..].bytes().all(|b| b.is_ascii_digit());
    cell.starts_with(['=', '+', '-', '@']) && !signed_number
}

#[test]
fn no_corpus_string_starts_a_formula_in_any_locale() {
    for payload in CORPUS {
        let mut out = UTF8_BOM.as_bytes().to_vec();
        write_record(&mut out, ["ok", payload, "tail"]).unwrap();
        let text = String::from_utf8(out).unwrap();
        for separator in [b',', b';', b'\t'] {
            for cell in cells_as_read(&text, separator) {
                assert!(
                    !starts_a_formula(&cell),
                    "{payload:?} read with {:?} gives the live cell {cell:?} from {text:?}",
                    separator as char
                );
            }
        }
    }
}

#[test]
fn risky_cells_are_found_behind_any_separator() {
    for payload in CORPUS {
        assert!(risky(payload), "{payload:?}");
        assert_ne!(neutralise_cell(payload), *payload, "{payload:?}");
    }
    for safe in [
        "plain",
        "+447700900001",
        "-12",
        "a-b",
        "x;y",
        "",
        "2026-12-04",
    ] {
        assert!(!risky(safe), "{safe:?}");
        assert_eq!(neutralise_cell(safe), safe);
    }
}

#[test]
fn every_field_is_quoted_and_records_end_in_crlf() {
    let mut buffer = Vec::new();
    write_record(
        &mut buffer,
        ["a,b", "=cmd|' /C calc'!A0", "line\nbreak", "+447700900111"],
    )
    .unwrap();
    let text = String::from_utf8(buffer).unwrap();
    assert_eq!(
        text,
        "\"a,b\",\"'=cmd|' /C calc'!A0\",\"line\nbreak\",\"+447700900111\"\r\n"
    );
}

#[test]
fn making_a_file_safe_twice_changes_nothing_more() {
    let once = for_people(b"a,=1+1,+447700900111\r\n", b',').unwrap();
    assert_eq!(for_people(&once, b',').unwrap(), once);
}

#[test]
fn a_machine_file_is_made_safe_for_people() {
    let converted = b"userContactId;phone;note\n1;+447700900111;=cmd|' /C calc'!A0\n";
    let safe = String::from_utf8(for_people(converted, b';').unwrap()).unwrap();
    assert_eq!(
        safe,
        "\u{feff}\"userContactId\",\"phone\",\"note\"\r\n\
         \"1\",\"+447700900111\",\"'=cmd|' /C calc'!A0\"\r\n"
    );
}

#[test]
fn workbooks_are_zip_files_with_the_sheet() {
    let bytes = xlsx(
        "Runs",
        &["id", "name", "phone"],
        vec![vec![
            "7".into(),
            "=HYPERLINK()".into(),
            "+447700900111".into(),
        ]],
    )
    .unwrap();
    assert_eq!(&bytes[..2], b"PK");
}

#[test]
fn each_risky_part_is_neutralised_where_a_locale_may_split() {
    assert_eq!(
        neutralise_cell("x;=cmd|' /C calc'!A0"),
        "x;'=cmd|' /C calc'!A0"
    );
    assert_eq!(neutralise_cell("=1+1"), "'=1+1");
    assert_eq!(neutralise_cell("\t=1"), "'\t'=1");
    assert_eq!(neutralise_cell("a, @x"), "a, '@x");
}

/// UTF-16 code units, the way Excel counts a cell's length.
fn units(text: &str) -> usize {
    text.encode_utf16().count()
}

#[test]
fn a_cell_past_excels_limit_is_cut_with_a_visible_ending() {
    let long = "=".to_string() + &"a".repeat(39_999);
    let cut = fit_xlsx_cell(&long);
    assert!(units(&cut) <= MAX_XLSX_CELL, "{}", units(&cut));
    let kept = cut.find('…').unwrap();
    assert!(long.starts_with(&cut[..kept]));
    assert_eq!(
        &cut[kept..],
        format!("…[cut: {} characters]", 40_000 - kept)
    );
    let exact = "a".repeat(MAX_XLSX_CELL);
    assert_eq!(
        fit_xlsx_cell(&exact),
        exact,
        "a cell at the limit is kept whole"
    );
}

#[test]
fn a_cut_never_splits_a_surrogate_pair() {
    // Each emoji takes two UTF-16 units; a leading `a` shifts where the room ends.
    for lead in ["", "a"] {
        let long = lead.to_string() + &"\u{1F600}".repeat(20_000);
        let cut = fit_xlsx_cell(&long);
        assert!(units(&cut) <= MAX_XLSX_CELL, "{lead:?}: {}", units(&cut));
        let kept = &cut[..cut.find('…').unwrap()];
        assert!(kept
            .trim_start_matches('a')
            .chars()
            .all(|c| c == '\u{1F600}'));
        let left_out = long.chars().count() - kept.chars().count();
        assert!(
            cut.ends_with(&format!("[cut: {left_out} characters]")),
            "{lead:?}"
        );
    }
}

#[test]
fn a_workbook_with_a_40000_character_cell_is_written() {
    let long = "x".repeat(40_000);
    for numbers in [true, false] {
        let rows = vec![vec!["1".to_string(), long.clone()]];
        let bytes = if numbers {
            xlsx("Audit log", &["id", "parameters"], rows)
        } else {
            xlsx_text("Audit log", &["id", "parameters"], rows)
        }
        .expect("the long cell is cut, not refused");
        assert_eq!(&bytes[..2], b"PK");
    }
}
