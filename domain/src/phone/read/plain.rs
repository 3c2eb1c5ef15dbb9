//! A plain number (digits, `+` and punctuation) read by a port of libphonenumber's `parse` steps
//! over the compiled metadata: the leading `+` or international prefix, the country code, a
//! default-country code written without `+`, the national prefix and its transform rule.

use regex::bytes::Regex;

use super::MIN_NSN;
use crate::phone::tables::{tables, Compiled, Length, Territory, MAX_NSN};
use crate::phone::PhoneProblem;

/// Country calling codes have at most three digits.
const MAX_CODE_DIGITS: usize = 3;

/// The country code and national significant number of a plain number.
pub(super) fn parse_plain(
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
