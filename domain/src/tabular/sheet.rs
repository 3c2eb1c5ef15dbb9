//! Spreadsheets: XLSX through calamine's cell reader (a sheet of a million rows is never held
//! whole) once `archive` has checked the zip; XLS through calamine, which reads every sheet as a
//! grid, once `cfb` and `biff` have checked what it will lay out; ODS streamed by `ods`. Each
//! cell is checked against the sheet bounds before the row grows to hold it. Formula cells give
//! the value saved with them; whole numbers stored as floats give their digits (`447700900123`,
//! never `4.477009e11`); date cells read as `DateCells` says. Column numbers are the sheet's own
//! (A is column 1) even when the first columns are empty.

use std::fmt::Display;
use std::io::{Cursor, Read, Seek};
use std::panic::{catch_unwind, AssertUnwindSafe};

use calamine::{Data, DataRef, ExcelDateTime, Range, Reader, SheetType, Xls, XlsError, Xlsx};

use super::kind::Book;
use super::limits::{Limit, MAX_COLUMNS, MAX_FIELD_CHARS, MAX_ROW_BYTES, MAX_SHEET_ROWS};
use super::{archive, biff, cfb, ods, Cancel, DateCells, ParseError, ReadOptions, RowSink};

/// The workbook's worksheets and the one read.
pub(super) struct SheetRead {
    pub sheets: Vec<String>,
    pub sheet: String,
}

/// Cells read between two looks at the cancel flag within one row.
const CANCEL_EVERY: u32 = 4096;

pub(super) fn read(
    book: Book,
    bytes: &[u8],
    options: &ReadOptions,
    sink: &mut dyn RowSink,
) -> Result<SheetRead, ParseError> {
    // A damaged workbook must give the user an answer, even if it trips calamine up in a way
    // its authors did not foresee; the sink is discarded with the error.
    catch_unwind(AssertUnwindSafe(|| rows(book, bytes, options, sink))).unwrap_or_else(|_| {
        Err(ParseError::Corrupt(
            "its content is not laid out as the format requires".into(),
        ))
    })
}

/// One row as it is filled: its cells and the bytes of text they hold.
#[derive(Default)]
struct Row {
    cells: Vec<String>,
    bytes: usize,
}

impl Row {
    /// Puts a cell's text in place (`row` and `column` count from 1), within the bounds.
    fn put(&mut self, row: u64, column: u64, text: String) -> Result<(), ParseError> {
        if column > MAX_COLUMNS {
            return Err(Limit::Column { row, column }.into());
        }
        if text.len() > MAX_FIELD_CHARS {
            let chars = text.chars().count();
            if chars > MAX_FIELD_CHARS {
                return Err(Limit::Field { line: row, chars }.into());
            }
        }
        self.bytes += text.len();
        if self.bytes > MAX_ROW_BYTES {
            return Err(Limit::RowText { line: row }.into());
        }
        let index = column as usize - 1;
        if self.cells.len() <= index {
            self.cells.resize(index + 1, String::new());
        }
        self.cells[index] = text;
        Ok(())
    }

    /// Starts row `row` (from 1), within the sheet's bounds.
    fn start(&mut self, row: u64, cancel: &Cancel) -> Result<(), ParseError> {
        cancel.check()?;
        if row > MAX_SHEET_ROWS {
            return Err(Limit::Row { row }.into());
        }
        self.cells.clear();
        self.bytes = 0;
        Ok(())
    }
}

fn rows(
    book: Book,
    bytes: &[u8],
    options: &ReadOptions,
    sink: &mut dyn RowSink,
) -> Result<SheetRead, ParseError> {
    let cursor = Cursor::new(bytes);
    let wanted = options.sheet.as_deref();
    let dates = options.date_cells;
    match book {
        Book::Xlsx => {
            archive::check(bytes, &options.cancel)?;
            let mut workbook: Xlsx<_> = Xlsx::new(cursor).map_err(corrupt)?;
            let read = choose(&workbook, wanted)?;
            let mut cells = workbook
                .worksheet_cells_reader(&read.sheet)
                .map_err(corrupt)?;
            let mut row = Row::default();
            let mut current: Option<u64> = None;
            let mut count: u32 = 0;
            while let Some(cell) = cells.next_cell().map_err(corrupt)? {
                let (number, column) = cell.get_position();
                let number = u64::from(number) + 1;
                if current != Some(number) {
                    if let Some(done) = current {
                        sink.row(done, &row.cells)?;
                    }
                    row.start(number, &options.cancel)?;
                    current = Some(number);
                }
                count = count.wrapping_add(1);
                if count.is_multiple_of(CANCEL_EVERY) {
                    options.cancel.check()?;
                }
                let text = text_of_ref(cell.get_value(), dates);
                row.put(number, u64::from(column) + 1, text)?;
            }
            if let Some(done) = current {
                sink.row(done, &row.cells)?;
            }
            Ok(read)
        }
        Book::Xls => {
            let stream = cfb::workbook_stream(bytes)?;
            biff::check(&stream, bytes.len())?;
            drop(stream);
            let mut workbook: Xls<_> = Xls::new(cursor).map_err(|error| match error {
                XlsError::Password => ParseError::PasswordProtected,
                other => corrupt(other),
            })?;
            let read = choose(&workbook, wanted)?;
            let range = workbook.worksheet_range(&read.sheet).map_err(corrupt)?;
            rows_of(&range, dates, &options.cancel, sink)?;
            Ok(read)
        }
        Book::Ods => {
            archive::check(bytes, &options.cancel)?;
            ods::read(bytes, options, sink)
        }
    }
}

