//! Which column holds the values and whether the first row is a header, from the first rows of
//! the file. A column whose header names what is wanted (phone, e-mail, … or contact id) wins,
//! the one with most valid values among several; otherwise the first column whose values mostly
//! validate. The first row is a header when its cell in that column looks like a name and is not
//! itself a value.

use super::normalise::check;
use super::{PhoneRules, Target};

/// The decision taken from the first rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Layout {
    pub column: usize,
    pub has_header: bool,
}

/// Header words for addresses, compared with the header lower-cased and stripped to letters and
/// digits (`E-mail` → `email`, `Phone No.` → `phoneno`).
const ADDRESS_WORDS: &[&str] = &[
    "phone", "mobile", "msisdn", "mail", "number", "nummer", "numero", "address", "cell",
];
/// Header names longer than this are sentences or values, not names.
const NAME_MAX_CHARS: usize = 64;

fn squashed(header: &str) -> String {
    header
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

fn names_target(target: Target, header: &str) -> bool {
    let name = squashed(header);
    match target {
        Target::Address => {
            name.starts_with("tel") || ADDRESS_WORDS.iter().any(|word| name.contains(word))
        }
        Target::ContactId => name == "id" || name.contains("contactid"),
    }
}

fn looks_like_name(cell: &str) -> bool {
    let cell = cell.trim();
    cell.chars().count() <= NAME_MAX_CHARS
        && cell.chars().any(char::is_alphabetic)
        && !cell.contains('@')
        && !cell.chars().any(char::is_control)
}

fn cell(row: &[String], column: usize) -> &str {
    row.get(column).map_or("", |c| c.trim())
}

/// `rows` are the first non-blank rows of the file; `manual` is the user's column.
pub(super) fn detect(
    rows: &[Vec<String>],
    target: Target,
    rules: &PhoneRules,
    manual: Option<usize>,
) -> Layout {
    let Some((first, rest)) = rows.split_first() else {
        return Layout {
            column: manual.unwrap_or(0),
            has_header: false,
        };
    };
    let valid = |value: &str| !value.is_empty() && check(target, rules, value).is_ok();
    let width = rows.iter().map(Vec::len).max().unwrap_or(0);
    // Valid and non-empty values per column, the first row not counted.
    let tally: Vec<(usize, usize)> = (0..width)
        .map(|c| {
            rest.iter().fold((0, 0), |(ok, filled), row| {
                let value = cell(row, c);
                (
                    ok + usize::from(valid(value)),
                    filled + usize::from(!value.is_empty()),
                )
            })
        })
        .collect();
    // Any text is a valid contact id, so only an address header must not be a value itself.
    let named = (0..width)
        .filter(|&c| {
            let name = cell(first, c);
            names_target(target, name) && (target == Target::ContactId || !valid(name))
        })
        // The leftmost of the best: `max_by_key` keeps the last maximum, so compare reversed.
        .min_by_key(|&c| std::cmp::Reverse(tally[c].0));
    let mostly_valid = || {
        (0..width).find(|&c| {
            let (ok, filled) = tally[c];
            // The first row counts only when it is a value: otherwise it may be the header.
            let first_ok = usize::from(valid(cell(first, c)));
            (ok + first_ok) * 2 > filled + first_ok
        })
    };
    let column = manual.or(named).or_else(mostly_valid).unwrap_or(0);
    let has_header = header(target, rules, cell(first, column), rest, column);
    Layout { column, has_header }
}

fn header(
    target: Target,
    rules: &PhoneRules,
    value: &str,
    rest: &[Vec<String>],
    column: usize,
) -> bool {
    match target {
        Target::Address => looks_like_name(value) && check(target, rules, value).is_err(),
        // Any text is a valid contact id, so a header is told apart by its name, or by being
        // words over a column of values with digits in them.
        Target::ContactId => {
            let with_digits = rest
                .iter()
                .map(|row| cell(row, column))
                .filter(|v| !v.is_empty())
                .fold((0, 0), |(digits, all), v| {
                    (
                        digits + usize::from(v.chars().any(|c| c.is_ascii_digit())),
                        all + 1,
                    )
                });
            names_target(target, value)
                || (looks_like_name(value)
                    && !value.chars().any(|c| c.is_ascii_digit())
                    && with_digits.0 * 2 > with_digits.1)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(lines: &[&[&str]]) -> Vec<Vec<String>> {
        lines
            .iter()
            .map(|l| l.iter().map(|c| c.to_string()).collect())
            .collect()
    }

    fn layout(target: Target, lines: &[&[&str]], manual: Option<usize>) -> (usize, bool) {
        let found = detect(&rows(lines), target, &PhoneRules::demo(), manual);
        (found.column, found.has_header)
    }

    #[test]
    fn the_named_column_with_most_valid_values_wins() {
        let file: &[&[&str]] = &[
            &["Name", "Address", "Mobile phone", "E-mail"],
            &["Ann", "1 High St", "+447700900123", "ann@example.com"],
            &["Bob", "2 High St", "+447700900124", ""],
        ];
        assert_eq!(layout(Target::Address, file, None), (2, true));
        assert_eq!(layout(Target::Address, file, Some(3)), (3, true));
        assert_eq!(layout(Target::Address, file, Some(0)), (0, true));
    }

    #[test]
    fn without_a_named_column_the_first_mostly_valid_one_is_used() {
        let file: &[&[&str]] = &[&["Ann", "+447700900123"], &["Bob", "+447700900124"]];
        assert_eq!(layout(Target::Address, file, None), (1, false));
        let headed: &[&[&str]] = &[&["Who", "Reach"], &["Ann", "+447700900123"]];
        assert_eq!(layout(Target::Address, headed, None), (1, true));
        let nothing: &[&[&str]] = &[&["Ann", "x"], &["Bob", "y"]];
        assert_eq!(layout(Target::Address, nothing, None), (0, true));
    }

    #[test]
    fn a_value_in_the_first_row_is_not_a_header() {
        let file: &[&[&str]] = &[&["+447700900123"], &["+447700900124"]];
        assert_eq!(layout(Target::Address, file, None), (0, false));
        let bad_first: &[&[&str]] = &[&["12345"], &["+447700900124"]];
        assert_eq!(layout(Target::Address, bad_first, None), (0, false));
    }

    #[test]
    fn contact_id_headers_are_told_by_name_or_by_words_over_digits() {
        let named: &[&[&str]] = &[&["Name", "userContactId"], &["Ann", "ABC"]];
        assert_eq!(layout(Target::ContactId, named, None), (1, true));
        let worded: &[&[&str]] = &[&["Customer"], &["C001"], &["C002"]];
        assert_eq!(layout(Target::ContactId, worded, None), (0, true));
        let values: &[&[&str]] = &[&["C000"], &["C001"]];
        assert_eq!(layout(Target::ContactId, values, None), (0, false));
        let words: &[&[&str]] = &[&["alpha"], &["beta"]];
        assert_eq!(layout(Target::ContactId, words, None), (0, false));
    }
}
