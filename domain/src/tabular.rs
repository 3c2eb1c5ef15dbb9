//! Reading an uploaded table row by row, shared by the DNC and contact uploads, as pure functions
//! of the bytes: the file type by content (`kind`), text encodings (`decode`) and delimiters
//! (`delimiter`) for CSV/TXT (`text`), spreadsheets (`sheet`: XLSX through calamine once
//! `archive` has checked the zip, XLS through calamine once `cfb` and `biff` have checked the
//! compound file, ODS streamed by `ods`). Every row goes to a [`RowSink`] as it is read, so a file
//! is never held as rows, and every allocation a file could steer is bounded first (`limits`).
//! Also [`Unique`], the compact set both uploads count repeated values with, and [`Cancel`].

mod archive;
mod biff;
mod cfb;
mod decode;
mod delimiter;
mod kind;
mod limits;
mod ods;
mod sheet;
mod text;
mod unique;
mod xml_scan;

#[cfg(test)]
mod tests;

pub use limits::{clipped, Limit};
pub use unique::Unique;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use kind::Kind;

/// Tells a read under way to stop (OCM is shutting down, or nobody waits for the answer any
/// more); the reader looks at it for every row and every 64 KiB unpacked. Clones share the flag.
#[derive(Debug, Clone, Default)]
pub struct Cancel(Arc<AtomicBool>);

impl Cancel {
    /// Raises the flag; the read stops at its next look with [`ParseError::Cancelled`].
    pub fn cancel(&self) {
        self.0.store(true, Ordering::Relaxed);
    }

    /// Whether the flag is raised.
    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }

    /// [`ParseError::Cancelled`] once cancelled.
    pub(crate) fn check(&self) -> Result<(), ParseError> {
        if self.is_cancelled() {
            Err(ParseError::Cancelled)
        } else {
            Ok(())
        }
    }
}

/// Two handles are equal when they share the flag.
impl PartialEq for Cancel {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl Eq for Cancel {}

/// A row as a reader delivers it.
pub trait Cells {
    fn width(&self) -> usize;
    /// The cell's text; empty beyond the row's end.
    fn cell(&self, index: usize) -> &str;
}

impl Cells for csv::StringRecord {
    fn width(&self) -> usize {
        self.len()
    }

    fn cell(&self, index: usize) -> &str {
        self.get(index).unwrap_or("")
    }
}

impl Cells for Vec<String> {
    fn width(&self) -> usize {
        self.len()
    }

    fn cell(&self, index: usize) -> &str {
        self.get(index).map_or("", String::as_str)
    }
}

/// Where the rows come from, which tells what a row's width means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// CSV/TXT records: every field written is there, so a short row is a short row.
    Text,
    /// Spreadsheet rows: they end at their last non-empty cell.
    Sheet,
}

/// What receives the rows.
pub trait RowSink {
    /// Called once, before the first row.
    fn begin(&mut self, _source: Source) {}

    /// One row of the file, blank ones included; `line` is its 1-based line (text: the line its
    /// record starts on) or sheet row number.
    fn row(&mut self, line: u64, cells: &dyn Cells) -> Result<(), ParseError>;
}

/// How spreadsheet cells holding a date (Excel's serial numbers with a date format) read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum DateCells {
    /// `2026-03-31`, `2026-03-31T14:30:00` with a time of day, `14:30:00` for a time alone.
    #[default]
    Iso,
    /// The serial number as stored (`46112`), as the DNC upload has always read them.
    Serial,
}

/// The user's choices; `None` means detected.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReadOptions {
    /// `,` `;` tab or `|` for text files.
    pub delimiter: Option<u8>,
    /// The sheet's name, for spreadsheets; otherwise the first sheet.
    pub sheet: Option<String>,
    pub date_cells: DateCells,
    /// Stops the reading (shutdown).
    pub cancel: Cancel,
}

/// What was read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableRead {
    /// e.g. `CSV (UTF-8 with BOM, delimiter ';')`, `Text (Windows-1252, delimiter tab)`, `XLSX`.
    pub format: String,
    /// The delimiter used, for text files.
    pub delimiter: Option<u8>,
    /// The workbook's worksheets, for spreadsheets.
    pub sheets: Vec<String>,
    /// The sheet read, for spreadsheets.
    pub sheet: Option<String>,
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
    /// The file passed a bound on what reading it may take.
    #[error("{0}")]
    Limit(Limit),
    #[error("OCM is shutting down, so the file was not read. Upload it again once OCM is back.")]
    Cancelled,
}

impl From<Limit> for ParseError {
    fn from(limit: Limit) -> Self {
        ParseError::Limit(limit)
    }
}

/// Reads the file, giving every row to `sink`; the sink's error stops the reading.
pub fn read(
    file_name: &str,
    bytes: &[u8],
    options: &ReadOptions,
    sink: &mut dyn RowSink,
) -> Result<TableRead, ParseError> {
    match kind::of(bytes)? {
        Kind::Text => {
            sink.begin(Source::Text);
            let read = text::read(file_name, bytes, options.delimiter, &options.cancel, sink)?;
            Ok(TableRead {
                format: read.format,
                delimiter: Some(read.delimiter),
                sheets: Vec::new(),
                sheet: None,
            })
        }
        Kind::Book(book) => {
            sink.begin(Source::Sheet);
            let mut budget = TextBudget {
                sink,
                used: 0,
                allowed: limits::cell_text_allowed(bytes.len() as u64),
            };
            let read = sheet::read(book, bytes, options, &mut budget)?;
            Ok(TableRead {
                format: book.label().to_string(),
                delimiter: None,
                sheets: read.sheets,
                sheet: Some(read.sheet),
            })
        }
    }
}

/// Hands a spreadsheet's rows on while their cell text stays within the file's budget
/// ([`limits::cell_text_allowed`]): repeated rows and cells and shared strings expand to far more
/// text than the file holds, and each reaches the converted or reject file. A text file's cells
/// are its own bytes, so it needs none.
struct TextBudget<'s> {
    sink: &'s mut dyn RowSink,
    used: u64,
    allowed: u64,
}

impl RowSink for TextBudget<'_> {
    fn begin(&mut self, source: Source) {
        self.sink.begin(source);
    }

    fn row(&mut self, line: u64, cells: &dyn Cells) -> Result<(), ParseError> {
        let text: usize = (0..cells.width()).map(|i| cells.cell(i).len()).sum();
        self.used = self.used.saturating_add(text as u64);
        if self.used > self.allowed {
            return Err(Limit::CellText {
                line,
                allowed: self.allowed,
            }
            .into());
        }
        self.sink.row(line, cells)
    }
}
