//! libphonenumber's metadata as the reading rules use it: every country calling code with its
//! territories (the main one first, as libphonenumber orders them), and per territory its patterns
//! compiled once, on first use. The `phonenumber` crate gives the metadata as libphonenumber's XML
//! has it; what libphonenumber's build step adds is added here: the general lengths are the union
//! of the number types' lengths, and a missing national prefix for parsing is the national prefix.

use std::sync::OnceLock;

use phonenumber::metadata::{Descriptor, Metadata, DATABASE};
use regex::bytes::{Regex, RegexBuilder};

/// libphonenumber's longest national significant number.
pub(super) const MAX_NSN: usize = 17;

/// One territory of the metadata (`GB`, `US`, or `001` for a non-geographic code).
pub(super) struct Territory {
    pub(super) id: &'static str,
    pub(super) code: u16,
    pub(super) meta: &'static Metadata,
    compiled: OnceLock<Compiled>,
    /// The national formats, compiled when a number is first written in one (`forms`).
    pub(super) formats: OnceLock<Vec<NationalFormat>>,
}

/// One of a territory's formats, as libphonenumber's national format applies it.
pub(super) struct NationalFormat {
    /// The last of its leading-digits patterns, at the start.
    pub(super) leading_digits: Option<Regex>,
    /// The whole number.
    pub(super) pattern: Regex,
    /// What the match becomes: the format with its first group written by the national prefix
    /// formatting rule (`$1 $2` → `0${1} ${2}`).
    pub(super) national: Vec<u8>,
}

/// A territory's patterns, compiled.
pub(super) struct Compiled {
    /// The international dialling prefix, at the start (`00`, `011`).
    pub(super) idd: Option<Regex>,
    /// The national prefix (and carrier code) for parsing, at the start.
    pub(super) national_prefix: Option<Regex>,
    /// How a match of `national_prefix` is rewritten (`9${1}`), when it is.
    pub(super) transform: Option<Vec<u8>>,
    /// A number of the territory, whole.
    pub(super) general: Regex,
    pub(super) lengths: Vec<usize>,
    pub(super) local_lengths: Vec<usize>,
    /// Per length: the number types that allow it, any of them, whole.
    typed: Vec<Option<Regex>>,
    /// Numbers of this territory start so (territories sharing a code).
    pub(super) leading_digits: Option<Regex>,
}

/// libphonenumber's `ValidationResult`, without the invalid country code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Length {
    Possible,
    LocalOnly,
    TooShort,
    Invalid,
    TooLong,
}

impl Compiled {
    /// libphonenumber's `_test_number_length` for any number type.
    pub(super) fn length(&self, nsn: &[u8]) -> Length {
        let lengths = &self.lengths;
        let (Some(&min), Some(&max)) = (lengths.first(), lengths.last()) else {
            return Length::Invalid;
        };
        let actual = nsn.len();
        if self.local_lengths.contains(&actual) {
            Length::LocalOnly
        } else if actual < min {
            Length::TooShort
        } else if actual > max {
            Length::TooLong
        } else if lengths.contains(&actual) {
            Length::Possible
        } else {
            Length::Invalid
        }
    }

    /// libphonenumber's "number type is not unknown" for a national significant number.
    pub(super) fn has_type(&self, nsn: &[u8]) -> bool {
        self.lengths.contains(&nsn.len())
            && self.general.is_match(nsn)
            && self
                .typed
                .get(nsn.len())
                .and_then(Option::as_ref)
                .is_some_and(|typed| typed.is_match(nsn))
    }
}

/// The number types libphonenumber tells apart (its `_number_type_helper`).
fn types(meta: &Metadata) -> impl Iterator<Item = &Descriptor> {
    let d = meta.descriptors();
    [
        d.premium_rate(),
        d.toll_free(),
        d.shared_cost(),
        d.voip(),
        d.personal_number(),
        d.pager(),
        d.uan(),
        d.voicemail(),
        d.fixed_line(),
        d.mobile(),
    ]
    .into_iter()
    .flatten()
}

fn compile(pattern: &str) -> Regex {
    RegexBuilder::new(pattern)
        .ignore_whitespace(true)
        .unicode(false)
        .build()
        .unwrap_or_else(|error| panic!("libphonenumber pattern {pattern:?}: {error}"))
}

pub(super) fn whole(pattern: &str) -> Regex {
    compile(&format!("^(?:{pattern})$"))
}

pub(super) fn at_start(pattern: &str) -> Regex {
    compile(&format!("^(?:{pattern})"))
}

