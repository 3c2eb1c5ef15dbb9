//! Phone numbers to E.164 form (`+` and digits): separators removed, `00` and national numbers
//! turned international, digit counts checked. Spreadsheet numbers that went through text as
//! `447700900123.0` are read as their digits; scientific notation is refused because Excel has
//! usually dropped digits by then.

use std::borrow::Cow;

use super::normalise::Problem;
use super::NumberRules;

/// A number without `+`, `00` or `0` that starts with the default country code is taken as
/// already international only when at least this many digits follow the code; shorter ones are
/// national numbers that happen to start with the same digits.
const NATIONAL_MIN_DIGITS: usize = 7;
/// `447700900123.0` is a number that passed through a float; fewer digits before the point are
/// more likely a dotted number like `7946.0000`.
const FLOAT_MIN_DIGITS: usize = 6;

/// Characters people put between digits, besides any kind of space.
fn separator(c: char) -> bool {
    matches!(
        c,
        '-' | '.' | '(' | ')' | '[' | ']' | '/' | '\u{2010}'..='\u{2015}' | '\u{2212}'
    ) || c.is_whitespace()
}

/// The number as POM takes it (`+447700900123`), or why it is not one.
pub fn normalise_phone(raw: &str, rules: &NumberRules) -> Result<String, String> {
    check_phone(raw, rules).map_err(|problem| problem.to_string())
}

/// [`normalise_phone`] with the reason as a [`Problem`].
pub fn check_phone(raw: &str, rules: &NumberRules) -> Result<String, Problem> {
    let mut international = String::new();
    check_phone_into(raw, rules, &mut international)?;
    Ok(international)
}

/// [`check_phone`] appending the number to `out` (nothing on a refusal), for callers that build
/// a line without a string per value.
pub fn check_phone_into(raw: &str, rules: &NumberRules, out: &mut String) -> Result<(), Problem> {
    let value = without_trunk_zero(whole_float(raw.trim()));
    let value = value.as_ref();
    if value.is_empty() {
        return Err(Problem::Empty);
    }
    if scientific(value) {
        return Err(Problem::Scientific);
    }
    // Letters say most about what went wrong, so they win over a stray character before them.
    let mut plus = false;
    let mut count = 0;
    let mut stray = None;
    for c in value.chars() {
        match c {
            '0'..='9' => count += 1,
            '+' if count == 0 && !plus => plus = true,
            c if c.is_alphabetic() => return Err(Problem::Letters),
            '+' => stray = stray.or(Some(Problem::Plus)),
            c if separator(c) => {}
            c => stray = stray.or(Some(Problem::Character(c))),
        }
    }
    if let Some(problem) = stray {
        return Err(problem);
    }
    if count == 0 {
        return Err(Problem::NoDigits);
    }
    // Digits are ASCII, so a byte that is a digit is one.
    let digits = || value.bytes().filter(u8::is_ascii_digit);
    let leading_zeros = digits().take(2).take_while(|&d| d == b'0').count();
    let code = rules.default_country_code.as_deref();
    // How many of the written digits to drop, and the country code to put before the rest.
    let (skip, prefix) = match (plus, leading_zeros, code) {
        (true, _, _) => (0, ""),
        (false, 2, _) => (2, ""),
        (false, 1, Some(code)) => (1, code),
        (false, 1, None) => return Err(Problem::NoCountryCode),
        (false, _, Some(code)) => {
            let has_code = count >= code.len() && digits().zip(code.bytes()).all(|(d, c)| d == c);
            let international =
                has_code && count >= rules.min_digits && count >= code.len() + NATIONAL_MIN_DIGITS;
            (0, if international { "" } else { code })
        }
        (false, _, None) => (0, ""),
    };
    let total = prefix.len() + count - skip;
    let first = prefix.bytes().chain(digits().skip(skip)).next();
    match first {
        None => return Err(Problem::NoDigits),
        Some(b'0') => return Err(Problem::CountryCode),
        Some(_) => {}
    }
    if !(rules.min_digits..=rules.max_digits).contains(&total) {
        return Err(Problem::Digits {
            count: total,
            min: rules.min_digits,
            max: rules.max_digits,
        });
    }
    out.reserve(total + 1);
    out.push('+');
    out.push_str(prefix);
    out.extend(digits().skip(skip).map(char::from));
    Ok(())
}

/// `+44 (0)20 7946 0000`: the bracketed trunk zero after a country code is not dialled.
fn without_trunk_zero(value: &str) -> Cow<'_, str> {
    // Most numbers have no bracket: a byte search is much cheaper than a substring search.
    if !value.contains('(') {
        return Cow::Borrowed(value);
    }
    match value.find("(0)") {
        Some(i) if value[..i].contains('+') || value.starts_with("00") => {
            Cow::Owned(format!("{}{}", &value[..i], &value[i + 3..]))
        }
        _ => Cow::Borrowed(value),
    }
}

