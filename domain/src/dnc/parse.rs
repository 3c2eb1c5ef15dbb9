//! An uploaded DNC file's pre-flight, as pure functions of the bytes: the file is read by
//! `backend::tabular` (file type, encodings, delimiters, spreadsheets); here are which column and
//! whether a header (`columns`), checking and normalising each value (`normalise`, with
//! `backend::phone`; also used by the contact uploads), and the counts, warnings, sample, unique
//! values and reject file (`scan`).
//! Rows are streamed: only the unique values, the counts and the reject file are kept, so a
//! million-row file stays small in memory.

mod columns;
mod normalise;
mod scan;

#[cfg(test)]
mod tests;

pub use crate::erasure::tombstone::Suppression;
pub use crate::phone::PhoneRules;
pub use crate::tabular::ParseError;
pub use normalise::{
    check_contact_id, normalise_address, normalise_contact_id, normalise_email, valid_email,
    Checked, Problem,
};

use crate::model::SampleRow;
use crate::tabular::{self, Cancel, DateCells, ReadOptions};
use scan::Scanner;

/// What the values in the file are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// Phone numbers and/or e-mail addresses for a DNC list.
    Address,
    /// POM user contact ids to mark uncallable.
    ContactId,
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
    /// Stops the reading (shutdown).
    pub cancel: Cancel,
    /// Values of people erased on request: refused (`erasure::tombstone`).
    pub erased: Suppression,
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
    /// Valid phone numbers that deserve a look, by warning (`not a valid US number`), most
    /// frequent first: possible but not valid for their country, accepted all the same.
    pub warnings: Vec<(String, u64)>,
    /// Unique normalised values in file order.
    pub valid: Vec<String>,
    /// The first data rows as read, as they would be sent and as people write them.
    pub sample: Vec<SampleRow>,
    /// `row_number,original_value,reason` for every invalid, duplicate or empty row (UTF-8 with
    /// BOM, CRLF, cells neutralised against formulas).
    pub rejects_csv: Vec<u8>,
}

/// Reads the file and checks every row of the chosen (or detected) column.
pub fn preflight(
    file_name: &str,
    bytes: &[u8],
    options: &ParseOptions,
    target: Target,
    rules: &PhoneRules,
) -> Result<Preflight, ParseError> {
    let mut scanner = Scanner::new(target, rules, options.column, options.max_rows)
        .suppressing(options.erased.clone());
    let read_options = ReadOptions {
        delimiter: options.delimiter,
        sheet: options.sheet.clone(),
        date_cells: DateCells::Serial,
        cancel: options.cancel.clone(),
    };
    let read = tabular::read(file_name, bytes, &read_options, &mut scanner)?;
    let preflight = scanner.finish(read.format, read.delimiter, read.sheets, read.sheet)?;
    // An empty sheet is not the end when the workbook has others to choose from.
    if preflight.columns.is_empty() && preflight.sheets.len() < 2 {
        return Err(ParseError::Empty);
    }
    Ok(preflight)
}