impl Territory {
    pub(super) fn compiled(&self) -> &Compiled {
        self.compiled.get_or_init(|| {
            let meta = self.meta;
            let mut lengths: Vec<usize> = Vec::new();
            let mut local: Vec<usize> = Vec::new();
            for desc in types(meta) {
                lengths.extend(desc.possible_length().iter().map(|&l| usize::from(l)));
                local.extend(desc.possible_local_length().iter().map(|&l| usize::from(l)));
            }
            lengths.sort_unstable();
            lengths.dedup();
            local.sort_unstable();
            local.dedup();
            local.retain(|l| !lengths.contains(l));
            let typed = (0..=MAX_NSN)
                .map(|length| {
                    let patterns: Vec<String> = types(meta)
                        .filter(|d| {
                            d.possible_length().is_empty()
                                || d.possible_length().contains(&(length as u16))
                        })
                        .map(|d| format!("(?:{})", d.national_number().as_str()))
                        .collect();
                    (lengths.contains(&length) && !patterns.is_empty())
                        .then(|| whole(&patterns.join("|")))
                })
                .collect();
            let national_prefix = match (meta.national_prefix_for_parsing(), meta.national_prefix())
            {
                (Some(pattern), _) => Some(at_start(pattern.as_str())),
                (None, Some(prefix)) if !prefix.is_empty() => {
                    Some(at_start(&regex::escape(prefix)))
                }
                _ => None,
            };
            Compiled {
                idd: meta.international_prefix().map(|p| at_start(p.as_str())),
                national_prefix,
                transform: meta
                    .national_prefix_transform_rule()
                    .filter(|rule| !rule.is_empty())
                    .map(braced_groups),
                general: whole(meta.descriptors().general().national_number().as_str()),
                lengths,
                local_lengths: local,
                typed,
                leading_digits: meta.leading_digits().map(|p| at_start(p.as_str())),
            }
        })
    }
}

/// `9$1` → `9${1}`, so a digit after a group is not read as part of its number.
pub(super) fn braced_groups(rule: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(rule.len() + 4);
    let mut bytes = rule.bytes().peekable();
    while let Some(b) = bytes.next() {
        match bytes.peek() {
            Some(d) if b == b'$' && d.is_ascii_digit() => {
                out.extend_from_slice(b"${");
                out.push(*d);
                out.push(b'}');
                bytes.next();
            }
            _ => out.push(b),
        }
    }
    out
}

/// Country calling codes have at most three digits.
const CODES: u16 = 1000;

/// Every country calling code with its territories, indexed by the code.
pub(super) struct Tables {
    by_code: Vec<Vec<Territory>>,
}

impl Tables {
    /// The territories of `code`, the main one first; none for a code nobody uses.
    pub(super) fn territories(&self, code: u16) -> &[Territory] {
        self.by_code
            .get(usize::from(code))
            .map_or(&[], Vec::as_slice)
    }

    /// The territory `id` (`GB`), not the non-geographic `001`.
    pub(super) fn territory(&self, id: &str) -> Option<&Territory> {
        self.by_code
            .iter()
            .flatten()
            .find(|t| t.id == id && t.id != "001")
    }

    /// Whether `code` is a country calling code.
    pub(super) fn is_code(&self, code: u16) -> bool {
        !self.territories(code).is_empty()
    }
}

/// The tables, built on first use (the patterns themselves are compiled later, per territory).
pub(super) fn tables() -> &'static Tables {
    static TABLES: OnceLock<Tables> = OnceLock::new();
    TABLES.get_or_init(|| {
        let database = &*DATABASE;
        // Every code is asked for: the database lists non-geographic codes (`001`) under one id.
        let by_code = (0..CODES)
            .map(|code| {
                // `by_code` keeps libphonenumber's order: the main territory first.
                database
                    .by_code(&code)
                    .unwrap_or_default()
                    .into_iter()
                    .map(|meta| Territory {
                        id: meta.id(),
                        code,
                        meta,
                        compiled: OnceLock::new(),
                        formats: OnceLock::new(),
                    })
                    .collect()
            })
            .collect();
        Tables { by_code }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn general_lengths_are_the_union_of_the_types_as_libphonenumber_builds_them() {
        // Python phonenumbers 9.0.x: GB (7, 9, 10) local (4, 5, 6, 8); US (10,) local (7,).
        let gb = tables().territory("GB").unwrap().compiled();
        assert_eq!(
            (gb.lengths.as_slice(), gb.local_lengths.as_slice()),
            (&[7, 9, 10][..], &[4, 5, 6, 8][..])
        );
        let us = tables().territory("US").unwrap().compiled();
        assert_eq!(
            (us.lengths.as_slice(), us.local_lengths.as_slice()),
            (&[10][..], &[7][..])
        );
        assert_eq!(tables().territories(44)[0].id, "GB");
        assert_eq!(tables().territories(1)[0].id, "US");
        assert!(tables().territory("001").is_none() && tables().territory("XX").is_none());
    }

    #[test]
    fn transform_rules_brace_their_groups() {
        assert_eq!(braced_groups("9$1"), b"9${1}");
        assert_eq!(braced_groups("$2"), b"${2}");
        assert_eq!(braced_groups("$15"), b"${1}5");
    }
}
