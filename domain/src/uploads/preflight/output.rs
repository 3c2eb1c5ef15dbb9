//! The two files a pre-flight writes: the converted file POM imports (the layout's delimiter, LF,
//! fields quoted only when they must be) and the reject file people open in a spreadsheet (UTF-8
//! with BOM, CRLF, every cell neutralised against formulas and quoted).

use crate::export::{push_field, UTF8_BOM};
use crate::tabular::clipped;

const REJECTS_HEADER: &str = "row_number,user_contact_id,column,value,reason\r\n";

/// One record of the converted file.
pub(super) fn converted_line<'a>(
    out: &mut Vec<u8>,
    delimiter: u8,
    fields: impl ExactSizeIterator<Item = &'a str>,
) {
    let sole = fields.len() == 1;
    for (index, field) in fields.enumerate() {
        if index > 0 {
            out.push(delimiter);
        }
        // A lone empty field is quoted, or the line would read as blank and be skipped.
        let quote = (sole && field.is_empty())
            || field
                .bytes()
                .any(|b| b == delimiter || matches!(b, b'"' | b'\r' | b'\n'));
        quoted(out, field, quote);
    }
    out.push(b'\n');
}

/// The reject file with its header and no rows yet.
pub(super) fn rejects_start() -> Vec<u8> {
    let mut out = Vec::with_capacity(64 * 1024);
    out.extend_from_slice(UTF8_BOM.as_bytes());
    out.extend_from_slice(REJECTS_HEADER.as_bytes());
    out
}

/// One line of the reject file, each cell clipped to [`clipped`]'s 1,000 characters so one
/// row's line stays small.
pub(super) fn reject_line(out: &mut Vec<u8>, row: u64, cells: [&str; 4]) {
    out.extend_from_slice(row.to_string().as_bytes());
    for cell in cells {
        out.push(b',');
        push_field(out, &clipped(cell));
    }
    out.extend_from_slice(b"\r\n");
}

fn quoted(out: &mut Vec<u8>, field: &str, quote: bool) {
    if quote {
        out.push(b'"');
        for &byte in field.as_bytes() {
            if byte == b'"' {
                out.push(b'"');
            }
            out.push(byte);
        }
        out.push(b'"');
    } else {
        out.extend_from_slice(field.as_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converted_fields_are_quoted_only_when_they_must_be() {
        let mut out = Vec::new();
        converted_line(
            &mut out,
            b';',
            ["a", "b,c", "d;e", "say \"hi\""].into_iter(),
        );
        converted_line(&mut out, b'\t', ["x\ny", "", "tab\there"].into_iter());
        converted_line(&mut out, b',', [""].into_iter());
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "a;b,c;\"d;e\";\"say \"\"hi\"\"\"\n\"x\ny\"\t\t\"tab\there\"\n\"\"\n"
        );
    }

    #[test]
    fn reject_lines_are_neutralised_and_quoted() {
        let mut out = rejects_start();
        reject_line(&mut out, 7, ["=C1", "Mobile", "@SUM(A1)", "a, b"]);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "\u{feff}row_number,user_contact_id,column,value,reason\r\n\
             7,\"'=C1\",\"Mobile\",\"'@SUM(A1)\",\"a, b\"\r\n"
        );
    }

    #[test]
    fn reject_lines_quote_at_most_a_thousand_characters_of_a_value() {
        let mut out = Vec::new();
        reject_line(
            &mut out,
            4,
            ["id", "Notes", &"x".repeat(32_766), "too long"],
        );
        let expected = format!(
            "4,\"id\",\"Notes\",\"{}…\",\"too long\"\r\n",
            "x".repeat(1_000)
        );
        assert_eq!(String::from_utf8(out).unwrap(), expected);
    }
}
