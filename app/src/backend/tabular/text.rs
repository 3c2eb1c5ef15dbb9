//! CSV and TXT files: decoded, the delimiter detected (or the user's), then read record by record
//! with the csv crate, which ends records at `\r\n`, `\n` or a lone `\r`. Quoted fields may span
//! lines; a row's number is the line its record starts on.

use super::decode::decode;
use super::delimiter;
use super::{ParseError, RowSink};

/// What the format line says about a text file.
pub(super) struct TextRead {
    pub format: String,
    pub delimiter: u8,
}

/// Line numbers of record starts. The csv reader's own `Position::line` is taken before it skips
/// blank lines and the `\n` of a `\r\n`, and counts no lone `\r`, so in a text with carriage
/// returns it falls behind: there line breaks are counted up to the record's first byte instead,
/// once over the whole text. Without any, the reader's line misses only the blank lines it skips,
/// the newlines between its position and the record.
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

    /// The line of the record whose reading began at `position`.
    fn at(&mut self, position: &csv::Position) -> u64 {
        let text = self.text;
        let from = usize::try_from(position.byte()).map_or(text.len(), |b| b.min(text.len()));
        if !self.carriage_returns {
            let blank = text[from..].iter().take_while(|&&b| b == b'\n').count();
            return position.line() + blank as u64;
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

pub(super) fn read(
    file_name: &str,
    bytes: &[u8],
    delimiter: Option<u8>,
    sink: &mut dyn RowSink,
) -> Result<TextRead, ParseError> {
    let decoded = decode(bytes)?;
    let text = decoded.text.as_bytes();
    let delimiter = delimiter.unwrap_or_else(|| delimiter::detect(&decoded.text));
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text);
    let mut record = csv::StringRecord::new();
    let mut lines = Lines::new(text);
    let origin = csv::Position::new();
    // The text is valid UTF-8 by now and a byte slice cannot fail to read, so an error here
    // means content the reader cannot take as text.
    while reader
        .read_record(&mut record)
        .map_err(|_| ParseError::NotText)?
    {
        let line = lines.at(record.position().unwrap_or(&origin));
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

    fn starts(text: &str) -> Vec<u64> {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        let mut lines = Lines::new(text.as_bytes());
        let mut record = csv::StringRecord::new();
        let mut found = Vec::new();
        while reader.read_record(&mut record).unwrap() {
            found.push(lines.at(record.position().unwrap()));
        }
        found
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
}
