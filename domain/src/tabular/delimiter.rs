//! Which of `,` `;` tab `|` separates the fields: the one found the same number of times on the
//! most lines at the start of the file (quoted text not counted), so a comma inside names does not
//! outvote the semicolons of a European Excel export.

use std::collections::HashMap;

const CANDIDATES: [u8; 4] = [b',', b';', b'\t', b'|'];
/// Used when no candidate appears at all: a file of one column.
pub(super) const FALLBACK: u8 = b',';
const SAMPLE_LINES: usize = 50;
const SAMPLE_BYTES: usize = 64 * 1024;

/// How the delimiter is named in the format line: `';'`, `tab`.
pub(super) fn name(delimiter: u8) -> String {
    match delimiter {
        b'\t' => "tab".to_string(),
        other => format!("'{}'", other as char),
    }
}

pub(super) fn detect(text: &str) -> u8 {
    let whole = text.len() <= SAMPLE_BYTES;
    let head = &text.as_bytes()[..text.len().min(SAMPLE_BYTES)];
    let mut lines: Vec<[usize; 4]> = Vec::new();
    let mut counts = [0usize; 4];
    let mut quoted = false;
    let mut blank = true;
    for &byte in head {
        match byte {
            b'"' => {
                quoted = !quoted;
                blank = false;
            }
            b'\n' | b'\r' if !quoted => {
                if !blank {
                    lines.push(counts);
                }
                counts = [0; 4];
                blank = true;
                if lines.len() == SAMPLE_LINES {
                    break;
                }
            }
            _ if !quoted => {
                if let Some(i) = CANDIDATES.iter().position(|&c| c == byte) {
                    counts[i] += 1;
                }
                blank &= byte.is_ascii_whitespace();
            }
            _ => {}
        }
    }
    // A line cut off by the sample's end would count wrong.
    if !blank && whole {
        lines.push(counts);
    }
    let mut best: Option<((usize, usize), u8)> = None;
    for (i, &candidate) in CANDIDATES.iter().enumerate() {
        let mut frequency: HashMap<usize, usize> = HashMap::new();
        for line in lines.iter().filter(|line| line[i] > 0) {
            *frequency.entry(line[i]).or_default() += 1;
        }
        let score = frequency
            .into_iter()
            .map(|(count, lines)| (lines, count))
            .max();
        if let Some(score) = score {
            if best.is_none_or(|(top, _)| score > top) {
                best = Some((score, candidate));
            }
        }
    }
    best.map_or(FALLBACK, |(_, candidate)| candidate)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_consistent_delimiter_wins() {
        assert_eq!(detect("phone,name\n1,a\n2,b\n"), b',');
        assert_eq!(detect("name;phone\nSmith, John;0123\nDoe;0456\n"), b';');
        assert_eq!(detect("a\tb\n1\t2"), b'\t');
        assert_eq!(detect("a|b|c\r\n1|2|3\r\n"), b'|');
        assert_eq!(detect("\"x;y\",1\n\"z;w\",2\n"), b',');
        assert_eq!(detect("\"multi\nline;;\",1\n\"b\",2\n"), b',');
    }

    #[test]
    fn one_column_falls_back_to_comma() {
        assert_eq!(detect("phone\n+447700900123\n"), FALLBACK);
        assert_eq!(detect(""), FALLBACK);
    }

    #[test]
    fn names_are_readable() {
        assert_eq!(name(b'\t'), "tab");
        assert_eq!(name(b';'), "';'");
    }
}
