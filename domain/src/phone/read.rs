//! Reading one written number for a default territory, as libphonenumber's `parse` does, then its
//! verdict (`is_possible_number_with_reason`, `is_valid_number`). Numbers written with digits,
//! `+` and punctuation only, which is nearly all of them, are read by a port of libphonenumber's
//! steps over the compiled metadata (`plain`).
//! A value with letters is refused (OCM's rule, not libphonenumber's, which turns `0800 FLOWERS`
//! into digits and drops an `ext. 12`: a dialer's list is no place to guess). Anything else
//! (other punctuation, other digits) goes through the `phonenumber` crate's own parser, and its
//! country code and national number get the same verdict.

mod plain;

use super::tables::{tables, Length, Territory, MAX_NSN};
use super::{Phone, PhoneProblem};
use plain::parse_plain;

/// libphonenumber's limit on the text it reads.
const MAX_INPUT: usize = 250;
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
