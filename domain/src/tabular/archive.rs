//! A zip archive (XLSX, ODS) checked before calamine or the ODS reader opens it: the number of
//! parts its end records declare (the zip reader sizes its directory by it), then each part's
//! encryption, compression method, declared size and ratio, then every part unpacked once in
//! 64 KiB pieces through [`XmlScan`], which measures what an XML reader would hold and what
//! calamine would reserve. Only XML parts (named `.xml` or `.rels`, or starting with `<`) are held
//! to what a workbook's XML may declare (document type, encryption, strings, styles); images and
//! other binary parts only to the longest run an XML reader would hold, since a relationship may
//! point calamine at any part. The zip reader stops a part that unpacks to more than it declared, so
//! the declared sizes checked here are the sizes calamine can meet.

use std::io::{Cursor, Read};

use zip::{CompressionMethod, ZipArchive};

use super::limits::{
    Limit, MAX_CELL_FORMATS, MAX_PART_BYTES, MAX_RATIO, MAX_STYLE_BYTES, MAX_UNPACKED_BYTES,
    MAX_ZIP_ENTRIES, RATIO_FREE_BYTES,
};
use super::xml_scan::XmlScan;
use super::{Cancel, ParseError};

const END: &[u8] = b"PK\x05\x06";
const ZIP64_LOCATOR: &[u8] = b"PK\x06\x07";
const ZIP64_END: &[u8] = b"PK\x06\x06";
/// The end record (22 bytes) is followed by at most a 65,535-byte comment.
const END_SEARCH: usize = 22 + 65_535;
const CHUNK: usize = 64 * 1024;
/// What calamine keeps per cell format besides the copied texts.
const STYLE_SIZE: u64 = std::mem::size_of::<calamine::Style>() as u64;

/// Checks the archive; an error names the part and the bound.
pub(super) fn check(bytes: &[u8], cancel: &Cancel) -> Result<(), ParseError> {
    declared_parts(bytes)?;
    let mut archive = ZipArchive::new(Cursor::new(bytes)).map_err(corrupt)?;
    let parts = archive.len() as u64;
    if parts > MAX_ZIP_ENTRIES {
        return Err(Limit::Entries { found: parts }.into());
    }
    let mut total: u64 = 0;
    for index in 0..archive.len() {
        let part = archive.by_index_raw(index).map_err(corrupt)?;
        let name = shown(part.name_raw());
        if part.encrypted() {
            return Err(ParseError::PasswordProtected);
        }
        let method = part.compression();
        if !matches!(
            method,
            CompressionMethod::Stored | CompressionMethod::Deflated
        ) {
            return Err(ParseError::Corrupt(format!(
                "the part {name} is compressed with {method}, which OCM does not unpack"
            )));
        }
        let (packed, bytes) = (part.compressed_size(), part.size());
        if bytes > MAX_PART_BYTES {
            return Err(Limit::PartSize { name, bytes }.into());
        }
        if bytes > RATIO_FREE_BYTES && bytes > packed.saturating_mul(MAX_RATIO) {
            return Err(Limit::Ratio {
                name,
                packed,
                bytes,
            }
            .into());
        }
        total = total.saturating_add(bytes);
        if total > MAX_UNPACKED_BYTES {
            return Err(Limit::Unpacked { bytes: total }.into());
        }
    }
    let mut buffer = vec![0; CHUNK];
    for index in 0..archive.len() {
        let mut part = archive.by_index(index).map_err(corrupt)?;
        let name = shown(part.name_raw());
        let mut xml = named_xml(part.name_raw()).then_some(true);
        let mut scan = XmlScan::default();
        loop {
            cancel.check()?;
            let read = part.read(&mut buffer).map_err(corrupt)?;
            if read == 0 {
                break;
            }
            let chunk = &buffer[..read];
            let is_xml = *xml.get_or_insert_with(|| starts_as_xml(chunk));
            scan.feed(chunk);
            if is_xml {
                scan.check(&name)?;
            } else {
                scan.check_token(&name)?;
            }
        }
        if xml.unwrap_or(true) {
            finish(&scan, &name)?;
        }
    }
    Ok(())
}

