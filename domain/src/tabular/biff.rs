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

mod shared_strings;

use super::limits::{
    Limit, MAX_SHEETS, MAX_XLS_CELLS, MAX_XLS_CELL_TEXT, XLS_CELLS_PER_BYTE, XLS_CELL_TEXT_PER_BYTE,
};
use super::ParseError;
use shared_strings::{continued, string_lengths};

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
mod tests;
