//! Numbers as POM takes them: digits with an optional `-` and `.` decimals, written as in the file
//! but without thousands separators and spaces (`1,234.50` → `1234.50`, `1.234,50` → `1234.50`,
//! `1 234` → `1234`). A lone comma is a decimal comma (`12,5` → `12.5`) unless it is followed by
//! exactly three digits after a group that can start a number (`1,234` is a thousand and
//! thirty-four); a lone dot is a decimal point.

use std::borrow::Cow;

/// Appends the number to `out`; `false` (and nothing appended) when the value is not one.
pub(super) fn normalise_number(raw: &str, out: &mut String) -> bool {
    let unsigned = raw.strip_prefix(['+', '-']).unwrap_or(raw);
    if plain(unsigned) {
        if raw.starts_with('-') {
            out.push('-');
        }
        out.push_str(unsigned);
        return true;
    }
    grouped_number(raw, out)
}

/// `12.50`: digits, or digits `.` digits, the common case, written as it is.
fn plain(text: &str) -> bool {
    let (whole, fraction) = text.split_once('.').unwrap_or((text, "0"));
    let digits = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
    digits(whole) && digits(fraction)
}

/// A number written with spaces, thousands separators or a decimal comma.
fn grouped_number(raw: &str, out: &mut String) -> bool {
    let ignored = |c: char| c.is_whitespace() || matches!(c, '\'' | '\u{2019}');
    let squeezed: Cow<'_, str> = if raw.contains(ignored) {
        Cow::Owned(raw.chars().filter(|&c| !ignored(c)).collect())
    } else {
        Cow::Borrowed(raw)
    };
    let (negative, body) = match squeezed.as_bytes().first() {
        Some(b'-') => (true, &squeezed[1..]),
        Some(b'+') => (false, &squeezed[1..]),
        _ => (false, squeezed.as_ref()),
    };
    if !body.bytes().any(|b| b.is_ascii_digit())
        || !body
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b',' || b == b'.')
    {
        return false;
    }
    let commas = body.bytes().filter(|&b| b == b',').count();
    let dots = body.bytes().filter(|&b| b == b'.').count();
    // The whole part, the separator to leave out of it, and the decimals.
    let (whole, group, fraction) = match (commas, dots) {
        (0, 0) => (body, ',', ""),
        (_, 0) if grouped(body, ',') => (body, ',', ""),
        (1, 0) => split(body, ','),
        (0, 1) => split(body, '.'),
        (0, _) if grouped(body, '.') => (body, '.', ""),
        _ => {
            // Both: the last one is the decimal mark, written once, and the other groups.
            let (mark, group) = if body.rfind(',') > body.rfind('.') {
                (',', '.')
            } else {
                ('.', ',')
            };
            let Some((whole, fraction)) = body.rsplit_once(mark) else {
                return false;
            };
            if whole.contains(mark) || fraction.contains(group) || !grouped(whole, group) {
                return false;
            }
            (whole, group, fraction)
        }
    };
    if fraction.contains([',', '.']) {
        return false;
    }
    if negative {
        out.push('-');
    }
    if whole.is_empty() {
        out.push('0');
    }
    out.extend(whole.chars().filter(|&c| c != group));
    if !fraction.is_empty() {
        out.push('.');
        out.push_str(fraction);
    }
    true
}

/// `1,234,567`: a first group of one to three digits that does not start with 0, then groups of
/// three.
fn grouped(text: &str, separator: char) -> bool {
    let mut groups = text.split(separator);
    let first = groups.next().unwrap_or("");
    (1..=3).contains(&first.len())
        && !first.starts_with('0')
        && text.contains(separator)
        && groups.all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit()))
}

/// Whole part and decimals around a decimal mark written once.
fn split(text: &str, mark: char) -> (&str, char, &str) {
    let (whole, fraction) = text.split_once(mark).unwrap_or((text, ""));
    (whole, mark, fraction)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(raw: &str) -> Option<String> {
        let mut out = String::new();
        normalise_number(raw, &mut out).then_some(out)
    }

    #[test]
    fn separators_go_and_the_decimals_stay_as_written() {
        assert_eq!(n("1234").as_deref(), Some("1234"));
        assert_eq!(n(" -12.50 ").as_deref(), Some("-12.50"));
        assert_eq!(n("+7").as_deref(), Some("7"));
        assert_eq!(n("1,234.50").as_deref(), Some("1234.50"));
        assert_eq!(n("1.234,50").as_deref(), Some("1234.50"));
        assert_eq!(n("1 234 567,8").as_deref(), Some("1234567.8"));
        assert_eq!(n("1\u{a0}234").as_deref(), Some("1234"));
        assert_eq!(n("1'234.5").as_deref(), Some("1234.5"));
        assert_eq!(n("1,234,567").as_deref(), Some("1234567"));
        assert_eq!(n("1.234.567").as_deref(), Some("1234567"));
        assert_eq!(n("007").as_deref(), Some("007"));
        assert_eq!(n(".5").as_deref(), Some("0.5"));
        assert_eq!(n("-.5").as_deref(), Some("-0.5"));
        assert_eq!(n("12.").as_deref(), Some("12"));
    }

    #[test]
    fn a_lone_comma_is_a_decimal_unless_it_groups_thousands() {
        assert_eq!(n("12,5").as_deref(), Some("12.5"));
        assert_eq!(n("0,125").as_deref(), Some("0.125"));
        assert_eq!(n("1234,567").as_deref(), Some("1234.567"));
        assert_eq!(n("1,234").as_deref(), Some("1234"));
        assert_eq!(n("1.234").as_deref(), Some("1.234"));
    }

    #[test]
    fn other_text_is_not_a_number() {
        for bad in [
            "",
            " ",
            "-",
            "abc",
            "12abc",
            "1e5",
            "1,2,3",
            "1.2.3",
            "1,234.5,6",
            "1.2,3.4",
            "12,34.5",
            "$5",
            "5%",
            "--5",
            "+-5",
            ",",
            ".",
        ] {
            assert_eq!(n(bad), None, "{bad:?}");
        }
    }
}
