//! Reading an uploaded DNC file and its pre-flight, as pure functions of the bytes: the file type
//! by content (`kind`), text encodings (`decode`) and delimiters (`delimiter`) for CSV/TXT
//! (`text`), spreadsheets through calamine (`sheet`, with `biff` guarding it from damaged XLS
//! files), which column and whether a header
//! (`columns`), checking and normalising each value (`phone`, `normalise`), and the counts,
//! sample, unique values and reject file (`scan`, `unique`). Rows are streamed: only the unique
//! values, the counts and the reject file are kept, so a million-row file stays small in memory.

mod biff;
mod columns;
mod decode;
mod delimiter;
mod kind;
mod normalise;
mod phone;
mod scan;
mod sheet;
mod text;
mod unique;

#[cfg(test)]
mod tests;

pub use normalise::{normalise_address, normalise_contact_id, normalise_email};
pub use phone::normalise_phone;

use crate::model::SampleRow;
use kind::Kind;
use scan::Scanner;

/// What the values in the file are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// Phone numbers and/or e-mail addresses for a DNC list.
    Address,
    /// POM user contact ids to mark uncallable.
    ContactId,
}

/// How phone numbers are normalised and checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NumberRules {
    /// Digits only, e.g. `44`: national numbers (leading 0, or no prefix at all) get it.
    pub default_country_code: Option<String>,
    /// Digits after the `+`, country code included.
    pub min_digits: usize,
    pub max_digits: usize,
}

impl Default for NumberRules {
    fn default() -> Self {
        NumberRules {
            default_country_code: None,
            min_digits: 8,
            max_digits: 15,
        }
    }
}

/// The user's choices; `None` means detected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseOptions {
    /// `,` `;` tab or `|` for text files.
    pub delimiter: Option<u8>,
    /// The sheet's name, for spreadsheets; otherwise the first sheet.
    pub sheet: Option<String>,
    /// 0-based column.
    pub column: Option<usize>,
    /// The most data rows a file may have.
    pub max_rows: u64,
}

/// A file after pre-flight: what was read, the counts, and what would be sent.
#[derive(Debug, Clone, PartialEq)]
pub struct Preflight {
    /// e.g. `CSV (UTF-8 with BOM, delimiter ';')`, `Text (Windows-1252, delimiter tab)`, `XLSX`.
    pub format: String,
    /// The delimiter used, for text files.
    pub delimiter: Option<u8>,
    /// The workbook's worksheets, for spreadsheets.
    pub sheets: Vec<String>,
    /// The sheet read, for spreadsheets.
    pub sheet: Option<String>,
    /// Header names, or `Column 1`, `Column 2`, … where there is no header.
    pub columns: Vec<String>,
    /// The column read (0-based).
    pub column: usize,
    pub has_header: bool,
    /// Data rows, the header and blank lines not included.
    pub rows: u64,
    /// Rows with nothing in the column.
    pub empty: u64,
    /// Rows whose value (after normalisation) appeared on an earlier row.
    pub duplicates: u64,
    /// Invalid rows by reason (one stable text per kind of problem), most frequent first.
    pub invalid: Vec<(String, u64)>,
    /// Unique normalised values in file order.
    pub valid: Vec<String>,
    /// The first data rows as read and as they would be sent.
    pub sample: Vec<SampleRow>,
    /// `row_number,original_value,reason` for every invalid, duplicate or empty row (UTF-8 with
    /// BOM, CRLF, cells neutralised against formulas).
    pub rejects_csv: Vec<u8>,
}

/// Why a file cannot be read. The messages are shown to the user as they are.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    #[error(
        "The file is neither text (CSV or TXT) nor a spreadsheet: it holds binary data. Save it \
         as CSV (UTF-8) or as an Excel workbook and upload it again."
    )]
    NotText,
    #[error("The file has no rows. Check that you chose the right file.")]
    Empty,
    #[error(
        "The workbook is password-protected. Remove the password in Excel (File, Info, Protect \
         Workbook) or save it as CSV, then upload it again."
    )]
    PasswordProtected,
    #[error(
        "The spreadsheet cannot be read ({0}). Open it in Excel or LibreOffice, save it again (or \
         save it as CSV) and upload it again."
    )]
    Corrupt(String),
    #[error("The workbook has no sheet named \"{0}\". Choose one of its sheets.")]
    NoSuchSheet(String),
    #[error("The file has more than {0} rows, the most one upload may have. Split it into smaller files.")]
    TooManyRows(u64),
    #[error("The file has no column {}. Choose one of its columns.", .0 + 1)]
    NoSuchColumn(usize),
}

/// Reads the file and checks every row of the chosen (or detected) column.
pub fn preflight(
    file_name: &str,
    bytes: &[u8],
    options: &ParseOptions,
    target: Target,
    rules: &NumberRules,
) -> Result<Preflight, ParseError> {
    let mut scanner = Scanner::new(target, rules, options.column, options.max_rows);
    let (format, delimiter, sheets, sheet) = match kind::of(bytes)? {
        Kind::Text => {
            let read = text::scan(file_name, bytes, options.delimiter, &mut scanner)?;
            (read.format, Some(read.delimiter), Vec::new(), None)
        }
        Kind::Book(book) => {
            let read = sheet::scan(book, bytes, options.sheet.as_deref(), &mut scanner)?;
            (
                book.label().to_string(),
                None,
                read.sheets,
                Some(read.sheet),
            )
        }
    };
    let preflight = scanner.finish(format, delimiter, sheets, sheet)?;
    // An empty sheet is not the end when the workbook has others to choose from.
    if preflight.columns.is_empty() && preflight.sheets.len() < 2 {
        return Err(ParseError::Empty);
    }
    Ok(preflight)
}
