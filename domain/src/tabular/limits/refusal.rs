//! The refusal that names the bound a file passed, in words a person reads: the figures grouped
//! by thousands and spreadsheet columns by their letters.

use std::fmt;

use super::{
    CELL_TEXT_PER_BYTE, MAX_CELL_FORMATS, MAX_COLUMNS, MAX_FIELD_CHARS, MAX_PART_BYTES, MAX_RATIO,
    MAX_ROW_BYTES, MAX_SHEETS, MAX_SHEET_ROWS, MAX_STYLE_BYTES, MAX_UNPACKED_BYTES, MAX_XLS_CELLS,
    MAX_XLS_CELL_TEXT, MAX_XML_TOKEN, MAX_ZIP_ENTRIES, SHARED_STRING_MIN_BYTES, XLS_CELLS_PER_BYTE,
    XLS_CELL_TEXT_PER_BYTE,
};

/// A bound a file passed; shown to the user as it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Limit {
    /// A spreadsheet cell beyond column XFD; `column` counts A as 1.
    Column { row: u64, column: u64 },
    /// A text line with more fields than a sheet has columns.
    Fields { line: u64 },
    /// A spreadsheet row numbered beyond Excel's last.
    Row { row: u64 },
    /// A value longer than a cell can be.
    Field { line: u64, chars: usize },
    /// A row whose text together is longer than [`MAX_ROW_BYTES`].
    RowText { line: u64 },
    /// A zip archive declaring more parts than [`MAX_ZIP_ENTRIES`].
    Entries { found: u64 },
    /// A zip part declaring more than [`MAX_PART_BYTES`] unpacked.
    PartSize { name: String, bytes: u64 },
    /// Zip parts declaring more than [`MAX_UNPACKED_BYTES`] together.
    Unpacked { bytes: u64 },
    /// A zip part unpacking to more than [`MAX_RATIO`] times its packed size.
    Ratio {
        name: String,
        packed: u64,
        bytes: u64,
    },
    /// An XML tag or text longer than [`MAX_XML_TOKEN`].
    XmlToken { name: String },
    /// A shared-string count its part cannot hold.
    SharedStrings {
        name: String,
        declared: u64,
        bytes: u64,
    },
    /// More cell formats than [`MAX_CELL_FORMATS`].
    CellFormats { found: u64 },
    /// Cell formats whose copied texts would pass [`MAX_STYLE_BYTES`].
    Styles { bytes: u64 },
    /// XLS sheets laid out over more cells than `allowed` (see [`MAX_XLS_CELLS`]).
    XlsCells { cells: u64, allowed: u64 },
    /// More sheets than [`MAX_SHEETS`].
    Sheets { found: u64 },
    /// A compound file listing one sector of its allocation table twice.
    FatRepeat { sector: u32 },
    /// A compound file listing more allocation-table sectors than its size needs.
    FatSectors { listed: u64, allowed: u64 },
    /// An XLS shared string longer than a cell can be.
    XlsString { chars: u64 },
    /// XLS cells whose shared strings together pass `allowed` characters (see
    /// [`MAX_XLS_CELL_TEXT`]).
    XlsCellText { chars: u64, allowed: u64 },
    /// Rows whose cell text together passes `allowed` bytes (see
    /// [`MIN_CELL_TEXT_BYTES`](super::MIN_CELL_TEXT_BYTES)).
    CellText { line: u64, allowed: u64 },
}

