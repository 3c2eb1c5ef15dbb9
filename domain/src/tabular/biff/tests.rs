//! XLS workbook streams built record by record: cell grids, DIMENSIONS declarations and shared
//! strings within and past their bounds.

use super::*;
use crate::tabular::limits::MAX_FIELD_CHARS;

fn record(kind: u16, data: &[u8]) -> Vec<u8> {
    let mut out = kind.to_le_bytes().to_vec();
    out.extend((data.len() as u16).to_le_bytes());
    out.extend(data);
    out
}

fn dimensions(first_row: u32, row_end: u32, first_column: u16, column_end: u16) -> Vec<u8> {
    let mut data = first_row.to_le_bytes().to_vec();
    data.extend(row_end.to_le_bytes());
    data.extend(first_column.to_le_bytes());
    data.extend(column_end.to_le_bytes());
    data.extend([0, 0]);
    record(DIMENSIONS, &data)
}

fn number(row: u16, column: u16) -> Vec<u8> {
    let mut data = row.to_le_bytes().to_vec();
    data.extend(column.to_le_bytes());
    data.extend([0; 10]);
    record(0x0203, &data)
}

/// Globals listing one sheet, then the sheet's records.
fn workbook(sheet: &[Vec<u8>]) -> Vec<u8> {
    let bof = record(BOF, &[0; 16]);
    // The globals: BOF, this 13-byte BoundSheet record and EOF.
    let sheet_at = (bof.len() + 13 + 4) as u32;
    let mut stream = bof.clone();
    let bound = [&sheet_at.to_le_bytes()[..], &[0, 0, 1, 0, b'S']].concat();
    stream.extend(record(BOUND_SHEET, &bound));
    stream.extend(record(EOF, &[]));
    stream.extend(bof);
    for part in sheet {
        stream.extend(part);
    }
    stream.extend(record(EOF, &[]));
    stream
}

#[test]
fn small_sheets_pass() {
    let stream = workbook(&[dimensions(0, 3, 0, 2), number(0, 0), number(2, 1)]);
    assert_eq!(check(&stream, 5_000), Ok(()));
}

#[test]
fn far_apart_cells_and_large_declarations_are_refused() {
    let corners = workbook(&[number(0, 0), number(65_535, 255)]);
    let refused = check(&corners, 1 << 20).unwrap_err();
    let cells = 2 * 65_536 * 256;
    assert_eq!(
        refused,
        Limit::XlsCells {
            cells,
            allowed: MAX_XLS_CELLS
        }
        .into()
    );
    let declared = workbook(&[dimensions(0, 4_000_000, 0, 2)]);
    assert!(matches!(
        check(&declared, 1 << 30),
        Err(ParseError::Limit(_))
    ));
    let backwards = workbook(&[dimensions(9, 3, 0, 2)]);
    assert!(matches!(
        check(&backwards, 1 << 30),
        Err(ParseError::Limit(_))
    ));
}

/// An SST record's data: the counts, then each string as 8-bit characters.
fn sst(strings: &[&str]) -> Vec<u8> {
    let mut data = [(strings.len() as u32).to_le_bytes(); 2].concat();
    for text in strings {
        data.extend((text.len() as u16).to_le_bytes());
        data.push(0);
        data.extend(text.as_bytes());
    }
    data
}

fn label_sst(row: u16, index: u32) -> Vec<u8> {
    let data = [&row.to_le_bytes()[..], &[0, 0, 0, 0], &index.to_le_bytes()];
    record(LABEL_SST, &data.concat())
}

/// Globals holding `globals` records and listing one sheet, then the sheet's records.
fn workbook_with(globals: &[Vec<u8>], sheet: &[Vec<u8>]) -> Vec<u8> {
    let bof = record(BOF, &[0; 16]);
    let extra: usize = globals.iter().map(Vec::len).sum();
    let sheet_at = (bof.len() + extra + 13 + 4) as u32;
    let mut stream = bof.clone();
    globals.iter().for_each(|part| stream.extend(part));
    let bound = [&sheet_at.to_le_bytes()[..], &[0, 0, 1, 0, b'S']].concat();
    stream.extend(record(BOUND_SHEET, &bound));
    stream.extend(record(EOF, &[]));
    stream.extend(bof);
    sheet.iter().for_each(|part| stream.extend(part));
    stream.extend(record(EOF, &[]));
    stream
}

#[test]
fn shared_strings_copied_into_many_cells_are_refused() {
    let long = "x".repeat(20_000);
    let strings = record(SST, &sst(&["phone", &long]));
    let mut cells = vec![label_sst(0, 0)];
    cells.extend((1..=1_000).map(|row| label_sst(row, 1)));
    let stream = workbook_with(std::slice::from_ref(&strings), &cells);
    let refused = check(&stream, 200_000).unwrap_err();
    let expected = Limit::XlsCellText {
        chars: 5 + 1_000 * 20_000,
        allowed: 200_000 * XLS_CELL_TEXT_PER_BYTE,
    };
    assert_eq!(refused, expected.into());
    assert!(refused.to_string().contains("repeat shared strings"));
    // The same strings in a few cells are read.
    let few = workbook_with(&[strings], &cells[..10]);
    assert_eq!(check(&few, 200_000), Ok(()));
}

#[test]
fn shared_strings_longer_than_a_cell_are_refused() {
    let long = "x".repeat(MAX_FIELD_CHARS + 1);
    let stream = workbook_with(&[record(SST, &sst(&[&long]))], &[label_sst(0, 0)]);
    assert_eq!(
        check(&stream, 1 << 20),
        Err(Limit::XlsString { chars: 32_768 }.into())
    );
}

#[test]
fn shared_string_lengths_follow_continue_records() {
    // 10,000 characters: 5,000 narrow in the SST record, 5,000 wide in a CONTINUE record,
    // which then holds the string "c" with rich-text runs.
    let mut first = [2u32.to_le_bytes(); 2].concat();
    first.extend(10_000u16.to_le_bytes());
    first.push(0);
    first.extend([b'a'; 5_000]);
    let mut second = vec![1];
    second.extend([b'b', 0].repeat(5_000));
    second.extend([1, 0, 0x8, 1, 0, b'c', 0, 0, 0, 0]);
    assert_eq!(string_lengths(&[&first, &second]), Ok(vec![10_000, 1]));
    let stream = [record(SST, &first), record(CONTINUE, &second)].concat();
    let pieces = continued(&stream, &first, 4 + first.len()).unwrap();
    assert_eq!(pieces, vec![&first[..], &second[..]]);
    // Cut short: the string's second half is missing.
    assert!(matches!(
        string_lengths(&[&first]),
        Err(ParseError::Corrupt(_))
    ));
}

#[test]
fn small_files_get_fewer_cells() {
    let stream = workbook(&[number(0, 0), number(999, 9)]);
    let refused = check(&stream, 1_000).unwrap_err();
    let allowed = 1_000 * XLS_CELLS_PER_BYTE;
    assert_eq!(
        refused,
        Limit::XlsCells {
            cells: 20_000,
            allowed
        }
        .into()
    );
}
