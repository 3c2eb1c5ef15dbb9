//! Spreadsheet-safe CSV: cells that Excel or LibreOffice would run as formulas are neutralised,
//! and a UTF-8 BOM makes Excel read the text encoding correctly.

/// The byte-order mark Excel needs to read UTF-8 CSV.
pub const UTF8_BOM: &str = "\u{feff}";

/// Prefixes a quote to cells that a spreadsheet would treat as a formula (`=`, `+`, `-`, `@`, tab,
/// carriage return), per OWASP's CSV injection guidance. Other cells are unchanged.
pub fn neutralise_cell(value: &str) -> String {
    match value.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{value}"),
        _ => value.to_string(),
    }
}

/// Writes one CSV record (all cells neutralised) into a byte buffer.
pub fn write_record<I, S>(buffer: &mut Vec<u8>, cells: I) -> Result<(), csv::Error>
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    let mut writer = csv::WriterBuilder::new()
        .has_headers(false)
        .terminator(csv::Terminator::CRLF)
        .from_writer(buffer);
    writer.write_record(cells.into_iter().map(|c| neutralise_cell(c.as_ref())))?;
    writer.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_neutralised() {
        for dangerous in ["=1+1", "+44 20", "-2", "@SUM(A1)", "\tx", "\rx"] {
            assert!(
                neutralise_cell(dangerous).starts_with('\''),
                "{dangerous:?}"
            );
        }
        assert_eq!(neutralise_cell("plain"), "plain");
        assert_eq!(neutralise_cell(""), "");
    }

    #[test]
    fn records_are_quoted_and_crlf_terminated() {
        let mut buffer = Vec::new();
        write_record(&mut buffer, ["a,b", "=cmd|' /C calc'!A0", "line\nbreak"]).unwrap();
        let text = String::from_utf8(buffer).unwrap();
        assert_eq!(text, "\"a,b\",'=cmd|' /C calc'!A0,\"line\nbreak\"\r\n");
    }
}
