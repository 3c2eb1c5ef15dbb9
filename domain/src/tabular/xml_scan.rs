//! A byte-level look at one XML part of a workbook as it is unpacked, before any XML reader sees
//! it: the longest tag or text (an XML reader holds one whole), the shared-string count the part
//! declares (calamine reserves room for it), the cell formats and the longest font name or number
//! format calamine copies into each, ODF's encryption marker, and document type declarations
//! (which no workbook has). Quoted attribute values, comments and CDATA sections are followed
//! as an XML reader follows them, so no tag can end earlier here than there.

use super::limits::{Limit, MAX_XML_TOKEN, SHARED_STRING_MIN_BYTES};

/// Bytes of a tag's name kept to recognise it.
const NAME: usize = 24;
/// A document type declaration's name, after `<`, in any case.
const DOCTYPE: &[u8] = b"!DOCTYPE";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Still reading the name.
    Name,
    Element,
    Instruction,
    Comment,
    Data,
}

/// What was seen of one part.
#[derive(Debug, Default)]
pub(super) struct XmlScan {
    in_tag: bool,
    kind: Option<Kind>,
    name: Vec<u8>,
    quote: Option<u8>,
    /// The two bytes before the current one in a tag.
    tail: [u8; 2],
    /// Bytes of the current tag or text so far.
    run: u64,
    /// The `sst` tag being captured.
    capture: Option<Vec<u8>>,
    pub longest: u64,
    pub bytes: u64,
    /// `uniqueCount` of the `sst` element, as calamine reads it.
    pub declared_strings: Option<u64>,
    /// `xf` elements.
    pub cell_formats: u64,
    /// The longest `name` (a font's) or `numFmt` tag.
    pub copied: u64,
    pub encrypted: bool,
    pub doctype: bool,
}

impl XmlScan {
    pub(super) fn feed(&mut self, chunk: &[u8]) {
        self.bytes += chunk.len() as u64;
        let mut rest = chunk;
        while !rest.is_empty() {
            if self.in_tag {
                let byte = rest[0];
                rest = &rest[1..];
                self.tag_byte(byte);
            } else {
                match rest.iter().position(|&b| b == b'<') {
                    None => {
                        self.run += rest.len() as u64;
                        rest = &[];
                    }
                    Some(at) => {
                        self.run += at as u64;
                        self.end_run();
                        self.in_tag = true;
                        self.kind = Some(Kind::Name);
                        self.name.clear();
                        self.quote = None;
                        self.tail = [0; 2];
                        self.run = 1;
                        rest = &rest[at + 1..];
                    }
                }
            }
        }
        self.longest = self.longest.max(self.run);
    }

    fn end_run(&mut self) {
        self.longest = self.longest.max(self.run);
        self.run = 0;
    }

    fn tag_byte(&mut self, byte: u8) {
        self.run += 1;
        if let Some(capture) = &mut self.capture {
            capture.push(byte);
        }
        if self.kind == Some(Kind::Name) {
            let ends_name = byte.is_ascii_whitespace() || byte == b'>' || byte == b'/';
            if ends_name && !self.name.is_empty() {
                self.kind = Some(self.classify());
            } else {
                if self.name.len() < NAME {
                    self.name.push(byte);
                }
                // The opening's own dashes or brackets never close it.
                if self.name == b"!--" {
                    self.kind = Some(Kind::Comment);
                    self.tail = [0; 2];
                } else if self.name == b"![CDATA[" {
                    self.kind = Some(Kind::Data);
                    self.tail = [0; 2];
                } else {
                    self.tail = [self.tail[1], byte];
                }
                return;
            }
        }
        let ends = match (self.kind, self.quote) {
            (Some(Kind::Element | Kind::Instruction), Some(quote)) => {
                if byte == quote {
                    self.quote = None;
                }
                false
            }
            (Some(Kind::Element | Kind::Instruction), None) if matches!(byte, b'"' | b'\'') => {
                self.quote = Some(byte);
                false
            }
            (Some(Kind::Element), None) => byte == b'>',
            (Some(Kind::Instruction), None) => byte == b'>' && self.tail[1] == b'?',
            (Some(Kind::Comment), _) => byte == b'>' && self.tail == *b"--",
            (Some(Kind::Data), _) => byte == b'>' && self.tail == *b"]]",
            _ => false,
        };
        self.tail = [self.tail[1], byte];
        if ends {
            self.end_tag();
        }
    }

    /// What the tag whose name was just read is, and what to note about it.
    fn classify(&mut self) -> Kind {
        match self.name.first() {
            Some(b'?') => return Kind::Instruction,
            Some(b'!') => {
                // Comments and CDATA sections were recognised as their openings were read.
                let declaration = self.name.get(..DOCTYPE.len());
                self.doctype |= declaration.is_some_and(|d| d.eq_ignore_ascii_case(DOCTYPE));
                return Kind::Element;
            }
            _ => {}
        }
        if self.local() == b"sst" && !self.name.starts_with(b"/") {
            // The byte that ended the name (a space) starts the attributes.
            self.capture = Some(vec![b' ']);
        }
        Kind::Element
    }

    /// The name without its namespace prefix.
    fn local(&self) -> &[u8] {
        let name = self.name.as_slice();
        name.iter()
            .rposition(|&b| b == b':')
            .map_or(name, |colon| &name[colon + 1..])
    }

