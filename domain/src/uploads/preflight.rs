//! A contact file's pre-flight and conversion, as pure functions of the bytes: the file is read by
//! `backend::tabular`; here are whether the first row is a header and what the columns are called
//! (`header`), which attribute each column goes to and what makes a mapping unsendable
//! (`mapping`), checking and normalising each value by its attribute's type (`values`, `dates`,
//! `numbers`, with `backend::phone` and the e-mail rule of `dnc::parse`), and the one pass over the rows
//! that counts, samples and writes the reject file and the converted file (`scan`, `output`).
//! Rows are streamed: a 500,000-row file keeps only the counts, the ids and the two files.

mod dates;
mod header;
mod layout;
mod mapping;
mod numbers;
mod output;
mod scan;
mod values;

#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, HashSet};

pub use crate::phone::PhoneRules;
pub use crate::tabular::ParseError;
pub use mapping::auto_map;

use crate::tabular::{self, Cancel, DateCells, ReadOptions};
use scan::Scan;

/// An attribute of POM's catalogue: its name as POM spells it (REST names: `userContactId`,
/// `phoneNumber1`, `email`, `firstName`, `EXPIRY_DATE`) and POM's type (`STRING`, `PHONE`,
/// `EMAIL`, `DATE`, `NUMBER`, `BOOLEAN`; others are taken as text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attribute {
    pub name: String,
    pub pom_type: String,
}

/// How dates are written in the file. POM gets `yyyy-MM-dd`. A date whose year comes first
/// (`2026-03-31`, `2026/03/31`, and every spreadsheet date cell, which the reader gives as ISO) is
/// accepted whatever the format; a time after the date (`31/03/2026 00:00`) is dropped.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum DateFormat {
    /// `2026-03-31`, `2026/03/31`, `2026.03.31`.
    #[default]
    YearMonthDay,
    /// `31/03/2026`, `31-03-2026`, `31.03.2026`.
    DayMonthYear,
    /// `03/31/2026`.
    MonthDayYear,
}

impl DateFormat {
    pub const ALL: [DateFormat; 3] = [
        DateFormat::YearMonthDay,
        DateFormat::DayMonthYear,
        DateFormat::MonthDayYear,
    ];

    /// `ymd`, `dmy` or `mdy`, for forms and templates.
    pub fn as_str(self) -> &'static str {
        match self {
            DateFormat::YearMonthDay => "ymd",
            DateFormat::DayMonthYear => "dmy",
            DateFormat::MonthDayYear => "mdy",
        }
    }

    /// `YYYY-MM-DD`, `DD/MM/YYYY` or `MM/DD/YYYY`, for people.
    pub fn label(self) -> &'static str {
        match self {
            DateFormat::YearMonthDay => "YYYY-MM-DD",
            DateFormat::DayMonthYear => "DD/MM/YYYY",
            DateFormat::MonthDayYear => "MM/DD/YYYY",
        }
    }

    /// The format [`DateFormat::as_str`] names.
    pub fn parse(text: &str) -> Option<DateFormat> {
        DateFormat::ALL.into_iter().find(|f| f.as_str() == text)
    }
}

/// The file POM's data source reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputLayout {
    pub delimiter: u8,
    pub header_row: bool,
    /// The attribute of each output column, in order; a column no file column is mapped to is
    /// written empty. Empty: the mapped attributes in file order (with a header row of their
    /// names when `header_row`).
    pub columns: Vec<String>,
}

/// The user's choices for one upload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UploadOptions {
    /// `,` `;` tab or `|` for text files; `None`: detected.
    pub delimiter: Option<u8>,
    /// The sheet, for spreadsheets; `None`: the first.
    pub sheet: Option<String>,
    /// `None`: detected. The first row is a header when any of its cells auto-maps to an
    /// attribute, or when none of its cells is a phone number or e-mail address and most of its
    /// non-empty cells are not phone numbers, e-mail addresses, numbers or dates.
    pub has_header: Option<bool>,
    /// Choices made by the user or a saved template, keyed by the column's name as in
    /// [`ContactPreflight::columns`]: `Some(attribute)`, or `None` to leave the column out.
    /// Columns not in the map are auto-mapped; entries for columns the file does not have are
    /// ignored.
    pub mapping: BTreeMap<String, Option<String>>,
    pub date_format: DateFormat,
    /// The most data rows a file may have.
    pub max_rows: u64,
    /// How phone numbers are read and written for POM, and whether a possible but not valid one
    /// is flagged or refused.
    pub numbers: PhoneRules,
    /// Collect [`ContactPreflight::addresses`] only when the file has at most this many data
    /// rows (0: never).
    pub collect_addresses_up_to: u64,
    /// Stops the reading (shutdown).
    pub cancel: Cancel,
    /// People erased on request: rows with one of their ids, numbers or addresses are rejected.
    pub erased: crate::erasure::tombstone::Suppression,
}

