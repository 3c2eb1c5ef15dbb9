//! The forms a number is written in: for POM (`OCM_POM_PHONE_FORMAT`: E.164 with `+`, the same
//! digits without it, or the national form's digits), for people (libphonenumber's international
//! format, `+1 212-555-0147`), and every form POM may hold it in, for lookups.

use std::fmt::Write;

use phonenumber::Mode;

use super::tables::{at_start, braced_groups, tables, whole, NationalFormat, Territory};
use super::{Phone, Region};

/// The form POM's contacts keep numbers in; what OCM sends and looks up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PomFormat {
    /// `+12125550147`.
    E164,
    /// `12125550147`.
    Digits,
    /// The national format's digits (`2125550147`, `02079460959`) for numbers of the region;
    /// other countries' numbers keep the E.164 form.
    National,
}

impl PomFormat {
    pub const ALL: [PomFormat; 3] = [PomFormat::E164, PomFormat::Digits, PomFormat::National];

    /// `e164`, `digits` or `national`, as the setting spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            PomFormat::E164 => "e164",
            PomFormat::Digits => "digits",
            PomFormat::National => "national",
        }
    }

    /// In words.
    pub fn label(self) -> &'static str {
        match self {
            PomFormat::E164 => "E.164 numbers with + (+12125550147)",
            PomFormat::Digits => "digits without + (12125550147)",
            PomFormat::National => {
                "the national form's digits (2125550147); other countries' numbers with +"
            }
        }
    }

    /// The format the setting names (any case).
    pub fn parse(text: &str) -> Option<PomFormat> {
        let text = text.trim();
        PomFormat::ALL
            .into_iter()
            .find(|f| f.as_str().eq_ignore_ascii_case(text))
    }
}

impl Phone {
    /// `+12125550147`.
    pub fn e164(&self) -> String {
        let mut out = String::with_capacity(20);
        self.push_digits(true, &mut out);
        out
    }

    fn push_digits(&self, plus: bool, out: &mut String) {
        if plus {
            out.push('+');
        }
        // Writing into a `String` cannot fail.
        let _ = write!(out, "{}{}", self.code, self.national());
    }

    /// The number in POM's form, appended to `out`.
    pub fn write(&self, format: PomFormat, home: Region, out: &mut String) {
        match format {
            PomFormat::E164 => self.push_digits(true, out),
            PomFormat::Digits => self.push_digits(false, out),
            PomFormat::National if self.code == home.code() => {
                out.push_str(&self.national_digits())
            }
            PomFormat::National => self.push_digits(true, out),
        }
    }

    /// The number in POM's form.
    pub fn written(&self, format: PomFormat, home: Region) -> String {
        let mut out = String::with_capacity(20);
        self.write(format, home, &mut out);
        out
    }

    /// Every form POM may hold the number in, the configured one first, each once. The national
    /// form only for the home country's numbers: another country's national digits are a
    /// different number at home (`0612345678` is French abroad but a Rome number in Italy).
    pub fn forms(&self, format: PomFormat, home: Region) -> Vec<String> {
        let mut forms = vec![self.written(format, home)];
        for other in PomFormat::ALL {
            let form = self.written(other, home);
            if !forms.contains(&form) {
                forms.push(form);
            }
        }
        forms
    }

    /// libphonenumber's international format, for people: `+1 212-555-0147`.
    pub fn shown(&self) -> String {
        self.formatted(Mode::International)
            .unwrap_or_else(|| format!("+{} {}", self.code, self.national()))
    }

    /// The digits of libphonenumber's national format (`format_number(…, NATIONAL)`): the
    /// national prefix where the country's format writes one (`07700900123`), then the number as
    /// the format arranges it.
    pub fn national_digits(&self) -> String {
        let nsn = self.national();
        let chosen = tables().territories(self.code).first().and_then(|main| {
            national_formats(main).iter().find(|f| {
                f.leading_digits
                    .as_ref()
                    .is_none_or(|leading| leading.is_match(nsn.as_bytes()))
                    && f.pattern.is_match(nsn.as_bytes())
            })
        });
        let Some(format) = chosen else {
            return nsn.to_string();
        };
        let mut out = Vec::with_capacity(24);
        if let Some(captures) = format.pattern.captures(nsn.as_bytes()) {
            captures.expand(&format.national, &mut out);
        }
        out.into_iter()
            .filter(u8::is_ascii_digit)
            .map(char::from)
            .collect()
    }

    /// Formatted by the `phonenumber` crate, when its reading of the E.164 form agrees with ours.
    fn formatted(&self, mode: Mode) -> Option<String> {
        let number = phonenumber::parse(None, self.e164()).ok()?;
        let same =
            number.code().value() == self.code && number.national().to_string() == self.national();
        same.then(|| number.format().mode(mode).to_string())
    }
}

/// A territory's national formats, compiled on first use.
fn national_formats(territory: &Territory) -> &[NationalFormat] {
    territory.formats.get_or_init(|| {
        let meta = territory.meta;
        let prefix = meta.national_prefix().unwrap_or_default();
        meta.formats()
            .iter()
            .map(|format| {
                // libphonenumber puts the national prefix formatting rule in place of the
                // format's first group reference, which `$FG` stands for (`$2 15-$3-$4` with
                // `0$FG` → `0$2 15-$3-$4`).
                let text = format.format();
                let first = text
                    .find('$')
                    .filter(|&at| text[at + 1..].starts_with(|c: char| c.is_ascii_digit()));
                let rule = format.national_prefix().filter(|rule| !rule.is_empty());
                let written = match (rule, first) {
                    (Some(rule), Some(at)) => {
                        let group = &text[at..at + 2];
                        let rule = rule.replacen("$NP", prefix, 1).replacen("$FG", group, 1);
                        format!("{}{rule}{}", &text[..at], &text[at + 2..])
                    }
                    _ => text.to_string(),
                };
                NationalFormat {
                    leading_digits: format.leading_digits().last().map(|p| at_start(p.as_str())),
                    pattern: whole(format.pattern().as_str()),
                    national: braced_groups(&written),
                }
            })
            .collect()
    })
}
