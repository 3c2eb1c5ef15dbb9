//! Every bound on what reading one uploaded file may allocate, in one place (the refusal that
//! names the bound a file passed is `refusal`). Each is checked before the memory it guards is
//! taken: from a zip's directory and a scan of its parts before calamine opens them, from a
//! compound file's sector chains and records before calamine lays out a sheet, and cell by cell
//! while rows are read. The reasons for each figure are in `docs/decisions.md` ("Bounded file
//! reading").

mod refusal;

use std::borrow::Cow;

pub use refusal::Limit;

/// Excel's widest sheet: column XFD.
pub const MAX_COLUMNS: u64 = 16_384;
/// Excel's longest sheet.
pub const MAX_SHEET_ROWS: u64 = 1_048_576;
/// Excel's most characters in one cell; a CSV field may have no more.
pub const MAX_FIELD_CHARS: usize = 32_767;
/// The text of one row, its fields together (the rows held back to detect a layout are at most
/// 100 of these).
pub const MAX_ROW_BYTES: usize = 256 * 1024;
/// Parts (entries) of a zip archive; a workbook has a few dozen.
pub const MAX_ZIP_ENTRIES: u64 = 10_000;
/// What one part may unpack to.
pub const MAX_PART_BYTES: u64 = 1 << 30;
/// What all parts together may unpack to.
pub const MAX_UNPACKED_BYTES: u64 = 2 << 30;
/// How many times its packed size a part larger than [`RATIO_FREE_BYTES`] may unpack to: real
/// workbooks stay under 20 to 1, deflate bombs reach 1,032 to 1.
pub const MAX_RATIO: u64 = 100;
/// Parts up to this size may unpack at any ratio.
pub const RATIO_FREE_BYTES: u64 = 1 << 20;
/// The longest XML tag or text between tags: the XML reader holds one at a time.
pub const MAX_XML_TOKEN: u64 = 1 << 20;
/// The fewest bytes one shared string takes in the XML (`<si/>`): a declared count above a
/// part's size divided by this cannot be true, and calamine reserves room for it.
pub const SHARED_STRING_MIN_BYTES: u64 = 5;
/// Cell formats (`xf`) of a workbook; Excel allows 65,490.
pub const MAX_CELL_FORMATS: u64 = 65_536;
/// calamine copies a format's font name and number format into each cell format: those copies
/// together may take at most this much.
pub const MAX_STYLE_BYTES: u64 = 16 << 20;
/// Cells calamine lays out for all the sheets of an XLS workbook (each sheet as one grid from its
/// first to its last cell, and again for the room its DIMENSIONS record asks for)…
pub const MAX_XLS_CELLS: u64 = 4 << 20;
/// … and at most this many per byte of the file.
pub const XLS_CELLS_PER_BYTE: u64 = 16;
/// Sheets of a workbook.
pub const MAX_SHEETS: u64 = 1_000;
/// Characters of shared strings calamine copies into the cells (LABELSST records) of an XLS
/// workbook, all sheets together: it holds every copy at once…
pub const MAX_XLS_CELL_TEXT: u64 = 64 << 20;
/// … and at most this many per byte of the file (a LABELSST record takes 14 bytes).
pub const XLS_CELL_TEXT_PER_BYTE: u64 = 32;
/// Bytes of cell text a spreadsheet's rows may hand on (repeated rows and cells and shared
/// strings counted each time they are read, since each becomes text in the converted or reject
/// file): at least this much…
pub const MIN_CELL_TEXT_BYTES: u64 = 64 << 20;
/// … or this many times the file's size…
pub const CELL_TEXT_PER_BYTE: u64 = 20;
/// … and never more than this.
pub const MAX_CELL_TEXT_BYTES: u64 = 512 << 20;
/// Characters of a value quoted in a reject line; longer values end in `…`.
pub const MAX_QUOTED_CHARS: usize = 1_000;

/// The cell text a spreadsheet of `file_bytes` may hand on (see [`MIN_CELL_TEXT_BYTES`]).
pub fn cell_text_allowed(file_bytes: u64) -> u64 {
    CELL_TEXT_PER_BYTE
        .saturating_mul(file_bytes)
        .clamp(MIN_CELL_TEXT_BYTES, MAX_CELL_TEXT_BYTES)
}

/// `text` as a reject line quotes it: at most [`MAX_QUOTED_CHARS`] characters, then `…`.
pub fn clipped(text: &str) -> Cow<'_, str> {
    match text.char_indices().nth(MAX_QUOTED_CHARS) {
        None => Cow::Borrowed(text),
        Some((at, _)) => Cow::Owned(format!("{}…", &text[..at])),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_text_allowed_grows_with_the_file_within_its_bounds() {
        assert_eq!(cell_text_allowed(0), MIN_CELL_TEXT_BYTES);
        assert_eq!(cell_text_allowed(10 << 20), 200 << 20);
        assert_eq!(cell_text_allowed(1 << 40), MAX_CELL_TEXT_BYTES);
    }

    #[test]
    fn quoted_values_are_clipped_to_a_thousand_characters() {
        assert_eq!(clipped("short"), "short");
        let exact = "é".repeat(MAX_QUOTED_CHARS);
        assert_eq!(clipped(&exact), exact);
        let long = "é".repeat(40_000);
        let quoted = clipped(&long);
        assert_eq!(quoted.chars().count(), MAX_QUOTED_CHARS + 1);
        assert!(quoted.ends_with("é…"));
    }
}
