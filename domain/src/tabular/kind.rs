//! The file type by content, never by name: zip (XLSX or ODS), compound file (XLS, or an
//! encrypted OOXML workbook), otherwise text.

use super::ParseError;

/// A spreadsheet format calamine reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Book {
    Xlsx,
    Xls,
    Ods,
}

impl Book {
    pub(super) fn label(self) -> &'static str {
        match self {
            Book::Xlsx => "XLSX",
            Book::Xls => "XLS",
            Book::Ods => "ODS",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Text,
    Book(Book),
}

const ZIP: &[u8] = b"PK\x03\x04";
const COMPOUND_FILE: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";
/// An ODF package stores its `mimetype` entry first and uncompressed, so the type is readable in
/// the first bytes.
const ODS_MIMETYPE: &[u8] = b"application/vnd.oasis.opendocument.spreadsheet";
/// Office encrypts a password-protected OOXML workbook into this stream of a compound file; the
/// directory names are UTF-16 LE.
const ENCRYPTED_PACKAGE: &str = "EncryptedPackage";

pub(super) fn of(bytes: &[u8]) -> Result<Kind, ParseError> {
    if bytes.starts_with(ZIP) {
        let head = &bytes[..bytes.len().min(256)];
        let ods = head.windows(ODS_MIMETYPE.len()).any(|w| w == ODS_MIMETYPE);
        return Ok(Kind::Book(if ods { Book::Ods } else { Book::Xlsx }));
    }
    if bytes.starts_with(COMPOUND_FILE) {
        if encrypted_package(bytes) {
            return Err(ParseError::PasswordProtected);
        }
        return Ok(Kind::Book(Book::Xls));
    }
    Ok(Kind::Text)
}

fn encrypted_package(bytes: &[u8]) -> bool {
    let name: Vec<u8> = ENCRYPTED_PACKAGE
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    bytes.windows(name.len()).any(|w| w == name.as_slice())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn magic_bytes_decide() {
        assert_eq!(of(b"phone\n123").unwrap(), Kind::Text);
        assert_eq!(of(b"PK\x03\x04rest").unwrap(), Kind::Book(Book::Xlsx));
        let mut ods = b"PK\x03\x04........mimetype".to_vec();
        ods.extend_from_slice(ODS_MIMETYPE);
        assert_eq!(of(&ods).unwrap(), Kind::Book(Book::Ods));
        assert_eq!(of(COMPOUND_FILE).unwrap(), Kind::Book(Book::Xls));
        let mut encrypted = COMPOUND_FILE.to_vec();
        encrypted.extend("EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(of(&encrypted), Err(ParseError::PasswordProtected));
    }
}
