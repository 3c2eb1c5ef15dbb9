//! Phone numbers by libphonenumber's rules and metadata: a written number is read for the default
//! region (`OCM_PHONE_REGION`) in national or international form (`read`), judged possible and
//! valid for its country, and written in the form POM's contacts keep (`OCM_POM_PHONE_FORMAT`;
//! `forms`). The metadata is the `phonenumber` crate's (libphonenumber's, kept current there);
//! `tables` compiles its patterns once per country. Used by the DNC pre-flight and single actions,
//! contact uploads, purge filters on phone attributes and the DNC format audit.

mod forms;
mod read;
mod tables;

#[cfg(test)]
mod tests;

use std::fmt;

pub use forms::PomFormat;
use tables::{tables, Territory, MAX_NSN};

/// A region of libphonenumber's metadata (`GB`, `US`): whose national numbers are read.
#[derive(Clone, Copy)]
pub struct Region(&'static Territory);

impl Region {
    /// The region with this ISO code (any case), when libphonenumber knows it.
    pub fn parse(id: &str) -> Option<Region> {
        tables()
            .territory(&id.trim().to_ascii_uppercase())
            .map(Region)
    }

    /// `GB`.
    pub fn id(self) -> &'static str {
        self.0.id
    }

    /// `44`.
    pub fn code(self) -> u16 {
        self.0.code
    }
}

impl fmt::Debug for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Region({})", self.0.id)
    }
}

impl PartialEq for Region {
    fn eq(&self, other: &Region) -> bool {
        self.0.id == other.0.id
    }
}

impl Eq for Region {}

/// What a contact upload does with a number that is possible but not valid for its country.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InvalidPhones {
    /// Sent, and counted apart in the pre-flight.
    Flag,
    /// Rejected with the row.
    Refuse,
}

/// How OCM reads phone numbers and writes them for POM.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhoneRules {
    /// National numbers are this region's (`OCM_PHONE_REGION`).
    pub region: Region,
    /// The region is demo mode's, not configured.
    pub demo_default: bool,
    /// The form POM's contacts keep numbers in (`OCM_POM_PHONE_FORMAT`).
    pub format: PomFormat,
    /// Contact uploads: possible but not valid numbers (`OCM_UPLOAD_INVALID_PHONES`).
    pub invalid_uploads: InvalidPhones,
}

/// Demo mode's region: the simulator's demo contacts are British numbers.
pub const DEMO_REGION: &str = "GB";

impl PhoneRules {
    /// Numbers of `region`, sent to POM in E.164 form; invalid numbers in uploads flagged.
    pub fn new(region: Region) -> PhoneRules {
        PhoneRules {
            region,
            demo_default: false,
            format: PomFormat::E164,
            invalid_uploads: InvalidPhones::Flag,
        }
    }

    /// Demo mode's rules ([`DEMO_REGION`]).
    pub fn demo() -> PhoneRules {
        let region = Region::parse(DEMO_REGION).expect("libphonenumber knows GB");
        PhoneRules {
            demo_default: true,
            ..PhoneRules::new(region)
        }
    }

    /// How numbers are read and sent, in words for the pre-flight.
    pub fn describe(&self) -> String {
        let whose = if self.demo_default {
            " (demo mode's region; set OCM_PHONE_REGION)"
        } else {
            ""
        };
        format!(
            "Numbers without a country code are read as {} numbers{whose}; POM gets {}.",
            self.region.id(),
            self.format.label()
        )
    }

    /// Reads a written number (trimmed, not empty).
    pub fn read(&self, raw: &str) -> Result<Phone, PhoneProblem> {
        let value = whole_float(raw.trim());
        if scientific(value) {
            return Err(PhoneProblem::Scientific);
        }
        read::read(value, self.region.0)
    }

    /// The number as POM takes it, appended to `out` (nothing on a refusal), with the warning
    /// when it is possible but not valid for its country.
    pub fn write_into(&self, raw: &str, out: &mut String) -> Result<Option<Warning>, PhoneProblem> {
        let phone = self.read(raw)?;
        phone.write(self.format, self.region, out);
        Ok(phone.warning())
    }
}

/// A number read: its country calling code and national significant number, and whether it is
/// valid (it is always possible).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Phone {
    code: u16,
    nsn: [u8; MAX_NSN],
    len: u8,
    valid: bool,
}

