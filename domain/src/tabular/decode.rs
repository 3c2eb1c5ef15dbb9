//! Text files to `str`: UTF-8 with or without BOM, UTF-16 LE/BE with BOM (or without one, when
//! every other byte of the start is NUL), otherwise Windows-1252 (what Excel writes as "CSV" on
//! Western Windows). Binary content is refused here.

use std::borrow::Cow;

use encoding_rs::{UTF_16BE, UTF_16LE, UTF_8, WINDOWS_1252};

use super::ParseError;

/// How much of the text is looked at to tell text from binary.
const SNIFF_CHARS: usize = 64 * 1024;
/// How many bytes are looked at to recognise UTF-16 without a BOM.
const SNIFF_UTF16_BYTES: usize = 4096;

pub(super) struct Decoded<'a> {
    pub text: Cow<'a, str>,
    /// `UTF-8`, `UTF-8 with BOM`, `UTF-16 LE`, `UTF-16 BE` or `Windows-1252`.
    pub encoding: &'static str,
}

pub(super) fn decode(bytes: &[u8]) -> Result<Decoded<'_>, ParseError> {
    let (text, encoding) = if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        (UTF_8.decode_without_bom_handling(rest).0, "UTF-8 with BOM")
    } else if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        (UTF_16LE.decode_without_bom_handling(rest).0, "UTF-16 LE")
    } else if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        (UTF_16BE.decode_without_bom_handling(rest).0, "UTF-16 BE")
    } else if let Some(little_endian) = utf16_without_bom(bytes) {
        if little_endian {
            let text = UTF_16LE.decode_without_bom_handling(bytes).0;
            (text, "UTF-16 LE without BOM")
        } else {
            let text = UTF_16BE.decode_without_bom_handling(bytes).0;
            (text, "UTF-16 BE without BOM")
        }
    } else {
        match std::str::from_utf8(bytes) {
            Ok(text) => (Cow::Borrowed(text), "UTF-8"),
            Err(_) => (
                WINDOWS_1252.decode_without_bom_handling(bytes).0,
                "Windows-1252",
            ),
        }
    };
    if binary(&text) {
        return Err(ParseError::NotText);
    }
    Ok(Decoded { text, encoding })
}

/// Whether the start reads as UTF-16 text without a BOM, and which byte order: mostly Latin text
/// has a NUL in every other byte (the high one) and none in the others. `Some(true)`: little
/// endian.
fn utf16_without_bom(bytes: &[u8]) -> Option<bool> {
    let head = &bytes[..bytes.len().min(SNIFF_UTF16_BYTES) & !1];
    let pairs = head.len() / 2;
    if pairs < 2 {
        return None;
    }
    let nul_at = |parity: usize| {
        head.iter()
            .skip(parity)
            .step_by(2)
            .filter(|&&b| b == 0)
            .count()
    };
    let (even, odd) = (nul_at(0), nul_at(1));
    match (even, odd) {
        (0, odd) if odd * 2 >= pairs => Some(true),
        (even, 0) if even * 2 >= pairs => Some(false),
        _ => None,
    }
}

/// A NUL anywhere in the start of the text (UTF-16 without a BOM, or any binary file), or more
/// than 1% control characters other than tab, line ends, form feed and the DOS end-of-file mark.
fn binary(text: &str) -> bool {
    let mut chars = 0usize;
    let mut controls = 0usize;
    for c in text.chars().take(SNIFF_CHARS) {
        chars += 1;
        match c {
            '\0' => return true,
            '\t' | '\n' | '\r' | '\x0C' | '\x1A' => {}
            c if c.is_control() => controls += 1,
            _ => {}
        }
    }
    controls * 100 > chars
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings_are_recognised() {
        let utf8 = decode("tél\n".as_bytes()).unwrap();
        assert_eq!((utf8.text.as_ref(), utf8.encoding), ("tél\n", "UTF-8"));
        let latin = decode(b"t\xE9l\n").unwrap();
        assert_eq!(
            (latin.text.as_ref(), latin.encoding),
            ("tél\n", "Windows-1252")
        );
        let bom = decode(b"\xEF\xBB\xBFa").unwrap();
        assert_eq!((bom.text.as_ref(), bom.encoding), ("a", "UTF-8 with BOM"));
        let le = decode(b"\xFF\xFEa\0b\0").unwrap();
        assert_eq!((le.text.as_ref(), le.encoding), ("ab", "UTF-16 LE"));
        let be = decode(b"\xFE\xFF\0a\0b").unwrap();
        assert_eq!((be.text.as_ref(), be.encoding), ("ab", "UTF-16 BE"));
    }

    #[test]
    fn utf16_without_a_bom_is_recognised_by_its_nuls() {
        let le = decode(b"p\0h\0o\0n\0e\0\n\0").unwrap();
        assert_eq!(le.text, "phone\n");
        assert_eq!(le.encoding, "UTF-16 LE without BOM");
        let be = decode(b"\0a\0b\0\xE9").unwrap();
        assert_eq!(
            (be.text.as_ref(), be.encoding),
            ("abé", "UTF-16 BE without BOM")
        );
    }

    #[test]
    fn binary_is_refused() {
        assert!(matches!(decode(b"a\0\0b"), Err(ParseError::NotText)));
        assert!(matches!(
            decode(b"\x7FELF\x02\x01\x01\0\0\0\0\0\0\0\0\0"),
            Err(ParseError::NotText)
        ));
        let noisy: Vec<u8> = (0..200u8)
            .map(|i| if i % 10 == 0 { 1 } else { b'a' })
            .collect();
        assert!(matches!(decode(&noisy), Err(ParseError::NotText)));
        assert!(decode(b"a\tb\r\nc\x0C\x1A").is_ok());
    }
}
