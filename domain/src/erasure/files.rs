//! Whether a stored file (an upload's original, converted, reject or missing-rows file) holds the
//! person: every sheet and every cell is read with `tabular` and compared. Pure.

use super::identifiers::Person;
use crate::phone::PhoneRules;
use crate::tabular::{self, Cells, ParseError, ReadOptions, RowSink};

/// Stops the reading at the first cell that is the person's.
struct Finder<'p> {
    person: &'p Person,
    rules: &'p PhoneRules,
    found: bool,
}

impl RowSink for Finder<'_> {
    fn row(&mut self, _line: u64, cells: &dyn Cells) -> Result<(), ParseError> {
        let hit = (0..cells.width()).any(|i| {
            let cell = cells.cell(i);
            self.person.matches_id(cell) || self.person.matches_value(cell, self.rules)
        });
        if hit {
            self.found = true;
            // Found: no need to read on.
            return Err(ParseError::Cancelled);
        }
        Ok(())
    }
}

/// A quick look at a text file's bytes: `false` when none of the fragments can be in it. Files
/// in UTF-16 (a byte-order mark) and spreadsheets (zip, OLE) are always read in full.
fn may_hold(person: &Person, bytes: &[u8]) -> bool {
    let plain = !(bytes.starts_with(b"PK")
        || bytes.starts_with(&[0xD0, 0xCF])
        || bytes.starts_with(&[0xFF, 0xFE])
        || bytes.starts_with(&[0xFE, 0xFF]));
    if !plain {
        return true;
    }
    let (digit_fragments, text_fragments) = person.fragments();
    let digits: Vec<u8> = bytes.iter().copied().filter(u8::is_ascii_digit).collect();
    let lowered = bytes.to_ascii_lowercase();
    let contains = |hay: &[u8], needle: &[u8]| hay.windows(needle.len()).any(|w| w == needle);
    digit_fragments
        .iter()
        .any(|f| contains(&digits, f.as_bytes()))
        || text_fragments
            .iter()
            .any(|f| contains(&lowered, f.as_bytes()))
}

/// Whether any cell of any sheet is one of the person's identifiers.
pub fn holds(
    person: &Person,
    rules: &PhoneRules,
    file_name: &str,
    bytes: &[u8],
) -> Result<bool, ParseError> {
    if bytes.is_empty() || !may_hold(person, bytes) {
        return Ok(false);
    }
    let mut finder = Finder {
        person,
        rules,
        found: false,
    };
    let read_sheet = |finder: &mut Finder, sheet: Option<String>| {
        let options = ReadOptions {
            sheet,
            ..ReadOptions::default()
        };
        match tabular::read(file_name, bytes, &options, finder) {
            Ok(read) => Ok(Some(read)),
            Err(ParseError::Cancelled) if finder.found => Ok(None),
            Err(ParseError::Empty) => Ok(None),
            Err(error) => Err(error),
        }
    };
    let Some(first) = read_sheet(&mut finder, None)? else {
        return Ok(finder.found);
    };
    for sheet in first
        .sheets
        .iter()
        .filter(|s| Some(*s) != first.sheet.as_ref())
    {
        read_sheet(&mut finder, Some(sheet.clone()))?;
        if finder.found {
            break;
        }
    }
    Ok(finder.found)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::erasure::identifiers::read;
    use crate::phone::Region;

    #[test]
    fn a_file_holds_the_person_in_any_column_and_any_written_form() {
        let rules = PhoneRules::new(Region::parse("GB").unwrap());
        let person = read("07700900123", "jane@example.com", "C0042", &rules).unwrap();
        let csv =
            b"userContactId,phone,email\r\nC1,+44 7700 900999,a@b.com\r\nC2,0044 7700 900123,\r\n";
        assert!(holds(&person, &rules, "a.csv", csv).unwrap());
        let csv = b"userContactId,phone\r\nC0042,\r\n";
        assert!(holds(&person, &rules, "b.csv", csv).unwrap());
        let csv = b"userContactId,phone,email\r\nC1,+447700900999,JANE@EXAMPLE.COM\r\n";
        assert!(holds(&person, &rules, "c.csv", csv).unwrap());
        let csv = b"userContactId,phone\r\nC1,+447700900999\r\nC2,07700900124\r\n";
        assert!(!holds(&person, &rules, "d.csv", csv).unwrap());
        assert!(!holds(&person, &rules, "e.csv", b"").unwrap());
    }
}
