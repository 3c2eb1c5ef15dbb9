//! An XLS workbook stream walked record by record before calamine reads it. calamine reads every
//! sheet the workbook lists at once and lays each out as a grid from its first to its last cell,
//! after reserving room for the cells its DIMENSIONS record declares: two cells in opposite
//! corners ask for 16 million, and a damaged record for billions (an allocation failure that
//! aborts the whole server). Here the same records are read the way calamine reads them, the
//! cells it would lay out are added up over all sheets and bounded by [`MAX_XLS_CELLS`] and by
//! [`XLS_CELLS_PER_BYTE`] per byte of the file. Sheets must not overlap (calamine would read
//! the same records again for each). calamine also copies a shared string (SST) into every
//! LABELSST cell that refers to it, so the strings' lengths are read as calamine reads them
//! (across CONTINUE records), none may pass a cell's 32,767 characters, and the copies over all
//! sheets are bounded by [`MAX_XLS_CELL_TEXT`] and [`XLS_CELL_TEXT_PER_BYTE`] per byte.

use super::limits::{
    Limit, MAX_FIELD_CHARS, MAX_SHEETS, MAX_XLS_CELLS, MAX_XLS_CELL_TEXT, XLS_CELLS_PER_BYTE,
    XLS_CELL_TEXT_PER_BYTE,
};
use super::ParseError;

const EOF: u16 = 0x000A;
const BOF: u16 = 0x0809;
const BOUND_SHEET: u16 = 0x0085;
const FILE_PASS: u16 = 0x002F;
const DIMENSIONS: u16 = 0x0200;
const MUL_RK: u16 = 0x00BD;
const SST: u16 = 0x00FC;
const CONTINUE: u16 = 0x003C;
const LABEL_SST: u16 = 0x00FD;
/// Records calamine reads one cell from, at (row, column) in their first four bytes: Number,
/// Label, RString, BoolErr, Rk, LabelSst and Formula.
const CELLS: [u16; 7] = [0x0203, 0x0204, 0x00D6, 0x0205, 0x027E, 0x00FD, 0x0006];

/// The records from `at` on: (type, data, offset after the record).
fn records(stream: &[u8], mut at: usize) -> impl Iterator<Item = (u16, &[u8], usize)> {
    std::iter::from_fn(move || {
        let header = stream.get(at..at.checked_add(4)?)?;
        let kind = u16::from_le_bytes([header[0], header[1]]);
        let len = usize::from(u16::from_le_bytes([header[2], header[3]]));
        let data = stream.get(at + 4..at + 4 + len)?;
        at += 4 + len;
        Some((kind, data, at))
    })
}

fn u16_at(data: &[u8], at: usize) -> u32 {
    u32::from(u16::from_le_bytes([data[at], data[at + 1]]))
}

fn u32_at(data: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([data[at], data[at + 1], data[at + 2], data[at + 3]])
}

/// Checks the workbook stream of a `file_bytes`-byte file.
pub(super) fn check(stream: &[u8], file_bytes: usize) -> Result<(), ParseError> {
    let mut sheets = Vec::new();
    let mut strings = Vec::new();
    for (kind, data, after) in records(stream, 0) {
        match kind {
            FILE_PASS if data.len() >= 2 && u16_at(data, 0) != 0 => {
                return Err(ParseError::PasswordProtected)
            }
            BOUND_SHEET if data.len() >= 4 => sheets.push(u32_at(data, 0) as usize),
            SST => strings = string_lengths(&continued(stream, data, after)?)?,
            EOF => break,
            _ => {}
        }
    }
    if sheets.len() as u64 > MAX_SHEETS {
        return Err(Limit::Sheets {
            found: sheets.len() as u64,
        }
        .into());
    }
    let allowed = MAX_XLS_CELLS.min(XLS_CELLS_PER_BYTE.saturating_mul(file_bytes as u64));
    let text_allowed =
        MAX_XLS_CELL_TEXT.min(XLS_CELL_TEXT_PER_BYTE.saturating_mul(file_bytes as u64));
    let mut starts = sheets.clone();
    starts.sort_unstable();
    let (mut cells, mut text): (u64, u64) = (0, 0);
    for &start in &sheets {
        let (sheet, sheet_text, end) = sheet_cells(stream, start, &strings)?;
        let next = starts.iter().find(|&&other| other > start).copied();
        let shared = starts.iter().filter(|&&other| other == start).count() > 1;
        if shared || next.is_some_and(|next| end > next) {
            return Err(ParseError::Corrupt(
                "two of its sheets share their records".into(),
            ));
        }
        cells = cells.saturating_add(sheet);
        if cells > allowed {
            return Err(Limit::XlsCells { cells, allowed }.into());
        }
        text = text.saturating_add(sheet_text);
        if text > text_allowed {
            return Err(Limit::XlsCellText {
                chars: text,
                allowed: text_allowed,
            }
            .into());
        }
    }
    Ok(())
}