impl fmt::Display for Limit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Limit::Column { row, column } => write!(
                f,
                "Row {} has a cell in column {} ({}); OCM reads at most {} columns (Excel's \
                 limit, A to XFD).",
                grouped(*row),
                grouped(*column),
                letters(*column),
                grouped(MAX_COLUMNS)
            ),
            Limit::Fields { line } => write!(
                f,
                "Line {} has more than {} fields; OCM reads at most {} columns (Excel's limit).",
                grouped(*line),
                grouped(MAX_COLUMNS),
                grouped(MAX_COLUMNS)
            ),
            Limit::Row { row } => write!(
                f,
                "The sheet has a row numbered {}; OCM reads at most {} rows per sheet (Excel's \
                 limit).",
                grouped(*row),
                grouped(MAX_SHEET_ROWS)
            ),
            Limit::Field { line, chars } => write!(
                f,
                "Row {} has a value of {} characters; OCM reads at most {} characters per value \
                 (Excel's limit for a cell).",
                grouped(*line),
                grouped(*chars as u64),
                grouped(MAX_FIELD_CHARS as u64)
            ),
            Limit::RowText { line } => write!(
                f,
                "Row {} holds more than {} bytes of text; OCM reads at most {} bytes (256 KiB) \
                 per row.",
                grouped(*line),
                grouped(MAX_ROW_BYTES as u64),
                grouped(MAX_ROW_BYTES as u64)
            ),
            Limit::Entries { found } => write!(
                f,
                "The file is an archive of {} parts; OCM reads workbooks of at most {} parts.",
                grouped(*found),
                grouped(MAX_ZIP_ENTRIES)
            ),
            Limit::PartSize { name, bytes } => write!(
                f,
                "The part {name} of the workbook unpacks to {} bytes; OCM unpacks at most {} \
                 bytes (1 GiB) per part.",
                grouped(*bytes),
                grouped(MAX_PART_BYTES)
            ),
            Limit::Unpacked { bytes } => write!(
                f,
                "The workbook unpacks to {} bytes; OCM unpacks at most {} bytes (2 GiB) per file.",
                grouped(*bytes),
                grouped(MAX_UNPACKED_BYTES)
            ),
            Limit::Ratio {
                name,
                packed,
                bytes,
            } => write!(
                f,
                "The part {name} of the workbook unpacks from {} to {} bytes, {} times its size; \
                 OCM unpacks parts of more than 1 MiB at most {} times their size (a larger \
                 ratio is the mark of a compression bomb).",
                grouped(*packed),
                grouped(*bytes),
                grouped(bytes / (*packed).max(1)),
                MAX_RATIO
            ),
            Limit::XmlToken { name } => write!(
                f,
                "The part {name} of the workbook has a tag or a text longer than {} bytes; OCM \
                 reads at most {} bytes (1 MiB) at a time.",
                grouped(MAX_XML_TOKEN),
                grouped(MAX_XML_TOKEN)
            ),
            Limit::SharedStrings {
                name,
                declared,
                bytes,
            } => write!(
                f,
                "The part {name} of the workbook declares {} shared strings in {} bytes; OCM \
                 accepts at most one per {SHARED_STRING_MIN_BYTES} bytes, the least a string \
                 takes.",
                grouped(*declared),
                grouped(*bytes)
            ),
            Limit::CellFormats { found } => write!(
                f,
                "The workbook defines {} cell formats; OCM reads at most {} (Excel allows \
                 65,490).",
                grouped(*found),
                grouped(MAX_CELL_FORMATS)
            ),
            Limit::Styles { bytes } => write!(
                f,
                "The workbook's cell formats would take {} bytes to read; OCM reads at most {} \
                 bytes (16 MiB) of them.",
                grouped(*bytes),
                grouped(MAX_STYLE_BYTES)
            ),
            Limit::XlsCells { cells, allowed } => write!(
                f,
                "The sheets of the XLS workbook span {} cells from their first to their last \
                 cell; OCM reads at most {} for this file ({} per byte of the file, and never \
                 more than {}).",
                grouped(*cells),
                grouped(*allowed),
                XLS_CELLS_PER_BYTE,
                grouped(MAX_XLS_CELLS)
            ),
            Limit::Sheets { found } => write!(
                f,
                "The workbook has {} sheets; OCM reads workbooks of at most {} sheets.",
                grouped(*found),
                grouped(MAX_SHEETS)
            ),
            Limit::FatRepeat { sector } => write!(
                f,
                "The XLS file lists sector {} of its allocation table more than once; OCM reads \
                 each sector of the table at most once (a sector listed again and again is the \
                 mark of a memory bomb).",
                grouped(u64::from(*sector))
            ),
            Limit::FatSectors { listed, allowed } => write!(
                f,
                "The XLS file lists {} sectors of its allocation table; a file of its size needs \
                 at most {}, the most OCM reads.",
                grouped(*listed),
                grouped(*allowed)
            ),
            Limit::XlsString { chars } => write!(
                f,
                "The XLS workbook has a shared string of {} characters; OCM reads at most {} \
                 characters per value (Excel's limit for a cell).",
                grouped(*chars),
                grouped(MAX_FIELD_CHARS as u64)
            ),
            Limit::XlsCellText { chars, allowed } => write!(
                f,
                "The cells of the XLS workbook repeat shared strings to {} characters of text; \
                 OCM reads at most {} for this file ({} per byte of the file, and never more \
                 than {}).",
                grouped(*chars),
                grouped(*allowed),
                XLS_CELL_TEXT_PER_BYTE,
                grouped(MAX_XLS_CELL_TEXT)
            ),
            Limit::CellText { line, allowed } => write!(
                f,
                "By row {} the sheet's cells hold more than {} bytes of text (repeated and shared \
                 values counted each time); OCM reads at most {} bytes of cell text for this \
                 file ({} times its size, at least 64 MiB and never more than 512 MiB).",
                grouped(*line),
                grouped(*allowed),
                grouped(*allowed),
                CELL_TEXT_PER_BYTE
            ),
        }
    }
}

/// `321272406` → `321,272,406`.
fn grouped(number: u64) -> String {
    let digits = number.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// A column's letters: 1 → `A`, 16,384 → `XFD`.
fn letters(mut column: u64) -> String {
    let mut out = Vec::new();
    while column > 0 {
        column -= 1;
        out.push(b'A' + (column % 26) as u8);
        column /= 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_columns_read_as_people_write_them() {
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(16_384), "16,384");
        assert_eq!(grouped(321_272_406), "321,272,406");
        assert_eq!(letters(1), "A");
        assert_eq!(letters(16_384), "XFD");
        assert_eq!(letters(321_272_406), "ZZZZZZ");
    }

    #[test]
    fn refusals_name_the_bound() {
        let column = Limit::Column {
            row: 2,
            column: 321_272_406,
        };
        assert_eq!(
            column.to_string(),
            "Row 2 has a cell in column 321,272,406 (ZZZZZZ); OCM reads at most 16,384 columns \
             (Excel's limit, A to XFD)."
        );
        assert!(Limit::Fields { line: 1 }.to_string().contains("16,384"));
        assert!(Limit::Row { row: 9_999_999 }
            .to_string()
            .contains("1,048,576"));
    }
}
