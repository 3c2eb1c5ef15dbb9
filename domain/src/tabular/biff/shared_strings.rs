//! The shared string table (SST) read as calamine reads it, across its CONTINUE records: each
//! string's length, none longer than a cell may hold.

use super::{u16_at, CONTINUE};
use crate::tabular::limits::{Limit, MAX_FIELD_CHARS};
use crate::tabular::ParseError;

/// A record's data and that of the CONTINUE records after it (which end at `after`), split as
/// calamine splits them.
pub(super) fn continued<'s>(
    stream: &'s [u8],
    data: &'s [u8],
    mut at: usize,
) -> Result<Vec<&'s [u8]>, ParseError> {
    let mut pieces = vec![data];
    while stream.len() > at + 4 && u16_at(stream, at) == u32::from(CONTINUE) {
        let len = u16_at(stream, at + 2) as usize;
        let piece = stream
            .get(at + 4..at + 4 + len)
            .ok_or_else(|| cut("a CONTINUE record"))?;
        pieces.push(piece);
        at += 4 + len;
    }
    Ok(pieces)
}

/// A record's data read on across its CONTINUE pieces, as calamine's `Record` reads it.
struct Pieces<'p, 's> {
    data: &'s [u8],
    rest: std::slice::Iter<'p, &'s [u8]>,
}

impl<'s> Pieces<'_, 's> {
    fn next_piece(&mut self) -> bool {
        match self.rest.next() {
            Some(piece) => {
                self.data = piece;
                true
            }
            None => false,
        }
    }

    fn take(&mut self, len: usize) -> Result<&'s [u8], ParseError> {
        let taken = self.data.get(..len).ok_or_else(|| cut("a shared string"))?;
        self.data = &self.data[len..];
        Ok(taken)
    }

    fn skip(&mut self, mut len: usize) -> Result<(), ParseError> {
        while len > 0 {
            if self.data.is_empty() && !self.next_piece() {
                return Err(cut("a shared string"));
            }
            let step = len.min(self.data.len());
            self.data = &self.data[step..];
            len -= step;
        }
        Ok(())
    }
}

/// The length in characters of each string of an SST record (`pieces`: its data, then its
/// CONTINUE records'), read as calamine's `parse_sst` reads them; a string longer than a cell may
/// be is refused.
pub(super) fn string_lengths(pieces: &[&[u8]]) -> Result<Vec<u16>, ParseError> {
    let first = pieces[0]
        .get(8..)
        .ok_or_else(|| cut("the shared strings"))?;
    let mut r = Pieces {
        data: first,
        rest: pieces[1..].iter(),
    };
    let mut lengths = Vec::new();
    while !r.data.is_empty() || r.next_piece() {
        lengths.push(string_length(&mut r)?);
    }
    Ok(lengths)
}

/// One `XLUnicodeRichExtendedString`'s length, its bytes passed over.
fn string_length(r: &mut Pieces<'_, '_>) -> Result<u16, ParseError> {
    if r.data.is_empty() {
        return Ok(0);
    }
    let head = r.take(3)?;
    let (chars, flags) = (u16::from_le_bytes([head[0], head[1]]), head[2]);
    if usize::from(chars) > MAX_FIELD_CHARS {
        return Err(Limit::XlsString {
            chars: u64::from(chars),
        }
        .into());
    }
    let runs = if flags & 0x8 != 0 {
        u16_at(r.take(2)?, 0) as usize
    } else {
        0
    };
    let extra = if flags & 0x4 != 0 {
        // calamine reads it as an i32 and widens it: a negative size is never found.
        i32::from_le_bytes(r.take(4)?.try_into().unwrap_or([0; 4])) as usize
    } else {
        0
    };
    let (mut left, mut wide) = (usize::from(chars), flags & 0x1 != 0);
    while left > 0 {
        let width = if wide { 2 } else { 1 };
        let here = (r.data.len() / width).min(left);
        r.data = &r.data[here * width..];
        left -= here;
        if left > 0 {
            if !r.next_piece() || r.data.is_empty() {
                return Err(cut("a shared string"));
            }
            wide = r.data[0] & 0x1 != 0;
            r.data = &r.data[1..];
        }
    }
    r.skip(runs * 4)?;
    r.skip(extra)?;
    Ok(chars)
}

fn cut(what: &str) -> ParseError {
    ParseError::Corrupt(format!("{what} ends before its declared length"))
}