impl Phone {
    fn new(code: u16, nsn: &[u8], valid: bool) -> Phone {
        let mut digits = [0; MAX_NSN];
        digits[..nsn.len()].copy_from_slice(nsn);
        Phone {
            code,
            nsn: digits,
            len: nsn.len() as u8,
            valid,
        }
    }

    /// The country calling code (`44`).
    pub fn code(&self) -> u16 {
        self.code
    }

    /// The national significant number (`7700900123`).
    pub fn national(&self) -> &str {
        std::str::from_utf8(&self.nsn[..usize::from(self.len)]).unwrap_or_default()
    }

    /// Valid for its country by libphonenumber's metadata.
    pub fn is_valid(&self) -> bool {
        self.valid
    }

    /// Why a possible number deserves a look: it is not valid for its country (a fictional
    /// range like 555, or a range newer than the metadata).
    pub fn warning(&self) -> Option<Warning> {
        (!self.valid).then_some(Warning { code: self.code })
    }
}

/// A number that is possible but not valid for its country.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Warning {
    code: u16,
}

/// `GB`, or `+800` for a code of no country.
fn country_label(code: u16) -> String {
    match tables().territories(code).first() {
        Some(territory) if territory.id != "001" => territory.id.to_string(),
        _ => format!("+{code}"),
    }
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "not a valid {} number", country_label(self.code))
    }
}

/// Why a value is not a phone number OCM can send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PhoneProblem {
    NotANumber {
        letters: bool,
    },
    Scientific,
    UnknownCountryCode,
    TooShort,
    TooLong,
    InvalidLength,
    LocalOnly,
    /// Possible but not valid, where such numbers are refused.
    NotValid(Warning),
}

impl PhoneProblem {
    /// Groups the counts; stable across releases.
    pub fn key(&self) -> &'static str {
        match self {
            PhoneProblem::NotANumber { letters: false } => "not_a_number",
            PhoneProblem::NotANumber { letters: true } => "letters",
            PhoneProblem::Scientific => "scientific_notation",
            PhoneProblem::UnknownCountryCode => "unknown_country_code",
            PhoneProblem::TooShort => "too_short",
            PhoneProblem::TooLong => "too_long",
            PhoneProblem::InvalidLength => "invalid_length",
            PhoneProblem::LocalOnly => "local_only",
            PhoneProblem::NotValid(_) => "not_valid",
        }
    }

    /// The text shown beside a count: the same for every value with this key.
    pub fn summary(&self) -> String {
        match self {
            PhoneProblem::NotValid(_) => "not a valid number for its country".into(),
            other => other.to_string(),
        }
    }
}

impl fmt::Display for PhoneProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PhoneProblem::NotANumber { letters: false } => write!(f, "not a phone number"),
            PhoneProblem::NotANumber { letters: true } => write!(f, "letters in a phone number"),
            PhoneProblem::Scientific => write!(
                f,
                "a number in scientific notation (digits may be lost): format the column as text"
            ),
            PhoneProblem::UnknownCountryCode => {
                write!(f, "not a phone number: no such country code")
            }
            PhoneProblem::TooShort => write!(f, "not a phone number: too short"),
            PhoneProblem::TooLong => write!(f, "not a phone number: too long"),
            PhoneProblem::InvalidLength => write!(
                f,
                "not a phone number: wrong number of digits for its country"
            ),
            PhoneProblem::LocalOnly => write!(f, "a local number: add the area code"),
            PhoneProblem::NotValid(warning) => write!(f, "{warning}"),
        }
    }
}

/// Spreadsheet numbers that went through text as `447700900123.0` are read as their digits;
/// fewer digits before the point are more likely a dotted number like `7946.0000`.
const FLOAT_MIN_DIGITS: usize = 6;

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

/// `4.47701E+11`, `4477e8`: a mantissa, `e`, an exponent. Excel has usually dropped digits by
/// then, so these are refused.
fn scientific(value: &str) -> bool {
    let Some((mantissa, exponent)) = value.split_once(['e', 'E']) else {
        return false;
    };
    let exponent = exponent.strip_prefix(['+', '-']).unwrap_or(exponent);
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, "0"));
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    digits(whole) && digits(fraction) && digits(exponent)
}