/// A record's data and that of the CONTINUE records after it (which end at `after`), split as
/// calamine splits them.
fn continued<'s>(
    stream: &'s [u8],
    data: &'s [u8],
    mut at: usize,
) -> Result<Vec<&'s [u8]>, ParseError> {
    let mut pieces = vec![data];
    while stream.len() > at + 4 && u16_at(stream, at) == u32::from(CONTINUE) {
        let len = u16_at(stream, at + 2) as usize;
        let piece = stream
            .get(at + 4..at + 4 + len)
            .ok_or_else(|| cut("a CONTINUE record"))?;
        pieces.push(piece);
        at += 4 + len;
    }
    Ok(pieces)
}

/// A record's data read on across its CONTINUE pieces, as calamine's `Record` reads it.
struct Pieces<'p, 's> {
    data: &'s [u8],
    rest: std::slice::Iter<'p, &'s [u8]>,
}

impl<'s> Pieces<'_, 's> {
    fn next_piece(&mut self) -> bool {
        match self.rest.next() {
            Some(piece) => {
                self.data = piece;
                true
            }
            None => false,
        }
    }

    fn take(&mut self, len: usize) -> Result<&'s [u8], ParseError> {
        let taken = self.data.get(..len).ok_or_else(|| cut("a shared string"))?;
        self.data = &self.data[len..];
        Ok(taken)
    }

    fn skip(&mut self, mut len: usize) -> Result<(), ParseError> {
        while len > 0 {
            if self.data.is_empty() && !self.next_piece() {
                return Err(cut("a shared string"));
            }
            let step = len.min(self.data.len());
            self.data = &self.data[step..];
            len -= step;
        }
        Ok(())
    }
}

/// The length in characters of each string of an SST record (`pieces`: its data, then its
/// CONTINUE records'), read as calamine's `parse_sst` reads them; a string longer than a cell may
/// be is refused.
fn string_lengths(pieces: &[&[u8]]) -> Result<Vec<u16>, ParseError> {
    let first = pieces[0]
        .get(8..)
        .ok_or_else(|| cut("the shared strings"))?;
    let mut r = Pieces {
        data: first,
        rest: pieces[1..].iter(),
    };
    let mut lengths = Vec::new();
    while !r.data.is_empty() || r.next_piece() {
        lengths.push(string_length(&mut r)?);
    }
    Ok(lengths)
}

/// One `XLUnicodeRichExtendedString`'s length, its bytes passed over.
fn string_length(r: &mut Pieces<'_, '_>) -> Result<u16, ParseError> {
    if r.data.is_empty() {
        return Ok(0);
    }
    let head = r.take(3)?;
    let (chars, flags) = (u16::from_le_bytes([head[0], head[1]]), head[2]);
    if usize::from(chars) > MAX_FIELD_CHARS {
        return Err(Limit::XlsString {
            chars: u64::from(chars),
        }
        .into());
    }
    let runs = if flags & 0x8 != 0 {
        u16_at(r.take(2)?, 0) as usize
    } else {
        0
    };
    let extra = if flags & 0x4 != 0 {
        // calamine reads it as an i32 and widens it: a negative size is never found.
        i32::from_le_bytes(r.take(4)?.try_into().unwrap_or([0; 4])) as usize
    } else {
        0
    };
    let (mut left, mut wide) = (usize::from(chars), flags & 0x1 != 0);
    while left > 0 {
        let width = if wide { 2 } else { 1 };
        let here = (r.data.len() / width).min(left);
        r.data = &r.data[here * width..];
        left -= here;
        if left > 0 {
            if !r.next_piece() || r.data.is_empty() {
                return Err(cut("a shared string"));
            }
            wide = r.data[0] & 0x1 != 0;
            r.data = &r.data[1..];
        }
    }
    r.skip(runs * 4)?;
    r.skip(extra)?;
    Ok(chars)
}

