//! Spreadsheet-safe CSV and XLSX: cells that Excel or LibreOffice would run as formulas are neutralised,
//! and a UTF-8 BOM makes Excel read the text encoding correctly.

/// The byte-order mark Excel needs to read UTF-8 CSV.
pub const UTF8_BOM: &str = "\u{feff}";

/// Prefixes a quote to cells that a spreadsheet would treat as a formula (`=`, `+`, `-`, `@`, tab,
/// carriage return), per OWASP's CSV injection guidance. Other cells are unchanged.
pub fn neutralise_cell(value: &str) -> String {
    // A signed run of digits (an E.164 phone number, a negative count) carries no formula.
    let signed_number = value.len() > 1
        && matches!(value.as_bytes()[0], b'+' | b'-')
        && value.bytes().skip(1).all(|b| b.is_ascii_digit());
    if signed_number {
        return value.to_string();
    }
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

/// A one-sheet workbook: a bold header row, then the rows. Whole numbers and decimals without a
/// leading zero become numbers (so they sum); everything else is text (a workbook's strings are
/// never evaluated as formulas).
pub fn xlsx<I>(sheet: &str, header: &[&str], rows: I) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError>
where
    I: IntoIterator<Item = Vec<String>>,
{
    workbook(sheet, header, rows, true)
}

/// Like [`xlsx`], but every cell is text: phone numbers keep their `+` and leading zeros.
pub fn xlsx_text<I>(
    sheet: &str,
    header: &[&str],
    rows: I,
) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError>
where
    I: IntoIterator<Item = Vec<String>>,
{
    workbook(sheet, header, rows, false)
}

fn workbook<I>(
    sheet: &str,
    header: &[&str],
    rows: I,
    numbers: bool,
) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError>
where
    I: IntoIterator<Item = Vec<String>>,
{
    use rust_xlsxwriter::{Format, Workbook};
    let mut workbook = Workbook::new();
    let worksheet = workbook.add_worksheet();
    worksheet.set_name(sheet)?;
    let bold = Format::new().set_bold();
    for (column, title) in header.iter().enumerate() {
        worksheet.write_string_with_format(0, column as u16, *title, &bold)?;
    }
    for (index, row) in rows.into_iter().enumerate() {
        let line = index as u32 + 1;
        for (column, cell) in row.iter().enumerate() {
            let numeric = !cell.starts_with('0') || cell == "0" || cell.starts_with("0.");
            match cell.parse::<f64>() {
                Ok(number)
                    if numbers && numeric && number.is_finite() && !cell.contains(['e', 'E']) =>
                {
                    worksheet.write_number(line, column as u16, number)?;
                }
                // Strings in a workbook are never evaluated: written as they are.
                _ => {
                    worksheet.write_string(line, column as u16, cell)?;
                }
            }
        }
    }
    worksheet.set_freeze_panes(1, 0)?;
    workbook.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_neutralised() {
        for dangerous in ["=1+1", "+44 20", "-2+3", "@SUM(A1)", "\tx", "\rx"] {
            assert!(
                neutralise_cell(dangerous).starts_with('\''),
                "{dangerous:?}"
            );
        }
        assert_eq!(neutralise_cell("plain"), "plain");
        assert_eq!(
            neutralise_cell("+447700900001"),
            "+447700900001",
            "phone numbers stay"
        );
        assert_eq!(neutralise_cell("-12"), "-12");
        assert!(neutralise_cell("+1+cmd").starts_with('\''));
        assert_eq!(neutralise_cell(""), "");
    }

    #[test]
    fn workbooks_are_zip_files_with_the_sheet() {
        let bytes = xlsx(
            "Runs",
            &["id", "name"],
            vec![vec!["7".into(), "=HYPERLINK()".into()]],
        )
        .unwrap();
        assert_eq!(&bytes[..2], b"PK");
    }

    #[test]
    fn records_are_quoted_and_crlf_terminated() {
        let mut buffer = Vec::new();
        write_record(&mut buffer, ["a,b", "=cmd|' /C calc'!A0", "line\nbreak"]).unwrap();
        let text = String::from_utf8(buffer).unwrap();
        assert_eq!(text, "\"a,b\",'=cmd|' /C calc'!A0,\"line\nbreak\"\r\n");
    }
}
