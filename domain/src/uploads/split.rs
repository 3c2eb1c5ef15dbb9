//! Splitting a converted contact file into the parts POM's file import accepts (issue 23): each
//! part at most the limit (`OCM_UPLOAD_POM_PART_MB`), cut only between rows, each with the
//! header row, every row in exactly one part and in the file's order. Pure: the send step keeps
//! where the parts lie, so a restart sends the very same parts.

use std::fmt;

/// Where a converted file's parts lie.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parts {
    /// Bytes of the header row at the start of the file (0: the data source reads no header).
    pub header: usize,
    /// Where each part's rows end in the file; a part's rows start where the previous part's
    /// end (the first part's after the header row).
    pub ends: Vec<usize>,
}

impl Parts {
    /// The whole file as one part (uploads sent before files were split).
    pub fn whole(file_len: usize) -> Parts {
        Parts {
            header: 0,
            ends: vec![file_len],
        }
    }

    pub fn count(&self) -> usize {
        self.ends.len()
    }

    /// Part `n` (1-based) as it is sent: the header row, then its rows. `None` when the file is
    /// shorter than the stored boundaries say (it changed) or there is no such part.
    pub fn part(&self, file: &[u8], n: usize) -> Option<Vec<u8>> {
        let end = *self.ends.get(n.checked_sub(1)?)?;
        let start = if n == 1 {
            self.header
        } else {
            self.ends[n - 2]
        };
        if end > file.len() || start > end || self.header > file.len() {
            return None;
        }
        let mut out = Vec::with_capacity(self.header + end - start);
        out.extend_from_slice(&file[..self.header]);
        out.extend_from_slice(&file[start..end]);
        Some(out)
    }
}

/// A row that does not fit in a part even alone with the header row: it cannot be cut.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowTooLarge {
    /// The data row's number in the converted file (1 = the first row after the header; 0 =
    /// the header row itself).
    pub row: usize,
    /// The row's bytes with the header row's.
    pub bytes: usize,
    pub limit: usize,
}

impl RowTooLarge {
    /// The refusal as the user reads it, naming the row (and its contact, when known).
    pub fn message(&self, contact: Option<&str>) -> String {
        let which = match (self.row, contact) {
            (0, _) => "The header row of the converted file".to_string(),
            (row, Some(id)) => format!(
                "Row {} of the converted file (contact {id})",
                thousands(row)
            ),
            (row, None) => format!("Row {} of the converted file", thousands(row)),
        };
        format!(
            "{which} is {} with the header row, more than POM's file limit of {} \
             (OCM_UPLOAD_POM_PART_MB). A row cannot be split across files, so nothing was sent; \
             shorten the row's values or leave a long column out.",
            megabytes(self.bytes),
            megabytes(self.limit)
        )
    }
}

impl fmt::Display for RowTooLarge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(None))
    }
}

/// Splits `file` (see the module note); `header_row`: its first row is the header.
pub fn split(file: &[u8], header_row: bool, limit: usize) -> Result<Parts, RowTooLarge> {
    let mut ends = row_ends(file);
    let header = if header_row {
        ends.next().unwrap_or(file.len())
    } else {
        0
    };
    if header > limit {
        return Err(RowTooLarge {
            row: 0,
            bytes: header,
            limit,
        });
    }
    let mut parts = Vec::new();
    let mut start = header;
    let mut previous = header;
    for (index, end) in ends.enumerate() {
        if header + (end - previous) > limit {
            return Err(RowTooLarge {
                row: index + 1,
                bytes: header + (end - previous),
                limit,
            });
        }
        if header + (end - start) > limit {
            parts.push(previous);
            start = previous;
        }
        previous = end;
    }
    if previous > start || parts.is_empty() {
        parts.push(previous);
    }
    Ok(Parts {
        header,
        ends: parts,
    })
}

/// Where each row ends (after its line feed; the file's end for a last row without one). A
/// line feed inside a quoted field belongs to the field: a doubled quote inside one toggles
/// twice, so only real field quotes count.
fn row_ends(file: &[u8]) -> impl Iterator<Item = usize> + '_ {
    let mut quoted = false;
    let mut position = 0;
    std::iter::from_fn(move || {
        while position < file.len() {
            let byte = file[position];
            position += 1;
            match byte {
                b'"' => quoted = !quoted,
                b'\n' if !quoted => return Some(position),
                _ => {}
            }
        }
        // The last row, when the file does not end with a line feed; reported once.
        let open = position == file.len() && file.last().is_some_and(|b| *b != b'\n');
        position = file.len() + 1;
        open.then_some(file.len())
    })
}

fn thousands(value: usize) -> String {
    let digits = value.to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// Bytes in the setting's unit (MB of 1,000,000 bytes), one decimal; small sizes in KB.
pub(super) fn megabytes(bytes: usize) -> String {
    let (value, unit) = if bytes < 100_000 {
        (bytes as f64 / 1_000.0, "KB")
    } else {
        (bytes as f64 / 1_000_000.0, "MB")
    };
    let shown = format!("{value:.1}");
    format!("{} {unit}", shown.strip_suffix(".0").unwrap_or(&shown))
}

#[cfg(test)]
mod tests;