fn cut(what: &str) -> ParseError {
    ParseError::Corrupt(format!("{what} ends before its declared length"))
}

/// The cells calamine lays out for the sheet at `start`, the characters of shared strings it
/// copies into them (`strings`: each string's length) and where its records end.
fn sheet_cells(
    stream: &[u8],
    start: usize,
    strings: &[u16],
) -> Result<(u64, u64, usize), ParseError> {
    if start > stream.len() {
        return Err(ParseError::Corrupt(
            "a sheet starts past the end of the workbook".into(),
        ));
    }
    let mut reserved: u64 = 0;
    let mut text: u64 = 0;
    let mut bounds: Option<(u32, u32, u32, u32)> = None;
    let mut cover = |row: u32, first: u32, last: u32| {
        bounds = Some(match bounds {
            None => (row, row, first, last),
            Some((top, bottom, left, right)) => (
                top.min(row),
                bottom.max(row),
                left.min(first),
                right.max(last),
            ),
        });
    };
    let (mut depth, mut seen_bof, mut end) = (0usize, false, start);
    for (kind, data, after) in records(stream, start) {
        end = after;
        match kind {
            BOF if seen_bof => depth += 1,
            BOF => seen_bof = true,
            EOF if depth > 0 => depth -= 1,
            EOF => break,
            _ if depth > 0 => {}
            DIMENSIONS => reserved = reserved.saturating_add(declared(data)),
            MUL_RK if data.len() >= 12 => {
                let count = ((data.len() - 6) / 6) as u32;
                let first = u16_at(data, 2);
                cover(u16_at(data, 0), first, first + count - 1);
            }
            kind if CELLS.contains(&kind) && data.len() >= 4 => {
                cover(u16_at(data, 0), u16_at(data, 2), u16_at(data, 2));
                if kind == LABEL_SST && data.len() >= 10 {
                    let index = u32_at(data, 6) as usize;
                    text += strings.get(index).map_or(0, |&chars| u64::from(chars));
                }
            }
            _ => {}
        }
    }
    let grid = bounds.map_or(0, |(top, bottom, left, right)| {
        u64::from(bottom - top + 1) * u64::from(right - left + 1)
    });
    // One grid for the values, one for the formulas.
    Ok((reserved.saturating_add(grid.saturating_mul(2)), text, end))
}

/// The cells a DIMENSIONS record makes calamine reserve (`parse_dimensions`, then rows × columns
/// with its wrapping arithmetic).
fn declared(data: &[u8]) -> u64 {
    let (first_row, row_end, mut first_column, column_end) = match data.len() {
        10 => (
            u16_at(data, 0),
            u16_at(data, 2),
            u16_at(data, 4),
            u16_at(data, 6),
        ),
        14 | 16 => (
            u32_at(data, 0),
            u32_at(data, 4),
            u16_at(data, 8),
            u16_at(data, 10),
        ),
        _ => return 0,
    };
    if first_column > 0xFF || column_end < first_column {
        first_column = 0;
    }
    let (last_row, last_column) = if row_end >= 1 && column_end >= 1 {
        (row_end - 1, column_end - 1)
    } else {
        (first_row, first_column)
    };
    let rows = u64::from(last_row.wrapping_sub(first_row).wrapping_add(1));
    let columns = u64::from(last_column.wrapping_sub(first_column).wrapping_add(1));
    rows.saturating_mul(columns)
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
