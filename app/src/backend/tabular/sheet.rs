//! Spreadsheets through calamine: XLSX streamed cell by cell (a sheet of a million rows is never
//! held whole), XLS and ODS read as one range (calamine has no streaming reader for them).
//! Formula cells give the value saved with them; whole numbers stored as floats give their digits
//! (`447700900123`, never `4.477009e11`); date cells read as `DateCells` says. Column numbers are
//! the sheet's own (A is column 1) even when the first columns are empty.

use std::fmt::Display;
use std::io::{Cursor, Read, Seek};
use std::panic::{catch_unwind, AssertUnwindSafe};

use calamine::{Data, DataRef, ExcelDateTime, Ods, Range, Reader, SheetType, Xls, XlsError, Xlsx};

use super::kind::Book;
use super::{biff, DateCells, ParseError, ReadOptions, RowSink};

/// The workbook's worksheets and the one read.
pub(super) struct SheetRead {
    pub sheets: Vec<String>,
    pub sheet: String,
}

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
            let mut workbook: Xlsx<_> = Xlsx::new(cursor).map_err(corrupt)?;
            let read = choose(&workbook, wanted)?;
            let mut cells = workbook
                .worksheet_cells_reader(&read.sheet)
                .map_err(corrupt)?;
            let mut row: Vec<String> = Vec::new();
            let mut current: Option<u32> = None;
            while let Some(cell) = cells.next_cell().map_err(corrupt)? {
                let (number, column) = cell.get_position();
                if current != Some(number) {
                    if let Some(done) = current {
                        sink.row(u64::from(done) + 1, &row)?;
                    }
                    row.clear();
                    current = Some(number);
                }
                let column = column as usize;
                if row.len() <= column {
                    row.resize(column + 1, String::new());
                }
                row[column] = text_of_ref(cell.get_value(), dates);
            }
            if let Some(done) = current {
                sink.row(u64::from(done) + 1, &row)?;
            }
            Ok(read)
        }
        Book::Xls => {
            if biff::declares_too_much(bytes) {
                return Err(ParseError::Corrupt(
                    "a sheet declares more rows or columns than an XLS file can have".into(),
                ));
            }
            let mut workbook: Xls<_> = Xls::new(cursor).map_err(|error| match error {
                XlsError::Password => ParseError::PasswordProtected,
                other => corrupt(other),
            })?;
            let read = choose(&workbook, wanted)?;
            let range = workbook.worksheet_range(&read.sheet).map_err(corrupt)?;
            rows_of(&range, dates, sink)?;
            Ok(read)
        }
        Book::Ods => {
            let mut workbook: Ods<_> = Ods::new(cursor).map_err(corrupt)?;
            let read = choose(&workbook, wanted)?;
            let range = workbook.worksheet_range(&read.sheet).map_err(corrupt)?;
            rows_of(&range, dates, sink)?;
            Ok(read)
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
    sink: &mut dyn RowSink,
) -> Result<(), ParseError> {
    let Some((top, left)) = range.start() else {
        return Ok(());
    };
    let mut row: Vec<String> = Vec::new();
    for (offset, cells) in range.rows().enumerate() {
        row.clear();
        row.resize(left as usize, String::new());
        row.extend(cells.iter().map(|cell| text_of(cell, dates)));
        sink.row(u64::from(top) + offset as u64 + 1, &row)?;
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

fn text_of(value: &Data, dates: DateCells) -> String {
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
