//! Reading one written number for a default territory, as libphonenumber's `parse` does, then its
//! verdict (`is_possible_number_with_reason`, `is_valid_number`). Numbers written with digits,
//! `+` and punctuation only, which is nearly all of them, are read by a port of libphonenumber's
//! steps over the compiled metadata (`tables`): leading `+` or international prefix, the country
//! code, a default-country code written without `+`, the national prefix and its transform rule.
//! A value with letters is refused (OCM's rule, not libphonenumber's, which turns `0800 FLOWERS`
//! into digits and drops an `ext. 12`: a dialer's list is no place to guess). Anything else
//! (other punctuation, other digits) goes through the `phonenumber` crate's own parser, and its
//! country code and national number get the same verdict.

use regex::bytes::Regex;

use super::tables::{tables, Compiled, Length, Territory, MAX_NSN};
use super::{Phone, PhoneProblem};

/// libphonenumber's limit on the text it reads.
const MAX_INPUT: usize = 250;
/// Country calling codes have at most three digits.
const MAX_CODE_DIGITS: usize = 3;
/// libphonenumber's shortest national significant number.
const MIN_NSN: usize = 2;

/// libphonenumber's punctuation between digits (`VALID_PUNCTUATION` without `x`).
fn punctuation(c: char) -> bool {
    matches!(
        c,
        '-' | ' '
            | '('
            | ')'
            | '['
            | ']'
            | '.'
            | '/'
            | '~'
            | '\u{a0}'
            | '\u{ad}'
            | '\u{200b}'
            | '\u{2060}'
            | '\u{2010}'..='\u{2015}'
            | '\u{2212}'
            | '\u{2053}'
            | '\u{223c}'
            | '\u{3000}'
            | '\u{30fc}'
            | '\u{ff08}'
            | '\u{ff09}'
            | '\u{ff0d}'..='\u{ff0f}'
            | '\u{ff3b}'
            | '\u{ff3d}'
            | '\u{ff5e}'
    )
}

/// `Some((plus, count))` with the digits written into `digits` when `value` (at most
/// [`MAX_INPUT`] bytes) is plain: punctuation, digits, and at most one `+` before every digit.
fn plain(value: &str, digits: &mut [u8; MAX_INPUT]) -> Option<(bool, usize)> {
    let mut count = 0;
    let mut plus = false;
    for c in value.chars() {
        match c {
            '0'..='9' => {
                digits[count] = c as u8;
                count += 1;
            }
            '+' if count == 0 && !plus => plus = true,
            c if punctuation(c) => {}
            _ => return None,
        }
    }
    Some((plus, count))
}

/// Reads `value` (trimmed, not empty) as a number of `home` or written internationally.
pub(super) fn read(value: &str, home: &Territory) -> Result<Phone, PhoneProblem> {
    if value.len() > MAX_INPUT {
        return Err(PhoneProblem::TooLong);
    }
    if value.chars().any(char::is_alphabetic) {
        return Err(PhoneProblem::NotANumber { letters: true });
    }
    let mut buffer = [0; MAX_INPUT];
    let (code, nsn) = match plain(value, &mut buffer) {
        Some((plus, count)) => {
            let digits = &buffer[..count];
            // libphonenumber's viability: two digits alone, or at least three.
            if digits.len() < 3 && !(digits.len() == MIN_NSN && !plus && value.len() == MIN_NSN) {
                return Err(PhoneProblem::NotANumber { letters: false });
            }
            parse_plain(plus, digits, home)?
        }
        None => parse_other(value, home)?,
    };
    verdict(code, &nsn)
}

/// The country code and national significant number of a plain number.
fn parse_plain(
    plus: bool,
    digits: &[u8],
    home: &Territory,
) -> Result<(u16, Vec<u8>), PhoneProblem> {
    let compiled = home.compiled();
    let found = match country_code(plus, digits, home, compiled) {
        Err(PhoneProblem::UnknownCountryCode) if plus => {
            // libphonenumber tries once more without the `+`.
            match country_code(false, digits, home, compiled)? {
                None => return Err(PhoneProblem::UnknownCountryCode),
                found => found,
            }
        }
        other => other?,
    };
    // A national number is read with the home territory's rules, an international one with
    // the main territory of its code.
    let (code, national, territory) = match found {
        Some((code, national)) => {
            let main = tables().territories(code).first();
            (
                code,
                national,
                main.ok_or(PhoneProblem::UnknownCountryCode)?,
            )
        }
        None => (home.code, digits.to_vec(), home),
    };
    if national.len() < MIN_NSN {
        return Err(PhoneProblem::TooShort);
    }
    let compiled = territory.compiled();
    let national = match strip_national_prefix(&national, compiled) {
        Some(stripped)
            if !matches!(
                compiled.length(&stripped),
                Length::TooShort | Length::LocalOnly | Length::Invalid
            ) =>
        {
            stripped
        }
        _ => national,
    };
    if national.len() < MIN_NSN {
        return Err(PhoneProblem::TooShort);
    }
    if national.len() > MAX_NSN {
        return Err(PhoneProblem::TooLong);
    }
    Ok((code, national))
}