/// `447700900123.0` → `447700900123`; anything else unchanged.
fn whole_float(value: &str) -> &str {
    match value.split_once('.') {
        Some((whole, zeros))
            if whole.len() >= FLOAT_MIN_DIGITS
                && whole.bytes().all(|b| b.is_ascii_digit())
                && !zeros.is_empty()
                && zeros.bytes().all(|b| b == b'0') =>
        {
            whole
        }
        _ => value,
    }
}

/// `4.47701E+11`, `4477e8`: a mantissa, `e`, an exponent.
fn scientific(value: &str) -> bool {
    let Some((mantissa, exponent)) = value.split_once(['e', 'E']) else {
        return false;
    };
    let exponent = exponent.strip_prefix(['+', '-']).unwrap_or(exponent);
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, "0"));
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    digits(whole) && digits(fraction) && digits(exponent)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uk() -> NumberRules {
        NumberRules {
            default_country_code: Some("44".into()),
            ..NumberRules::default()
        }
    }

    #[test]
    fn separators_go_and_the_plus_stays() {
        let rules = NumberRules::default();
        for raw in [
            "+44 7700 900123",
            "+44-7700-900123",
            "+44 (0)7700.900.123",
            "(+44) 7700\u{a0}900\u{202f}123",
            "+44 [7700] 900/123",
            " +447700900123\t",
            "0044 7700 900123",
        ] {
            assert_eq!(
                normalise_phone(raw, &rules).as_deref(),
                Ok("+447700900123"),
                "{raw:?}"
            );
        }
    }

    #[test]
    fn national_numbers_get_the_default_country_code() {
        assert_eq!(
            normalise_phone("07700 900123", &uk()),
            Ok("+447700900123".into())
        );
        assert_eq!(
            normalise_phone("(0)7700 900123", &uk()),
            Ok("+447700900123".into())
        );
        assert_eq!(
            normalise_phone("7700900123", &uk()),
            Ok("+447700900123".into())
        );
        assert_eq!(
            normalise_phone("447700900123", &uk()),
            Ok("+447700900123".into())
        );
        // Too short after the code to be international already: national digits.
        assert_eq!(normalise_phone("44123456", &uk()), Ok("+4444123456".into()));
        assert_eq!(
            normalise_phone("07700 900123", &NumberRules::default()),
            Err("national number (starts with 0) and no default country code is set".into())
        );
        assert_eq!(
            normalise_phone("447700900123", &NumberRules::default()),
            Ok("+447700900123".into())
        );
    }

    #[test]
    fn spreadsheet_floats_come_out_as_digits() {
        let rules = NumberRules::default();
        assert_eq!(
            normalise_phone("447700900123.0", &rules),
            Ok("+447700900123".into())
        );
        assert_eq!(
            normalise_phone("447700900123.000", &rules),
            Ok("+447700900123".into())
        );
        assert_eq!(
            normalise_phone("4.477009E+11", &rules),
            Err(
                "a number in scientific notation (digits may be lost): format the column as text"
                    .into()
            )
        );
        assert!(
            scientific("4477e8")
                && scientific("4.4e-3")
                && !scientific("e5")
                && !scientific("4.e5")
        );
    }

    #[test]
    fn digit_counts_are_bounded() {
        let rules = NumberRules::default();
        assert_eq!(
            normalise_phone("+44 123", &rules),
            Err("not a phone number: 5 digits (8 to 15 needed)".into())
        );
        assert_eq!(
            normalise_phone("+1234567890123456", &rules),
            Err("not a phone number: 16 digits (8 to 15 needed)".into())
        );
        assert_eq!(normalise_phone("+12345678", &rules), Ok("+12345678".into()));
        assert_eq!(
            normalise_phone("+123456789012345", &rules),
            Ok("+123456789012345".into())
        );
        let narrow = NumberRules {
            min_digits: 10,
            max_digits: 12,
            ..uk()
        };
        assert_eq!(
            normalise_phone("+44 77 00", &narrow),
            Err("not a phone number: 6 digits (10 to 12 needed)".into())
        );
    }

    #[test]
    fn other_characters_are_refused_with_the_reason() {
        let rules = uk();
        assert_eq!(
            normalise_phone("0770 CALL ME", &rules),
            Err("letters in a phone number".into())
        );
        assert_eq!(
            normalise_phone("n/a", &rules),
            Err("letters in a phone number".into())
        );
        assert_eq!(
            normalise_phone("+44+7700900123", &rules),
            Err("not a phone number: '+' belongs only at the start".into())
        );
        assert_eq!(
            normalise_phone("07700#900123", &rules),
            Err("not a phone number: unexpected character '#'".into())
        );
        assert_eq!(
            normalise_phone("- -", &rules),
            Err("not a phone number: no digits".into())
        );
        assert_eq!(
            normalise_phone("+", &rules),
            Err("not a phone number: no digits".into())
        );
        assert_eq!(
            normalise_phone("+0 7700 900123", &rules),
            Err("not a phone number: a country code cannot start with 0".into())
        );
        assert_eq!(normalise_phone("", &rules), Err("empty".into()));
    }
}
