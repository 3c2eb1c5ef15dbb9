//! CSV and TXT files: decoded, the delimiter detected (or the user's), then read record by record
//! with csv-core into buffers that grow only to the bounds: a row's text to
//! [`MAX_ROW_BYTES`], its fields to [`MAX_COLUMNS`], each field to [`MAX_FIELD_CHARS`]
//! characters. Records end at `\r\n`, `\n` or a lone `\r`; quoted fields may span lines; a row's
//! number is the line its record starts on.

use csv_core::ReadRecordResult;

use super::decode::decode;
use super::delimiter;
use super::limits::{Limit, MAX_COLUMNS, MAX_FIELD_CHARS, MAX_ROW_BYTES};
use super::{Cancel, Cells, ParseError, RowSink};

/// What the format line says about a text file.
pub(super) struct TextRead {
    pub format: String,
    pub delimiter: u8,
}

/// Line numbers of record starts, from where the reader began a record: its byte offset and
/// csv-core's count of `\n` up to there. That count is taken before blank lines are skipped
/// and counts no lone `\r`, so in a text with carriage returns line breaks are counted up to
/// the record's first byte instead, once over the whole text. Without any, the reader's line
/// misses only the blank lines it skips, the newlines between its position and the record.
struct Lines<'t> {
    text: &'t [u8],
    carriage_returns: bool,
    counted: usize,
    line: u64,
}

impl<'t> Lines<'t> {
    fn new(text: &'t [u8]) -> Self {
        Lines {
            text,
            carriage_returns: text.contains(&b'\r'),
            counted: 0,
            line: 1,
        }
    }

    /// The line of the record whose reading began at byte `from` on the reader's line `line`.
    fn at(&mut self, from: usize, line: u64) -> u64 {
        let text = self.text;
        let from = from.min(text.len());
        if !self.carriage_returns {
            let blank = text[from..].iter().take_while(|&&b| b == b'\n').count();
            return line + blank as u64;
        }
        let start = (from..text.len())
            .find(|&i| !matches!(text[i], b'\r' | b'\n'))
            .unwrap_or(text.len());
        for i in self.counted..start {
            let lone_carriage_return = text[i] == b'\r' && text.get(i + 1) != Some(&b'\n');
            if text[i] == b'\n' || lone_carriage_return {
                self.line += 1;
            }
        }
        self.counted = self.counted.max(start);
        self.line
    }
}

/// One record: its fields' text one after the other and where each ends.
struct Record {
    text: Vec<u8>,
    ends: Vec<usize>,
    fields: usize,
}

impl Record {
    fn new() -> Self {
        Record {
            text: vec![0; 4096],
            ends: vec![0; 64],
            fields: 0,
        }
    }

    /// Reads the next record of `input` from `*at` (record `line` for refusals); false at the
    /// end. The buffers grow by doubling, never past the bounds.
    fn read(
        &mut self,
        reader: &mut csv_core::Reader,
        input: &[u8],
        at: &mut usize,
        line: u64,
    ) -> Result<bool, ParseError> {
        let (mut out, mut ends) = (0, 0);
        loop {
            // Once the input is used up, the empty rest tells csv-core the text has ended.
            let (result, read, written, ended) =
                reader.read_record(&input[*at..], &mut self.text[out..], &mut self.ends[ends..]);
            *at += read;
            out += written;
            ends += ended;
            match result {
                ReadRecordResult::InputEmpty => {}
                ReadRecordResult::OutputFull if self.text.len() >= MAX_ROW_BYTES => {
                    return Err(Limit::RowText { line }.into())
                }
                ReadRecordResult::OutputFull => {
                    let grown = (self.text.len() * 2).min(MAX_ROW_BYTES);
                    self.text.resize(grown, 0);
                }
                ReadRecordResult::OutputEndsFull if self.ends.len() as u64 >= MAX_COLUMNS => {
                    return Err(Limit::Fields { line }.into())
                }
                ReadRecordResult::OutputEndsFull => {
                    let grown = (self.ends.len() * 2).min(MAX_COLUMNS as usize);
                    self.ends.resize(grown, 0);
                }
                ReadRecordResult::Record => {
                    self.fields = ends;
                    return self.check(line).map(|()| true);
                }
                ReadRecordResult::End => return Ok(false),
            }
        }
    }

    /// Every field within [`MAX_FIELD_CHARS`] characters.
    fn check(&self, line: u64) -> Result<(), ParseError> {
        for i in 0..self.fields {
            let field = self.cell(i);
            if field.len() > MAX_FIELD_CHARS {
                let chars = field.chars().count();
                if chars > MAX_FIELD_CHARS {
                    return Err(Limit::Field { line, chars }.into());
                }
            }
        }
        Ok(())
    }
}