/// One of the first data rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactSample {
    /// Its line (text) or sheet row number.
    pub row: u64,
    /// One per output column: as converted for a valid row, as read (trimmed) for a rejected one.
    pub values: Vec<String>,
    /// Why the row is rejected.
    pub problem: Option<String>,
    /// Why a valid row deserves a look (a phone number possible but not valid for its country).
    pub flag: Option<String>,
}

/// A contact file after pre-flight: what was read, the mapping, the counts and the files.
#[derive(Debug, Clone, PartialEq)]
pub struct ContactPreflight {
    /// e.g. `CSV (UTF-8 with BOM, delimiter ';')`, `XLSX`.
    pub format: String,
    /// The delimiter used, for text files.
    pub delimiter: Option<u8>,
    /// The workbook's worksheets, for spreadsheets.
    pub sheets: Vec<String>,
    /// The sheet read, for spreadsheets.
    pub sheet: Option<String>,
    pub has_header: bool,
    /// Each file column's name: its header text, trimmed (`Column 3` when it has none; a
    /// repeated text gets ` (column 5)`), or `Column 1`, `Column 2`, … without a header.
    pub columns: Vec<String>,
    /// Per file column, the attribute it goes to.
    pub mapping: Vec<Option<String>>,
    /// Per file column, whether the attribute was chosen automatically (not by the map).
    pub auto_mapped: Vec<bool>,
    /// The names of the file columns left out.
    pub unmapped: Vec<String>,
    /// Why the mapping cannot be sent, each naming the column or attribute. When not empty,
    /// `converted`, `sent_ids` and `addresses` are empty; the rows are still checked by every rule
    /// the mapping allows.
    pub blocking: Vec<String>,
    /// Data rows, the header and blank rows not included.
    pub rows: u64,
    pub valid: u64,
    pub rejected: u64,
    /// Rows whose userContactId appeared on an earlier row (rejected, and counted in `rejected`).
    pub duplicates: u64,
    /// Rejected rows by kind of reason (stable texts), most frequent first.
    pub reasons: Vec<(String, u64)>,
    /// Valid rows sent with a flag, by kind (`phoneNumber1: not a valid number for its
    /// country`), most frequent first.
    pub flagged: Vec<(String, u64)>,
    /// The first data rows.
    pub sample: Vec<ContactSample>,
    /// The attribute of each column of the converted file.
    pub output_columns: Vec<String>,
    /// `row_number,user_contact_id,column,value,reason`, one line per rejected row with the first
    /// problem found: UTF-8 with BOM, CRLF, every cell neutralised against spreadsheet formulas.
    pub rejects_csv: Vec<u8>,
    /// `row_number,user_contact_id,phone,kind,reason` per rejected row, the values as read
    /// (the phone: the first column mapped to a phone attribute), no header, LF: kept with the
    /// upload for the Account Not in Listing report (`crate::reports::not_listed`).
    pub not_listed_rows: Vec<u8>,
    /// The valid rows in file order as POM imports them: UTF-8 without BOM, the layout's
    /// delimiter and header row, LF line ends, quoted where needed.
    pub converted: Vec<u8>,
    /// The userContactIds of the valid rows, in file order.
    pub sent_ids: Vec<String>,
    /// The unique normalised phone numbers and (lower-cased) e-mail addresses of the valid rows,
    /// in file order, when the file has at most `collect_addresses_up_to` data rows; else empty.
    pub addresses: Vec<String>,
}

/// Reads the file, maps its columns and checks and converts every row. `dnc_hits` are
/// normalised addresses (as in [`ContactPreflight::addresses`]) known to be on a DNC list: rows
/// with one are rejected.
pub fn preflight(
    file_name: &str,
    bytes: &[u8],
    options: &UploadOptions,
    attributes: &[Attribute],
    layout: &OutputLayout,
    dnc_hits: &HashSet<String>,
) -> Result<ContactPreflight, ParseError> {
    let mut scan = Scan::new(options, attributes, layout, dnc_hits);
    let read_options = ReadOptions {
        delimiter: options.delimiter,
        sheet: options.sheet.clone(),
        date_cells: DateCells::Iso,
        cancel: options.cancel.clone(),
    };
    let read = tabular::read(file_name, bytes, &read_options, &mut scan)?;
    let result = scan.finish(read)?;
    // An empty sheet is not the end when the workbook has others to choose from.
    if result.columns.is_empty() && result.sheets.len() < 2 {
        return Err(ParseError::Empty);
    }
    Ok(result)
}
