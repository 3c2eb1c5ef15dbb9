//! ODS spreadsheets streamed from `content.xml` once `archive` has checked the zip: only the
//! chosen sheet's rows are read, one at a time (calamine would lay out every sheet as a grid,
//! expanding repeats). A repeated row or cell (`number-rows-repeated`,
//! `number-columns-repeated`) is checked against Excel's sheet size before it is expanded, and
//! empty repeats, which LibreOffice writes to the sheet's edge, are only counted. Each cell reads
//! as calamine reads it (`cell`).

use std::io::{BufReader, Cursor};

use quick_xml::events::{BytesStart, Event};
use quick_xml::name::QName;
use quick_xml::Reader;
use zip::ZipArchive;

use super::limits::{Limit, MAX_COLUMNS, MAX_ROW_BYTES, MAX_SHEET_ROWS};
use super::sheet::SheetRead;
use super::{ParseError, ReadOptions, RowSink};

mod cell;

type Xml<'a> = Reader<BufReader<zip::read::ZipFile<'a, Cursor<&'a [u8]>>>>;

pub(super) fn read(
    bytes: &[u8],
    options: &ReadOptions,
    sink: &mut dyn RowSink,
) -> Result<SheetRead, ParseError> {
    let mut archive = ZipArchive::new(Cursor::new(bytes)).map_err(corrupt)?;
    let content = archive
        .by_name("content.xml")
        .map_err(|_| ParseError::Corrupt("it has no content.xml part".into()))?;
    let mut xml: Xml<'_> = Reader::from_reader(BufReader::new(content));
    let wanted = options.sheet.as_deref();
    let (mut sheets, mut chosen) = (Vec::new(), None);
    let mut rows = Rows {
        options,
        sink,
        row: 1,
        cells: Vec::new(),
        bytes: 0,
    };
    let mut buf = Vec::new();
    loop {
        options.cancel.check()?;
        buf.clear();
        let (table, open) = match xml.read_event_into(&mut buf).map_err(corrupt)? {
            Event::Start(e) if e.name().as_ref() == b"table:table" => (e, true),
            Event::Empty(e) if e.name().as_ref() == b"table:table" => (e, false),
            Event::Eof => break,
            _ => continue,
        };
        let Some(name) = attribute(&table, b"table:name")? else {
            continue;
        };
        let end = table.name().as_ref().to_vec();
        let read_it = chosen.is_none() && wanted.is_none_or(|w| w == name);
        sheets.push(name.clone());
        if read_it {
            chosen = Some(name);
            if open {
                rows.table(&mut xml)?;
            }
        } else if open {
            let mut skipped = Vec::new();
            xml.read_to_end_into(QName(&end), &mut skipped)
                .map_err(corrupt)?;
        }
    }
    match (chosen, wanted) {
        (Some(sheet), _) => Ok(SheetRead { sheets, sheet }),
        (None, Some(name)) => Err(ParseError::NoSuchSheet(name.to_string())),
        (None, None) => Err(ParseError::Empty),
    }
}

/// The chosen sheet's reading state: the next row's number and the current row.
struct Rows<'r> {
    options: &'r ReadOptions,
    sink: &'r mut dyn RowSink,
    row: u64,
    cells: Vec<String>,
    bytes: usize,
}

impl Rows<'_> {
    fn table(&mut self, xml: &mut Xml<'_>) -> Result<(), ParseError> {
        let mut buf = Vec::new();
        loop {
            buf.clear();
            match xml.read_event_into(&mut buf).map_err(corrupt)? {
                Event::Start(e) if e.name().as_ref() == b"table:table-row" => {
                    let repeat = repeats(&e, b"table:number-rows-repeated")?;
                    self.cells(xml)?;
                    self.emit(repeat)?;
                }
                Event::Empty(e) if e.name().as_ref() == b"table:table-row" => {
                    self.cells.clear();
                    self.emit(repeats(&e, b"table:number-rows-repeated")?)?;
                }
                Event::End(e) if e.name().as_ref() == b"table:table" => return Ok(()),
                Event::Eof => return Err(cut_short()),
                _ => {}
            }
        }
    }

    /// Reads one row's cells; empty cells after the last value are only counted.
    fn cells(&mut self, xml: &mut Xml<'_>) -> Result<(), ParseError> {
        self.cells.clear();
        self.bytes = 0;
        let mut empties: u64 = 0;
        let mut buf = Vec::new();
        loop {
            buf.clear();
            let (cell, open) = match xml.read_event_into(&mut buf).map_err(corrupt)? {
                Event::Start(e) if is_cell(&e) => (e, true),
                Event::Empty(e) if is_cell(&e) => (e, false),
                Event::End(e) if e.name().as_ref() == b"table:table-row" => return Ok(()),
                Event::Eof => return Err(cut_short()),
                _ => continue,
            };
            let repeat = repeats(&cell, b"table:number-columns-repeated")?;
            let value = cell::value(xml, &cell, open, self.row, self.options.date_cells)?;
            if value.is_empty() {
                empties = empties.saturating_add(repeat);
                continue;
            }
            let first = self.cells.len() as u64 + empties;
            let end = first.saturating_add(repeat);
            if end > MAX_COLUMNS {
                return Err(Limit::Column {
                    row: self.row,
                    column: end,
                }
                .into());
            }
            self.bytes = value
                .len()
                .saturating_mul(repeat as usize)
                .saturating_add(self.bytes);
            if self.bytes > MAX_ROW_BYTES {
                return Err(Limit::RowText { line: self.row }.into());
            }
            self.cells.resize(first as usize, String::new());
            self.cells
                .extend(std::iter::repeat_n(value, repeat as usize));
            empties = 0;
        }
    }

    /// Gives the row to the sink `repeat` times; an empty row only moves the row number on.
    fn emit(&mut self, repeat: u64) -> Result<(), ParseError> {
        if self.cells.is_empty() {
            self.row = self.row.saturating_add(repeat);
            return Ok(());
        }
        let last = self.row.saturating_add(repeat).saturating_sub(1);
        if last > MAX_SHEET_ROWS {
            return Err(Limit::Row { row: last }.into());
        }
        for _ in 0..repeat {
            self.options.cancel.check()?;
            self.sink.row(self.row, &self.cells)?;
            self.row += 1;
        }
        Ok(())
    }
}

fn is_cell_name(name: &[u8]) -> bool {
    matches!(name, b"table:table-cell" | b"table:covered-table-cell")
}

fn is_cell(element: &BytesStart<'_>) -> bool {
    is_cell_name(element.name().as_ref())
}

/// A repeat count attribute (1 when absent).
fn repeats(element: &BytesStart<'_>, key: &[u8]) -> Result<u64, ParseError> {
    match attribute(element, key)? {
        Some(count) => count.trim().parse().map_err(corrupt),
        None => Ok(1),
    }
}

fn attribute(element: &BytesStart<'_>, key: &[u8]) -> Result<Option<String>, ParseError> {
    match element.try_get_attribute(key).map_err(corrupt)? {
        Some(attribute) => Ok(Some(
            attribute.unescape_value().map_err(corrupt)?.into_owned(),
        )),
        None => Ok(None),
    }
}

fn cut_short() -> ParseError {
    ParseError::Corrupt("content.xml ends in the middle of a sheet".into())
}

fn corrupt(error: impl std::fmt::Display) -> ParseError {
    ParseError::Corrupt(error.to_string())
}
