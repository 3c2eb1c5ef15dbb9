//! An XLS workbook stream walked record by record before calamine reads it. calamine reads every
//! sheet the workbook lists at once and lays each out as a grid from its first to its last cell,
//! after reserving room for the cells its DIMENSIONS record declares: two cells in opposite
//! corners ask for 16 million, and a damaged record for billions (an allocation failure that
//! aborts the whole server). Here the same records are read the way calamine reads them, the
//! cells it would lay out are added up over all sheets and bounded by [`MAX_XLS_CELLS`] and by
//! [`XLS_CELLS_PER_BYTE`] per byte of the file. Sheets must not overlap (calamine would read
//! the same records again for each).

use super::limits::{Limit, MAX_SHEETS, MAX_XLS_CELLS, XLS_CELLS_PER_BYTE};
use super::ParseError;

const EOF: u16 = 0x000A;
const BOF: u16 = 0x0809;
const BOUND_SHEET: u16 = 0x0085;
const FILE_PASS: u16 = 0x002F;
const DIMENSIONS: u16 = 0x0200;
const MUL_RK: u16 = 0x00BD;
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
    for (kind, data, _) in records(stream, 0) {
        match kind {
            FILE_PASS if data.len() >= 2 && u16_at(data, 0) != 0 => {
                return Err(ParseError::PasswordProtected)
            }
            BOUND_SHEET if data.len() >= 4 => sheets.push(u32_at(data, 0) as usize),
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
    let mut starts = sheets.clone();
    starts.sort_unstable();
    let mut cells: u64 = 0;
    for &start in &sheets {
        let (sheet, end) = sheet_cells(stream, start)?;
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
    }
    Ok(())
}

/// The cells calamine lays out for the sheet at `start`, and where its records end.
fn sheet_cells(stream: &[u8], start: usize) -> Result<(u64, usize), ParseError> {
    if start > stream.len() {
        return Err(ParseError::Corrupt(
            "a sheet starts past the end of the workbook".into(),
        ));
    }
    let mut reserved: u64 = 0;
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
            }
            _ => {}
        }
    }
    let grid = bounds.map_or(0, |(top, bottom, left, right)| {
        u64::from(bottom - top + 1) * u64::from(right - left + 1)
    });
    // One grid for the values, one for the formulas.
    Ok((reserved.saturating_add(grid.saturating_mul(2)), end))
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