impl Cells for Record {
    fn width(&self) -> usize {
        self.fields
    }

    /// The text is valid UTF-8 and csv-core splits it only at ASCII bytes.
    fn cell(&self, index: usize) -> &str {
        if index >= self.fields {
            return "";
        }
        let start = if index == 0 { 0 } else { self.ends[index - 1] };
        std::str::from_utf8(&self.text[start..self.ends[index]]).unwrap_or("")
    }
}

pub(super) fn read(
    file_name: &str,
    bytes: &[u8],
    delimiter: Option<u8>,
    cancel: &Cancel,
    sink: &mut dyn RowSink,
) -> Result<TextRead, ParseError> {
    let decoded = decode(bytes)?;
    let text = decoded.text.as_bytes();
    let delimiter = delimiter.unwrap_or_else(|| delimiter::detect(&decoded.text));
    let mut reader = csv_core::ReaderBuilder::new().delimiter(delimiter).build();
    let mut record = Record::new();
    let mut lines = Lines::new(text);
    let mut at = 0;
    loop {
        cancel.check()?;
        let line = lines.at(at, reader.line());
        if !record.read(&mut reader, text, &mut at, line)? {
            break;
        }
        sink.row(line, &record)?;
    }
    let lower = file_name.to_lowercase();
    let kind = if [".txt", ".tsv", ".tab"]
        .iter()
        .any(|ext| lower.ends_with(ext))
    {
        "Text"
    } else {
        "CSV"
    };
    Ok(TextRead {
        format: format!(
            "{kind} ({}, delimiter {})",
            decoded.encoding,
            delimiter::name(delimiter)
        ),
        delimiter,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every record of `text` as (line, fields).
    fn records(text: &str) -> Result<Vec<(u64, Vec<String>)>, ParseError> {
        let mut reader = csv_core::ReaderBuilder::new().build();
        let mut lines = Lines::new(text.as_bytes());
        let mut record = Record::new();
        let (mut at, mut found) = (0, Vec::new());
        loop {
            let line = lines.at(at, reader.line());
            if !record.read(&mut reader, text.as_bytes(), &mut at, line)? {
                return Ok(found);
            }
            let fields = (0..record.width()).map(|i| record.cell(i).to_string());
            found.push((line, fields.collect()));
        }
    }

    fn starts(text: &str) -> Vec<u64> {
        records(text).unwrap().into_iter().map(|r| r.0).collect()
    }

    #[test]
    fn records_are_numbered_by_their_first_line() {
        assert_eq!(starts("a\nb\nc"), [1, 2, 3]);
        assert_eq!(starts("a\r\nb\r\n\r\nc\r\n"), [1, 2, 4]);
        assert_eq!(starts("a\rb\r\rc\r"), [1, 2, 4]);
        assert_eq!(starts("\n\na\n\"x\ny\r\nz\",1\nb"), [3, 4, 7]);
        assert_eq!(starts("a\r\n\n\rb"), [1, 4]);
    }

    #[test]
    fn without_carriage_returns_the_readers_own_count_is_corrected_for_blank_lines() {
        assert_eq!(starts("\n\na\n\"x\ny\nz\",1\n\n\nb"), [3, 4, 9]);
        assert_eq!(starts("a\n\n\n"), [1]);
        assert_eq!(starts("\"\n\n\"\n\nb\n"), [1, 5]);
    }

    #[test]
    fn fields_are_unquoted_and_rows_may_differ_in_width() {
        let found = records("a,\"b,\"\"c\"\"\",\n\"multi\nline\"\n").unwrap();
        assert_eq!(found[0].1, ["a", "b,\"c\"", ""]);
        assert_eq!(found[1].1, ["multi\nline"]);
    }

    #[test]
    fn a_row_may_have_exactly_as_many_fields_as_a_sheet_has_columns() {
        let widest = ",".repeat(MAX_COLUMNS as usize - 1);
        assert_eq!(records(&widest).unwrap()[0].1.len(), MAX_COLUMNS as usize);
        let wider = format!("x\n{widest},");
        assert_eq!(records(&wider), Err(Limit::Fields { line: 2 }.into()));
    }

    #[test]
    fn long_fields_and_rows_are_refused_naming_the_bound() {
        let longest = "é".repeat(MAX_FIELD_CHARS);
        assert_eq!(records(&longest).unwrap()[0].1[0], longest);
        let longer = format!("{longest}é");
        let refused = Limit::Field {
            line: 1,
            chars: MAX_FIELD_CHARS + 1,
        };
        assert_eq!(records(&longer), Err(refused.into()));
        let wide = format!("{},", "x".repeat(15_000)).repeat(20);
        let row = format!("a\nb\n{wide}");
        assert_eq!(records(&row), Err(Limit::RowText { line: 3 }.into()));
    }
}