    fn end_tag(&mut self) {
        if !self.name.starts_with(b"/") {
            match self.local() {
                b"xf" => self.cell_formats += 1,
                b"name" | b"numFmt" => self.copied = self.copied.max(self.run),
                b"encryption-data" => self.encrypted = true,
                _ => {}
            }
        }
        if let Some(capture) = self.capture.take() {
            self.declared_strings = unique_count(&capture);
        }
        self.in_tag = false;
        self.kind = None;
        self.end_run();
    }

    /// The longest tag or text must stay within [`MAX_XML_TOKEN`] in every part, XML or not: a
    /// relationship may point calamine's XML reader at any part.
    pub(super) fn check_token(&self, name: &str) -> Result<(), Limit> {
        if self.longest > MAX_XML_TOKEN {
            return Err(Limit::XmlToken { name: name.into() });
        }
        Ok(())
    }

    /// The bounds a scanned XML part must keep, checked as it is unpacked (`name` for the
    /// refusal).
    pub(super) fn check(&self, name: &str) -> Result<(), Limit> {
        self.check_token(name)?;
        match self.declared_strings {
            Some(declared) if declared > self.bytes / SHARED_STRING_MIN_BYTES + 1 => {
                Err(Limit::SharedStrings {
                    name: name.into(),
                    declared,
                    bytes: self.bytes,
                })
            }
            _ => Ok(()),
        }
    }
}

/// The `uniqueCount="…"` attribute of a captured tag (after `<sst`), when it is a number.
fn unique_count(tag: &[u8]) -> Option<u64> {
    const KEY: &[u8] = b"uniqueCount";
    let at = tag
        .windows(KEY.len() + 1)
        .position(|w| w[0].is_ascii_whitespace() && &w[1..] == KEY)?;
    let rest = &tag[at + 1 + KEY.len()..];
    let rest = rest
        .trim_ascii_start()
        .strip_prefix(b"=")?
        .trim_ascii_start();
    let quote = *rest.first().filter(|q| matches!(q, b'"' | b'\''))?;
    let value = &rest[1..];
    let value = &value[..value.iter().position(|&b| b == quote)?];
    std::str::from_utf8(value).ok()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan(parts: &[&[u8]]) -> XmlScan {
        let mut scan = XmlScan::default();
        for part in parts {
            scan.feed(part);
        }
        scan
    }

    #[test]
    fn the_longest_tag_or_text_is_measured_across_chunks() {
        let found = scan(&[b"<a x=\"1>2\">hello", b" world</a><b/>"]);
        assert_eq!(found.longest, "hello world".len() as u64);
        let tag = scan(&[b"<row r=\"1\" spans=\"1:5\">", b"</row>"]);
        assert_eq!(tag.longest, "<row r=\"1\" spans=\"1:5\">".len() as u64);
        let comment = scan(&[b"<!-- a > b -- c -->x"]);
        assert_eq!(comment.longest, "<!-- a > b -- c -->".len() as u64);
        let open = scan(&[b"<!-->", b"still a comment-->"]);
        assert_eq!(open.longest, "<!-->still a comment-->".len() as u64);
        let data = scan(&[b"<t><![CDATA[1 > 0 ]> ]]></t>"]);
        assert_eq!(data.longest, "<![CDATA[1 > 0 ]> ]]>".len() as u64);
        assert!(!data.doctype);
    }

    #[test]
    fn declared_string_counts_must_fit_the_part() {
        let honest = scan(&[
            b"<?xml version=\"1.0\"?><x:sst xmlns:x=\"s\" count=\"2\" ",
            b"uniqueCount = '2'><si><t>a</t></si><si><t>b</t></si></x:sst>",
        ]);
        assert_eq!(honest.declared_strings, Some(2));
        assert_eq!(honest.check("s.xml"), Ok(()));
        let lying = scan(&[b"<sst uniqueCount=\"4000000000\"><si><t>a</t></si></sst>"]);
        assert_eq!(lying.declared_strings, Some(4_000_000_000));
        assert!(matches!(
            lying.check("s.xml"),
            Err(Limit::SharedStrings {
                declared: 4_000_000_000,
                ..
            })
        ));
    }

    #[test]
    fn styles_doctypes_and_encryption_are_noticed() {
        let styles = scan(&[
            b"<styleSheet><fonts><font><name val=\"Calibri\"/></font></fonts>",
            b"<cellXfs><xf numFmtId=\"0\"/><x:xf/></cellXfs></styleSheet>",
        ]);
        let font = "<name val=\"Calibri\"/>".len() as u64;
        assert_eq!((styles.cell_formats, styles.copied), (2, font));
        assert!(scan(&[b"<!DOCTYPE x [<!ENTITY a \"b\">]><x/>"]).doctype);
        assert!(scan(&[b"<!doctype x>", b"<x/>"]).doctype);
        assert!(scan(&[b"<!DOC", b"TYPE x><x/>"]).doctype);
        let legal = scan(&[b"<x><!-- <!DOCTYPE --><![CDATA[<!DOCTYPE]]></x>"]);
        assert!(!legal.doctype);
        assert!(!scan(&[b"\x89PNG\r\n<!\x00\x07<!E>"]).doctype);
        assert!(scan(&[b"<manifest:encryption-data/>"]).encrypted);
    }
}