fn corrupt(error: impl Display) -> ParseError {
    ParseError::Corrupt(error.to_string())
}

/// The worksheets (chart and macro sheets have no rows) and the one asked for, else the first.
fn choose<RS: Read + Seek>(
    workbook: &impl Reader<RS>,
    wanted: Option<&str>,
) -> Result<SheetRead, ParseError> {
    let sheets: Vec<String> = workbook
        .sheets_metadata()
        .iter()
        .filter(|sheet| sheet.typ == SheetType::WorkSheet)
        .map(|sheet| sheet.name.clone())
        .collect();
    let sheet = match wanted {
        Some(name) => sheets
            .iter()
            .find(|sheet| *sheet == name)
            .cloned()
            .ok_or_else(|| ParseError::NoSuchSheet(name.to_string()))?,
        None => sheets.first().cloned().ok_or(ParseError::Empty)?,
    };
    Ok(SheetRead { sheets, sheet })
}

fn rows_of(
    range: &Range<Data>,
    dates: DateCells,
    cancel: &Cancel,
    sink: &mut dyn RowSink,
) -> Result<(), ParseError> {
    let Some((top, left)) = range.start() else {
        return Ok(());
    };
    let mut row = Row::default();
    for (offset, cells) in range.rows().enumerate() {
        let number = u64::from(top) + offset as u64 + 1;
        row.start(number, cancel)?;
        for (at, cell) in cells.iter().enumerate() {
            let column = u64::from(left) + at as u64 + 1;
            row.put(number, column, text_of(cell, dates))?;
        }
        sink.row(number, &row.cells)?;
    }
    Ok(())
}

/// Shared strings are the common case and need no detour through `Data`.
fn text_of_ref(value: &DataRef<'_>, dates: DateCells) -> String {
    match value {
        DataRef::SharedString(text) => (*text).to_string(),
        DataRef::String(text) => text.clone(),
        DataRef::Empty => String::new(),
        DataRef::DateTime(date) => date_text(date, dates),
        other => Data::from(other.clone()).to_string(),
    }
}

pub(super) fn text_of(value: &Data, dates: DateCells) -> String {
    match value {
        Data::DateTime(date) => date_text(date, dates),
        other => other.to_string(),
    }
}

/// A date cell's text; durations (`[h]:mm` formats) keep their number.
fn date_text(date: &ExcelDateTime, dates: DateCells) -> String {
    if dates == DateCells::Serial || !date.is_datetime() {
        return date.to_string();
    }
    let (year, month, day, hour, minute, second, _) = date.to_ymd_hms_milli();
    let time = format!("{hour:02}:{minute:02}:{second:02}");
    if date.as_f64() < 1.0 {
        time
    } else if (hour, minute, second) == (0, 0, 0) {
        format!("{year:04}-{month:02}-{day:02}")
    } else {
        format!("{year:04}-{month:02}-{day:02}T{time}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::ExcelDateTimeType;

    #[test]
    fn floats_print_as_their_digits() {
        assert_eq!(Data::Float(447700900123.0).to_string(), "447700900123");
        assert_eq!(Data::Float(4.477009e11).to_string(), "447700900000");
        let iso = DateCells::Iso;
        assert_eq!(
            text_of_ref(&DataRef::Float(4.477009e11), iso),
            "447700900000"
        );
        assert_eq!(text_of_ref(&DataRef::Int(12), iso), "12");
        assert_eq!(text_of_ref(&DataRef::SharedString("x"), iso), "x");
    }

    #[test]
    fn dates_read_as_iso_or_as_their_serial_number() {
        let cell = |value: f64| ExcelDateTime::new(value, ExcelDateTimeType::DateTime, false);
        let day = DataRef::DateTime(cell(46112.0));
        assert_eq!(text_of_ref(&day, DateCells::Iso), "2026-03-31");
        assert_eq!(text_of_ref(&day, DateCells::Serial), "46112");
        let afternoon = Data::DateTime(cell(46112.75));
        assert_eq!(text_of(&afternoon, DateCells::Iso), "2026-03-31T18:00:00");
        assert_eq!(text_of(&afternoon, DateCells::Serial), "46112.75");
        assert_eq!(
            text_of(&Data::DateTime(cell(0.5)), DateCells::Iso),
            "12:00:00"
        );
        let from_1904 = ExcelDateTime::new(44650.0, ExcelDateTimeType::DateTime, true);
        assert_eq!(date_text(&from_1904, DateCells::Iso), "2026-03-31");
        let duration = ExcelDateTime::new(1.5, ExcelDateTimeType::TimeDelta, false);
        assert_eq!(date_text(&duration, DateCells::Iso), "1.5");
        let iso = Data::DateTimeIso("2026-03-31".into());
        assert_eq!(text_of(&iso, DateCells::Serial), "2026-03-31");
    }
}
