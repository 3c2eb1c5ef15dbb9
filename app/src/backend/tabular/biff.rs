//! A look at an XLS file's raw bytes before calamine opens it. calamine reserves room for every
//! cell a sheet's DIMENSIONS record declares, and a damaged record can declare billions: failing
//! to allocate that aborts the whole server instead of returning an error. An XLS sheet has at
//! most 65,536 rows and 256 columns, so a larger declaration is refused first. The records are
//! found by their header bytes anywhere in the file, which needs no compound-file reader; a
//! chance match elsewhere in the data can only make a file refused, never crash the server.

/// BIFF8's sheet limits.
const MAX_ROWS: u32 = 65_536;
const MAX_COLUMNS: u32 = 256;
/// Record type 0x0200, little-endian.
const DIMENSIONS: [u8; 2] = [0x00, 0x02];

/// Whether any DIMENSIONS record declares a sheet larger than the format allows.
pub(super) fn declares_too_much(bytes: &[u8]) -> bool {
    (0..bytes.len().saturating_sub(4)).any(|at| {
        let length = usize::from(u16::from_le_bytes([bytes[at + 2], bytes[at + 3]]));
        bytes[at..at + 2] == DIMENSIONS
            && matches!(length, 10 | 14 | 16)
            && bytes.get(at + 4..at + 4 + length).is_some_and(impossible)
    })
}

/// The record's size, read the way calamine reads it (`parse_dimensions`).
fn impossible(data: &[u8]) -> bool {
    let u16_at = |at: usize| u32::from(u16::from_le_bytes([data[at], data[at + 1]]));
    let u32_at =
        |at: usize| u32::from_le_bytes([data[at], data[at + 1], data[at + 2], data[at + 3]]);
    let (first_row, row_end, first_column, column_end) = if data.len() == 10 {
        (u16_at(0), u16_at(2), u16_at(4), u16_at(6))
    } else {
        (u32_at(0), u32_at(4), u16_at(8), u16_at(10))
    };
    let first_column = if first_column > 0xFF || column_end < first_column {
        0
    } else {
        first_column
    };
    if row_end == 0 || column_end == 0 {
        return false;
    }
    let (last_row, last_column) = (row_end - 1, column_end - 1);
    last_row < first_row
        || last_column < first_column
        || last_row - first_row >= MAX_ROWS
        || last_column - first_column >= MAX_COLUMNS
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(first_row: u32, row_end: u32, first_column: u16, column_end: u16) -> Vec<u8> {
        let mut bytes = b"junk".to_vec();
        bytes.extend([0x00, 0x02, 14, 0]);
        bytes.extend(first_row.to_le_bytes());
        bytes.extend(row_end.to_le_bytes());
        bytes.extend(first_column.to_le_bytes());
        bytes.extend(column_end.to_le_bytes());
        bytes.extend([0, 0, 1, 2]);
        bytes
    }

    #[test]
    fn sheets_within_the_format_pass() {
        assert!(!declares_too_much(&record(0, 3, 0, 2)));
        assert!(!declares_too_much(&record(0, 65_536, 0, 256)));
        assert!(!declares_too_much(&record(0, 0, 0, 0)));
        assert!(!declares_too_much(b"no records at all"));
    }

    #[test]
    fn impossible_sizes_are_caught() {
        assert!(declares_too_much(&record(0, 4_000_000, 0, 2)));
        assert!(declares_too_much(&record(0, 10, 0, 60_000)));
        assert!(declares_too_much(&record(9, 3, 0, 2)));
        let mut short = vec![0x00, 0x02, 10, 0];
        short.extend([0, 0, 0xFF, 0xFF, 0, 0, 0xFF, 0xFF, 0, 0]);
        assert!(declares_too_much(&short));
    }
}