/// Parts named as XML: `.xml` (ODS's `content.xml`, `styles.xml`, `meta.xml`, `settings.xml`,
/// `META-INF/manifest.xml` among them) and `.rels`.
fn named_xml(raw: &[u8]) -> bool {
    let ends = |suffix: &[u8]| {
        raw.len() >= suffix.len() && raw[raw.len() - suffix.len()..].eq_ignore_ascii_case(suffix)
    };
    ends(b".xml") || ends(b".rels")
}

/// Whether a part's first bytes read as XML: `<` after an optional byte order mark and
/// whitespace (all whitespace counts as XML, to be scanned whole).
fn starts_as_xml(chunk: &[u8]) -> bool {
    let text = chunk.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(chunk);
    text.trim_ascii_start().first().is_none_or(|&b| b == b'<')
}

/// What a whole part must keep besides [`XmlScan::check`].
fn finish(scan: &XmlScan, name: &str) -> Result<(), ParseError> {
    scan.check(name)?;
    if scan.encrypted {
        return Err(ParseError::PasswordProtected);
    }
    if scan.doctype {
        return Err(ParseError::Corrupt(format!(
            "the part {name} declares a document type, which no workbook does"
        )));
    }
    if scan.cell_formats > MAX_CELL_FORMATS {
        return Err(Limit::CellFormats {
            found: scan.cell_formats,
        }
        .into());
    }
    let styles = scan
        .cell_formats
        .saturating_mul(STYLE_SIZE.saturating_add(scan.copied.saturating_mul(2)));
    if styles > MAX_STYLE_BYTES {
        return Err(Limit::Styles { bytes: styles }.into());
    }
    Ok(())
}

/// Every end record in reach (the zip reader may settle on any) must declare at most
/// [`MAX_ZIP_ENTRIES`] parts, its Zip64 record included.
fn declared_parts(bytes: &[u8]) -> Result<(), Limit> {
    if bytes.len() < 22 {
        return Ok(());
    }
    let from = bytes.len().saturating_sub(END_SEARCH);
    let last = bytes.len().saturating_sub(22);
    for at in (from..=last).filter(|&at| bytes[at..].starts_with(END)) {
        let u16_at =
            |offset: usize| u64::from(u16::from_le_bytes([bytes[offset], bytes[offset + 1]]));
        let mut found = u16_at(at + 8).max(u16_at(at + 10));
        if found == 0xFFFF {
            found = found.max(zip64_parts(bytes, at).unwrap_or(0));
        }
        if found > MAX_ZIP_ENTRIES {
            return Err(Limit::Entries { found });
        }
    }
    Ok(())
}

/// The part count of the Zip64 end record the locator before `end` points to.
fn zip64_parts(bytes: &[u8], end: usize) -> Option<u64> {
    let locator = bytes.get(end.checked_sub(20)?..end)?;
    if !locator.starts_with(ZIP64_LOCATOR) {
        return None;
    }
    let offset = usize::try_from(u64::from_le_bytes(locator[8..16].try_into().ok()?)).ok()?;
    let record = bytes.get(offset..offset.checked_add(56)?)?;
    if !record.starts_with(ZIP64_END) {
        return None;
    }
    let u64_at = |at: usize| u64::from_le_bytes(record[at..at + 8].try_into().unwrap_or([0; 8]));
    Some(u64_at(24).max(u64_at(32)))
}

/// A part's name as the refusals show it: printable, at most 80 characters.
fn shown(raw: &[u8]) -> String {
    let name: String = String::from_utf8_lossy(raw)
        .chars()
        .filter(|c| !c.is_control())
        .take(80)
        .collect();
    if name.is_empty() {
        "(unnamed)".into()
    } else {
        name
    }
}

fn corrupt(error: impl std::fmt::Display) -> ParseError {
    ParseError::Corrupt(error.to_string())
}
