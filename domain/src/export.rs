//! Spreadsheet-safe CSV and XLSX, the one place every file OCM writes for people goes through.
//! CSV is for machines and re-upload: values raw (phone numbers keep their `+`), every field
//! quoted, and a cell a spreadsheet could run as a formula, anywhere a locale may split it, gets a
//! leading `'`. XLSX is for people: text cells stay text (risky ones quote-prefixed), phone
//! numbers are never turned into numbers, and a cell past Excel's limit is cut with a visible
//! ending. A UTF-8 BOM makes Excel read CSV text correctly.

use std::borrow::Cow;

/// The byte-order mark Excel needs to read UTF-8 CSV.
pub const UTF8_BOM: &str = "\u{feff}";

/// Characters a spreadsheet starts a formula with (OWASP's CSV injection list), and their
/// full-width forms, which some spreadsheets fold into them.
const TRIGGERS: [char; 8] = [
    '=', '+', '-', '@', '\u{FF1D}', '\u{FF0B}', '\u{FF0D}', '\u{FF20}',
];

/// What a spreadsheet may skip before it looks for a formula sign.
fn skipped(c: char) -> bool {
    c.is_whitespace() || c.is_control() || c == '"'
}

/// Characters that split a line into cells in some locale or program (`,` and `;` are list
/// separators, tab and line breaks end a cell), so what follows them may be read as a cell.
const CELL_BREAKS: [char; 5] = [',', ';', '\t', '\r', '\n'];

/// True when a spreadsheet could run this part of a cell as a formula: after spaces (and a stray
/// quote) it begins with `=`, `+`, `-` or `@`; a signed run of digits (an E.164 phone number, a
/// negative count) carries no formula.
fn part_risky(part: &str) -> bool {
    let part = part.trim_start_matches(skipped);
    let signed_number = part.starts_with(['+', '-'])
        && part.len() > 1
        && part[1..].bytes().all(|b| b.is_ascii_digit());
    part.starts_with(TRIGGERS) && !signed_number
}

/// True when a spreadsheet could run `value`, or a part of it after a cell break, as a formula,
/// or the cell begins with a tab or carriage return.
pub fn risky(value: &str) -> bool {
    value.starts_with(['\t', '\r']) || value.split(CELL_BREAKS).any(part_risky)
}

/// The cell as OCM writes it into any CSV: every risky part gets a leading `'` (spreadsheets
/// show it as text, machines can strip it), so no split of the cell in any locale starts a
/// formula. Other cells are unchanged (phone numbers keep their `+`).
pub fn neutralise_cell(value: &str) -> Cow<'_, str> {
    if !risky(value) {
        return value.into();
    }
    let mut out = String::with_capacity(value.len() + 4);
    if value.starts_with(['\t', '\r']) {
        out.push('\'');
    }
    let mut rest = value;
    loop {
        let end = rest.find(CELL_BREAKS).unwrap_or(rest.len());
        let part = &rest[..end];
        if part_risky(part) {
            let lead = part.len() - part.trim_start_matches(skipped).len();
            out.push_str(&part[..lead]);
            out.push('\'');
            out.push_str(&part[lead..]);
        } else {
            out.push_str(part);
        }
        let Some(cell_break) = rest[end..].chars().next() else {
            break;
        };
        out.push(cell_break);
        rest = &rest[end + cell_break.len_utf8()..];
    }
    out.into()
}

/// Appends one CSV field: neutralised and always quoted, so no locale's list separator inside it
/// can start a new cell.
pub fn push_field(out: &mut Vec<u8>, value: &str) {
    out.push(b'"');
    for byte in neutralise_cell(value).bytes() {
        if byte == b'"' {
            out.push(b'"');
        }
        out.push(byte);
    }
    out.push(b'"');
}

/// Writes one CSV record (every cell neutralised and quoted, CRLF) into a byte buffer.
pub fn write_record<I, S>(buffer: &mut Vec<u8>, cells: I) -> Result<(), csv::Error>
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    for (index, cell) in cells.into_iter().enumerate() {
        if index > 0 {
            buffer.push(b',');
        }
        push_field(buffer, cell.as_ref());
    }
    buffer.extend_from_slice(b"\r\n");
    Ok(())
}

/// A machine file (such as the converted file POM imports, raw by design) made safe to hand to a
/// person: read with its delimiter, written back as OCM's CSV (BOM, every cell neutralised and
/// quoted, CRLF).
pub fn for_people(bytes: &[u8], delimiter: u8) -> Result<Vec<u8>, csv::Error> {
    let bytes = bytes.strip_prefix(UTF8_BOM.as_bytes()).unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(bytes);
    let mut out = Vec::with_capacity(bytes.len() + bytes.len() / 4 + UTF8_BOM.len());
    out.extend_from_slice(UTF8_BOM.as_bytes());
    let mut record = csv::ByteRecord::new();
    while reader.read_byte_record(&mut record)? {
        let cells = record.iter().map(String::from_utf8_lossy);
        write_record(&mut out, cells)?;
    }
    Ok(out)
}

/// Excel's limit on the text of one cell, in UTF-16 code units (`rust_xlsxwriter` refuses a
/// longer one, failing the whole workbook).
pub const MAX_XLSX_CELL: usize = 32_767;

/// `cell` as it fits one workbook cell: past [`MAX_XLSX_CELL`] it keeps what fits and ends with
/// "…[cut: N characters]", so one long value (a planted filter, a user agent) cannot fail the
/// workbook and the reader sees that text is missing. Whole characters are kept, so a surrogate
/// pair is never split.
pub fn fit_xlsx_cell(cell: &str) -> Cow<'_, str> {
    // A character takes at least as many UTF-8 bytes as UTF-16 units: short text needs no count.
    if cell.len() <= MAX_XLSX_CELL || cell.encode_utf16().count() <= MAX_XLSX_CELL {
        return cell.into();
    }
    let total = cell.chars().count();
    // The ending is longest when every character is left out; the rest of the cell is the room.
    let room = MAX_XLSX_CELL - utf16_len(&cut_ending(total));
    let (mut used, mut kept, mut end) = (0, 0, 0);
    for (index, c) in cell.char_indices() {
        if used + c.len_utf16() > room {
            break;
        }
        used += c.len_utf16();
        kept += 1;
        end = index + c.len_utf8();
    }
    format!("{}{}", &cell[..end], cut_ending(total - kept)).into()
}

fn utf16_len(text: &str) -> usize {
    text.encode_utf16().count()
}

/// What a cut cell ends with: how many characters it leaves out.
fn cut_ending(left_out: usize) -> String {
    format!("…[cut: {left_out} characters]")
}

/// A one-sheet workbook: a bold header row, then the rows. Whole numbers and decimals without a
/// leading zero become numbers (so they sum); everything else is text (a workbook's strings are
/// never evaluated as formulas). A cell past Excel's limit is cut ([`fit_xlsx_cell`]).
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
    let mut book = SheetWriter::new(sheet, header, &[], numbers)?;
    for row in rows {
        book.push(&row)?;
    }
    let mut bytes = Vec::new();
    book.save(&mut bytes)?;
    Ok(bytes)
}

pub mod lines;
mod sheet;

pub use sheet::{SheetWriter, SHEET_ROWS};

#[cfg(test)]
mod tests;