/// libphonenumber's `_maybe_extract_country_code`: `Some` with the code and the rest when the
/// number is written internationally (or starts with the home code and reads better without
/// it), `None` for a national number.
fn country_code(
    plus: bool,
    digits: &[u8],
    home: &Territory,
    compiled: &Compiled,
) -> Result<Option<(u16, Vec<u8>)>, PhoneProblem> {
    let international = if plus {
        Some(digits)
    } else {
        after_idd(digits, compiled.idd.as_ref())
    };
    if let Some(rest) = international {
        if rest.len() <= MIN_NSN {
            return Err(PhoneProblem::TooShort);
        }
        return match leading_code(rest) {
            Some((code, rest)) => Ok(Some((code, rest.to_vec()))),
            None => Err(PhoneProblem::UnknownCountryCode),
        };
    }
    let (own, own_len) = code_digits(home.code);
    let Some(potential) = digits.strip_prefix(&own[..own_len]) else {
        return Ok(None);
    };
    let potential =
        strip_national_prefix(potential, compiled).unwrap_or_else(|| potential.to_vec());
    let better = !compiled.general.is_match(digits) && compiled.general.is_match(&potential);
    if better || compiled.length(digits) == Length::TooLong {
        return Ok(Some((home.code, potential)));
    }
    Ok(None)
}

/// A country code's digits, without allocating.
fn code_digits(code: u16) -> ([u8; MAX_CODE_DIGITS], usize) {
    let mut out = [0; MAX_CODE_DIGITS];
    let len = if code >= 100 {
        3
    } else if code >= 10 {
        2
    } else {
        1
    };
    let mut rest = code;
    for slot in out[..len].iter_mut().rev() {
        *slot = b'0' + (rest % 10) as u8;
        rest /= 10;
    }
    (out, len)
}

/// The digits after the home territory's international prefix, when they start with it and the
/// next digit is not 0.
fn after_idd<'d>(digits: &'d [u8], idd: Option<&Regex>) -> Option<&'d [u8]> {
    let end = idd?.find(digits)?.end();
    let rest = &digits[end..];
    (rest.first() != Some(&b'0')).then_some(rest)
}

/// libphonenumber's `_extract_country_code`: the shortest known code at the start.
fn leading_code(digits: &[u8]) -> Option<(u16, &[u8])> {
    if digits.first() == Some(&b'0') {
        return None;
    }
    (1..=MAX_CODE_DIGITS.min(digits.len())).find_map(|n| {
        let code = digits[..n]
            .iter()
            .fold(0u16, |code, d| code * 10 + u16::from(d - b'0'));
        tables().is_code(code).then(|| (code, &digits[n..]))
    })
}

/// libphonenumber's `_maybe_strip_national_prefix_carrier_code`: the number without its national
/// prefix (rewritten by the transform rule, if any), or `None` when it has none or would not be a
/// number of the territory without it.
fn strip_national_prefix(number: &[u8], compiled: &Compiled) -> Option<Vec<u8>> {
    let prefix = compiled.national_prefix.as_ref()?;
    let stripped = match &compiled.transform {
        // The rule applies when the pattern's last group took part in the match.
        Some(rule) => {
            let captures = prefix.captures(number)?;
            let end = captures.get(0)?.end();
            let last = captures.len().checked_sub(1).filter(|&n| n > 0);
            match last.and_then(|last| captures.get(last)) {
                Some(_) => {
                    let mut out = Vec::with_capacity(number.len() + 2);
                    captures.expand(rule, &mut out);
                    out.extend_from_slice(&number[end..]);
                    out
                }
                None => number[end..].to_vec(),
            }
        }
        None => number[prefix.find(number)?.end()..].to_vec(),
    };
    if compiled.general.is_match(number) && !compiled.general.is_match(&stripped) {
        return None;
    }
    Some(stripped)
}

/// Anything but a plain number, through the `phonenumber` crate's parser.
fn parse_other(value: &str, home: &Territory) -> Result<(u16, Vec<u8>), PhoneProblem> {
    let region = home.id.parse().ok();
    match phonenumber::parse(region, value) {
        Ok(number) => {
            let nsn = number.national().to_string().into_bytes();
            if nsn.len() > MAX_NSN {
                return Err(PhoneProblem::TooLong);
            }
            Ok((number.code().value(), nsn))
        }
        Err(phonenumber::ParseError::InvalidCountryCode) => Err(PhoneProblem::UnknownCountryCode),
        Err(phonenumber::ParseError::TooShortAfterIdd | phonenumber::ParseError::TooShortNsn) => {
            Err(PhoneProblem::TooShort)
        }
        Err(phonenumber::ParseError::TooLong) => Err(PhoneProblem::TooLong),
        Err(_) => Err(PhoneProblem::NotANumber { letters: false }),
    }
}

/// Whether the number is possible for its country (and then whether it is valid), as
/// libphonenumber judges it. A local number without its area code is refused: POM cannot dial it.
fn verdict(code: u16, nsn: &[u8]) -> Result<Phone, PhoneProblem> {
    let territories = tables().territories(code);
    let main = territories
        .first()
        .ok_or(PhoneProblem::UnknownCountryCode)?;
    match main.compiled().length(nsn) {
        Length::Possible => {}
        Length::LocalOnly => return Err(PhoneProblem::LocalOnly),
        Length::TooShort => return Err(PhoneProblem::TooShort),
        Length::TooLong => return Err(PhoneProblem::TooLong),
        Length::Invalid => return Err(PhoneProblem::InvalidLength),
    }
    // `region_code_for_number` then `is_valid_number_for_region`.
    let valid = match territories {
        [only] => only.compiled().has_type(nsn),
        _ => territories
            .iter()
            .find(|t| {
                let compiled = t.compiled();
                match &compiled.leading_digits {
                    Some(leading) => leading.is_match(nsn),
                    None => compiled.has_type(nsn),
                }
            })
            .is_some_and(|t| t.compiled().has_type(nsn)),
    };
    Ok(Phone::new(code, nsn, valid))
}
